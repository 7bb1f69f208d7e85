import type { Article } from "../types.ts";
import { isAsciiLetter, isDigitCode, isSpaceCode } from "./chars.ts";

export interface Sentence {
  /** Offsets into the article body (UTF-16). */
  start: number;
  end: number;
  text: string;
  /** Index of the paragraph (run of prose lines without a blank line between). */
  paragraph: number;
  index: number;
  /** For a list item: the header lines it stands under ("Imports in 2023:", "Wheat:"), outermost first, as sentence indices. */
  headers: number[];
}

/** Words whose trailing full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
  "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "st", "no", "vs", "etc", "inc", "ltd", "co", "corp", "approx", "e.g", "i.e", "u.s", "u.k", "u.n", "rs",
]);

/** Longer "sentences" (a page without full stops) are cut at clause or word breaks, so work per sentence stays bounded. */
export const MAX_SENTENCE = 1200;

function capLength(start: number, end: number, body: string): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  while (end - s > MAX_SENTENCE) {
    const chunk = body.slice(s, s + MAX_SENTENCE);
    const cut = Math.max(chunk.lastIndexOf("; "), chunk.lastIndexOf(", "), chunk.lastIndexOf(" "));
    let at = cut > MAX_SENTENCE / 2 ? s + cut + 1 : s + MAX_SENTENCE;
    // A hard cut must not split a surrogate pair: evidence offsets are code points, quotes whole characters.
    if (/[\uDC00-\uDFFF]/.test(body[at] ?? "") && /[\uD800-\uDBFF]/.test(body[at - 1] ?? "")) at--;
    out.push([s, at]);
    s = at;
  }
  out.push([s, end]);
  return out;
}

// The look-behind starts a match only at the first mark of a run ("!!!!"): without it each later mark of a
// run that ends in no sentence start was retried to the run's end, quadratic in the run's length.
const BOUNDARY = /(?<![.!?…])([.!?…]+)(["”’»)]*)(\s+)(?=["“‘«(]?[\p{Lu}\p{N}$])/gu;

const LAST_WORD = /([\p{L}.]+)$/u;

/** The letters and dots ending at `end` (within 12 characters), lower-cased: "U.S", "Jan", "approx". */
function wordBefore(text: string, end: number): string {
  const from = Math.max(0, end - 12);
  // Backwards over ASCII without a regex, as nearly all text is ASCII; any other character leaves it to the regex.
  let i = end;
  for (; i > from; i--) {
    const c = text.charCodeAt(i - 1);
    if (!(isAsciiLetter(c) || c === 46)) break;
  }
  if (i === from || text.charCodeAt(i - 1) < 0x80) return text.slice(i, end).toLowerCase();
  return LAST_WORD.exec(text.slice(from, end))?.[1]?.toLowerCase() ?? "";
}

const ONE_LETTER = /^\p{L}$/u;

/** A word whose full stop ends no sentence: a listed abbreviation or a single letter (an initial); one letter is one or two code units. */
function isAbbreviation(word: string): boolean {
  return ABBREVIATIONS.has(word.endsWith(".") ? word.slice(0, -1) : word) || (word.length <= 2 && ONE_LETTER.test(word));
}

function splitProse(body: string, start: number, end: number): [number, number][] {
  const text = body.slice(start, end);
  const out: [number, number][] = [];
  let from = 0;
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(text); m; m = BOUNDARY.exec(text)) {
    if (m[1] === "." && (isAbbreviation(wordBefore(text, m.index)) || (isDigitCode(text.charCodeAt(m.index - 1)) && isDigitCode(text.charCodeAt(m.index + m[0].length))))) continue;
    const stop = m.index + m[1]!.length + m[2]!.length;
    out.push([start + from, start + stop]);
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push([start + from, end]);
  return out;
}

/** A list item's marker: each bullet line is a sentence of its own, even when the one before ends without a full stop. */
const BULLET = /^\s*(?:[-•*–—▪●]|\d{1,2}[.)])\s/;

/**
 * Gives each list item the headers it stands under: a line ending in a colon opens a list; one right after
 * another header nests in it, one after list items replaces the innermost; any other sentence closes the list.
 */
function attachHeaders(out: Sentence[]): void {
  let stack: number[] = [];
  let afterItems = false;
  for (const s of out) {
    if (s.text.endsWith(":") && !BULLET.test(s.text)) {
      if (afterItems) stack = stack.slice(0, -1);
      stack = [...stack, s.index];
      afterItems = false;
    } else if (BULLET.test(s.text) && stack.length > 0) {
      s.headers = stack;
      afterItems = true;
    } else {
      stack = [];
      afterItems = false;
    }
  }
}

/**
 * Sentences of the prose segments only: headlines and chrome never reach the rules. Consecutive prose
 * lines form one block, so a sentence broken across lines ("... KazAID,\nthe press service ...") stays whole.
 */
export function splitSentences(article: Article): Sentence[] {
  const { body, segments } = article;
  const blocks: { start: number; end: number; paragraph: number }[] = [];
  let paragraph = 0;
  let prevEnd = -1;
  for (const seg of segments) {
    const blank = prevEnd >= 0 && /\n\s*\n/.test(body.slice(prevEnd, seg.start));
    if (blank) paragraph++;
    if (seg.kind === "prose") {
      const last = blocks[blocks.length - 1];
      if (last && last.end === prevEnd && !blank && !BULLET.test(body.slice(seg.start, seg.start + 4))) last.end = seg.end;
      else blocks.push({ start: seg.start, end: seg.end, paragraph });
    }
    prevEnd = seg.end;
  }
  const out: Sentence[] = [];
  for (const b of blocks) {
    for (const [x, y] of splitProse(body, b.start, b.end)) {
      if (y - x <= MAX_SENTENCE) addTrimmed(out, body, x, y, b.paragraph);
      else for (const [s, e] of capLength(x, y, body)) addTrimmed(out, body, s, e, b.paragraph);
    }
  }
  attachHeaders(out);
  return out;
}

/** Adds body[s..e) without its surrounding white space, unless nothing is left; bounds found in place, not by trimming a copy. */
function addTrimmed(out: Sentence[], body: string, s: number, e: number, paragraph: number): void {
  while (s < e && isSpaceCode(body.charCodeAt(s))) s++;
  while (e > s && isSpaceCode(body.charCodeAt(e - 1))) e--;
  if (e > s) out.push({ start: s, end: e, text: body.slice(s, e), paragraph, index: out.length, headers: [] });
}
