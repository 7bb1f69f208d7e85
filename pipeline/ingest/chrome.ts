import type { Segment } from "../types.ts";

/** Headings after which the rest of a page is other stories, never the article. */
const TAIL_MARKERS =
  /^\s*(?:latest news|you may also like|related articles|related news|related stories|related posts|more news|more stories|most read|most popular|popular news|recommended(?: for you)?|read more stories|news calendar|share this article|comments?|no comment yet|tags?:|top stories|editor'?s picks|trending)\b/i;
/** Whole lines that are page furniture wherever they stand. */
const LINE_CHROME =
  /^\s*(?:\(last updated on:?[^)]*\)|photo(?: credit)?\s*:|image(?: courtesy)?\s*:|image courtesy|source\s*:|read also\s*:|also read\s*:|read more\s*:|see also\s*:|published\s*:|original author\s*:|by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}$|connect with us|hi, what are you looking for|go to the main site|sign up|subscribe|follow us|get the .* sent directly)/i;
/** A line that ends a sentence or continues one; lines without it are headlines, datelines, list items. */
const PROSE_END = /[.!?…:;,"”»'’)]\s*$/;

/** A bulleted or numbered line. */
export const LIST_ITEM = /^(?:[-•*▪●–—]|\d{1,2}[.)])\s+\S/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(body: string): Line[] {
  const out: Line[] = [];
  for (let start = 0; start <= body.length; ) {
    let end = body.indexOf("\n", start);
    if (end < 0) end = body.length;
    out.push({ start, end, text: body.slice(start, end) });
    start = end + 1;
  }
  return out;
}

function kindOf(line: Line, title: string | null): Segment["kind"] {
  const t = line.text.trim();
  if (LINE_CHROME.test(t)) return "chrome";
  if (title && t.length <= 2 * title.length + 10 && normalizeTitle(t) === title) return "headline";
  if (PROSE_END.test(t) || t.length >= 200) return "prose";
  // A list item with a figure ("* Malaysia: $2.4 billion") states a fact under its list's header.
  if (LIST_ITEM.test(t) && /\d/.test(t)) return "prose";
  return "headline";
}

function normalizeTitle(s: string): string {
  return s.toLowerCase().replace(/^\[|\]$/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/**
 * Classifies every non-blank line of a body: prose can carry facts; headlines (a title repeated in
 * the body, datelines, captions without a full stop, list items) and chrome (menus, teasers after a
 * "Latest news"-type heading) never do. Offsets are UTF-16 indices into the body.
 */
export function segmentBody(body: string, title: string | null): Segment[] {
  const out: Segment[] = [];
  let inTail = false;
  let proseSeen = false;
  const normalTitle = title ? normalizeTitle(title) : null;
  for (const line of lines(body)) {
    if (line.text.trim() === "") continue;
    // A "Latest news" heading ends the article only once the article has begun: above it, it is the site's menu.
    if (!inTail && proseSeen && TAIL_MARKERS.test(line.text)) inTail = true;
    const kind = inTail ? "chrome" : TAIL_MARKERS.test(line.text) ? "chrome" : kindOf(line, normalTitle);
    if (kind === "prose") proseSeen = true;
    const lead = line.text.length - line.text.trimStart().length;
    const trail = line.text.length - line.text.trimEnd().length;
    out.push({ start: line.start + lead, end: line.end - trail, kind });
  }
  return out;
}
