import { createHash } from "node:crypto";
import type { Article } from "../types.ts";
import type { Rejected } from "../schema/tables.ts";
import { parseFrontMatter } from "./frontmatter.ts";
import { segmentBody } from "./chrome.ts";
import { MAX_ARTICLE_BYTES, MAX_NUMBERS_PER_ARTICLE } from "./limits.ts";
import type { RegistryEntry } from "./registry.ts";

/** A file as read from disk: its name relative to the input folder and its bytes. */
export interface RawFile {
  source_file: string;
  bytes: Uint8Array;
  /** Why the file could not be read (not a regular file, too large, ...): `bytes` is then empty and the file is rejected. */
  unreadable?: string;
  /** `fileHash(bytes)`, when the reader has it already (an archive run hashes each file for its cache key). */
  sha256?: string;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Notes that travel with a corpus (SOURCES.md, README.md) are not articles. */
const DOCUMENTATION = /^(?:readme|sources|license|licence|changelog|notes)\.(?:md|txt)$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Decoding is stateless outside streaming mode, so one decoder serves every file. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const NOT_SPACE = /\S/;
const DIGITS = /\d+/g;

/** Digit groups in `text`, counted up to `limit + 1` (enough to know it is over). */
function digitGroups(text: string, limit: number): number {
  DIGITS.lastIndex = 0;
  let n = 0;
  while (n <= limit && DIGITS.exec(text)) n++;
  return n;
}

export type ParsedArticle = { ok: true; article: Article } | { ok: false; rejected: Rejected };

function reject(source_file: string, reason: string): ParsedArticle {
  return { ok: false, rejected: { source_file, reason } };
}

function validDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === s;
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

function codePoints(s: string): number {
  // Nearly every text has no character beyond the BMP: one native scan says so.
  if (!HIGH_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/**
 * A copy of a string cut from the file's text. V8 keeps a slice pointing into its parent, so metadata
 * holding slices would keep every article's whole text alive long after the body is dropped.
 */
function detached<T extends string | null>(s: T): T {
  return (s === null ? null : Buffer.from(s, "utf8").toString("utf8")) as T;
}

/** A file's sha256 (hex) as the articles table and the run's manifest record it. */
export function fileHash(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Decodes, validates and segments one input file. Bad input becomes a `rejected` row, never an exception. */
export function parseArticle(file: RawFile, registry: Map<string, RegistryEntry>): ParsedArticle {
  const { source_file, bytes } = file;
  if (file.unreadable !== undefined) return reject(source_file, file.unreadable);
  if (DOCUMENTATION.test(source_file.split("/").pop()!)) return reject(source_file, "documentation file, not an article");
  if (bytes.length === 0) return reject(source_file, "empty file");
  if (bytes.length > MAX_ARTICLE_BYTES) return reject(source_file, `file too large (${bytes.length} bytes; limit ${MAX_ARTICLE_BYTES})`);
  if (bytes.includes(0)) return reject(source_file, "binary file (contains NUL bytes)");
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return reject(source_file, "not valid UTF-8");
  }
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  const fm = parseFrontMatter(text);
  if (!fm.ok) return reject(source_file, `malformed front matter: ${fm.reason}`);
  const { fields, body } = fm.value;
  if (!NOT_SPACE.test(body)) return reject(source_file, "no article body (empty or whitespace only)");
  if (digitGroups(body, MAX_NUMBERS_PER_ARTICLE) > MAX_NUMBERS_PER_ARTICLE) return reject(source_file, `too many numbers to extract (over ${MAX_NUMBERS_PER_ARTICLE}): split the file`);

  const reg = registry.get(source_file);
  const article_id = fields.id?.trim() || reg?.article_id || source_file.replace(/\.[^.]+$/, "").split("/").pop()!;
  if (!SAFE_ID.test(article_id)) return reject(source_file, `unsafe article id ${JSON.stringify(article_id.slice(0, 80))}: use letters, digits, '.', '_' and '-'`);
  const published = fields.published?.trim() || reg?.published_date || null;
  if (published !== null && !validDate(published)) return reject(source_file, `invalid published date ${JSON.stringify(published.slice(0, 40))}: expected YYYY-MM-DD`);

  const title = fields.title?.trim() || reg?.title || null;
  const segments = segmentBody(body, title);
  const chrome = segments.filter((s) => s.kind !== "prose").reduce((n, s) => n + codePoints(body.slice(s.start, s.end)), 0);
  return {
    ok: true,
    article: {
      body,
      segments,
      meta: {
        article_id: detached(article_id),
        title: detached(title),
        publisher: detached(fields.publisher?.trim() || reg?.publisher || null),
        url: detached(fields.url?.trim() || reg?.url || null),
        published_date: detached(published),
        published_basis: reg?.published_basis ?? (published ? "front matter" : null),
        source_file,
        sha256: file.sha256 ?? fileHash(bytes),
        n_chars: codePoints(body),
        n_chrome_chars: chrome,
      },
    },
  };
}

export function duplicateId(id: string, firstFile: string): string {
  return `duplicate article id '${id}' (already used by ${firstFile})`;
}

/**
 * Parses every file; the second file claiming an id already taken is rejected. Order: by file name.
 */
export function parseArticles(files: RawFile[], registry: Map<string, RegistryEntry>): { articles: Article[]; rejected: Rejected[] } {
  const articles: Article[] = [];
  const rejected: Rejected[] = [];
  const seen = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.source_file < b.source_file ? -1 : a.source_file > b.source_file ? 1 : 0))) {
    const r = parseArticle(f, registry);
    if (!r.ok) {
      rejected.push(r.rejected);
      continue;
    }
    const id = r.article.meta.article_id;
    const first = seen.get(id);
    if (first) {
      rejected.push({ source_file: f.source_file, reason: duplicateId(id, first) });
      continue;
    }
    seen.set(id, f.source_file);
    articles.push(r.article);
  }
  return { articles, rejected };
}

/** An article from a bare text, for callers that hold no file (rule examples, tests of one sentence). */
export function articleFromText(article_id: string, body: string, published_date: string | null, title: string | null = null): Article {
  return {
    body,
    segments: segmentBody(body, title),
    meta: { article_id, title, publisher: null, url: null, published_date, published_basis: null, source_file: `${article_id}.txt`, sha256: fileHash(body), n_chars: codePoints(body), n_chrome_chars: 0 },
  };
}
