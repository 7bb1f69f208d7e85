import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";

/** The front-matter keys the contract reads; any other key is allowed and ignored. */
export const FRONT_MATTER_KEYS = ["id", "title", "publisher", "url", "published", "language"] as const;
export type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];

/** The contract's keys as written; a key left empty (`published:`) is absent. */
export type FrontMatterFields = Partial<Record<FrontMatterKey, string>>;

export interface FrontMatter {
  fields: FrontMatterFields;
  body: string;
}

export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; reason: string };

/** Metadata needs a few hundred bytes; the limit keeps a runaway block from costing a parse of megabytes. */
export const MAX_FRONT_MATTER_BYTES = 64 * 1024;
/** Enough for any honest reuse of an anchor, far too few for a "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;
const KEYS = new Set<string>(FRONT_MATTER_KEYS);

/**
 * A scalar's text as the file writes it: YAML would read `id: 0012` as the number 12 and `!!timestamp
 * 2023-08-04` as a Date at UTC midnight, and an article id or a publication date must stay what was written.
 */
function scalarText(node: Node): string | null | { error: string } {
  if (!isScalar(node)) return { error: isMap(node) ? "a mapping" : "a list" };
  if (node.value === null || node.value === undefined) return null;
  if (typeof node.value === "string") return node.value;
  return node.source ?? String(node.value);
}

/**
 * Splits an optional `---` block from the text and reads it as YAML (1.2 core schema). Text without a block
 * is all body; a block that is not valid YAML, is too large or expands too many aliases is a reason to reject.
 */
export function parseFrontMatter(text: string): FrontMatterResult {
  if (!/^---[ \t]*\n/.test(text)) return { ok: true, value: { fields: {}, body: text } };
  const close = /\n---[ \t]*(\n|$)/.exec(text.slice(3));
  if (!close) return { ok: false, reason: "opened with '---' but never closed" };
  const blockEnd = 3 + close.index;
  const firstLineEnd = text.indexOf("\n");
  const block = text.slice(firstLineEnd + 1, blockEnd + 1);
  const body = text.slice(blockEnd + close[0].length);
  const bytes = Buffer.byteLength(block, "utf8");
  if (bytes > MAX_FRONT_MATTER_BYTES) return { ok: false, reason: `too large (${bytes} bytes; limit ${MAX_FRONT_MATTER_BYTES})` };

  const simple = simpleBlock(block);
  if (simple) return { ok: true, value: { fields: simple, body } };
  const parsed = yamlBlock(block);
  return parsed.ok ? { ok: true, value: { fields: parsed.fields, body } } : parsed;
}

/** Characters YAML reads as themselves anywhere in a one-line scalar: no control characters, no byte-order mark. */
const TEXT = "[^\\x00-\\x1f\\x7f-\\x9f\\ufeff";
/**
 * A `key: value` line whose value YAML reads as the text written: plain (no indicator first, no ": " or " #"
 * inside, checked apart), or in double quotes without escapes, or in single quotes without doubled quotes.
 */
const SIMPLE_LINE = new RegExp(`^([A-Za-z_][A-Za-z0-9_-]*):(?: +(?:"(${TEXT}"\\\\]*)"|'(${TEXT}']*)'|([A-Za-z0-9(]${TEXT}]*?)))? *$`);
const NOT_PLAIN = /: |:$| #/;
/** The plain scalars the core schema reads as null. */
const CORE_NULL = /^(?:null|Null|NULL)$/;

/**
 * The fields of a block made only of one-line `key: value` lines (and blank ones), as the YAML library would
 * read them, or null for anything else, which the library reads. Nearly every article's block is of this shape,
 * and the library's full parse of it was ~7% of an article's extraction time.
 */
export function simpleBlock(block: string): FrontMatterFields | null {
  const fields: FrontMatterFields = {};
  const seen = new Set<string>();
  for (const line of block.split("\n")) {
    if (/^ *$/.test(line)) continue;
    const m = SIMPLE_LINE.exec(line);
    // A repeated key is an error the library reports.
    if (!m || seen.has(m[1]!)) return null;
    seen.add(m[1]!);
    const plain = m[4];
    if (plain !== undefined && NOT_PLAIN.test(plain)) return null;
    const value = m[2] ?? m[3] ?? (plain !== undefined && !CORE_NULL.test(plain) ? plain : undefined);
    if (KEYS.has(m[1]!) && value !== undefined) fields[m[1] as FrontMatterKey] = value;
  }
  return fields;
}

/** The block read by the YAML library (1.2 core schema), or why it cannot be. */
export function yamlBlock(block: string): { ok: true; fields: FrontMatterFields } | { ok: false; reason: string } {
  const lines = new LineCounter();
  const doc = parseDocument(block, { schema: "core", prettyErrors: false, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    // The block starts on the file's second line, and the file's line is what an editor shows.
    return { ok: false, reason: `invalid YAML at line ${line + 1}, column ${col}: ${error.message.split("\n")[0]}` };
  }
  // An alias is written with '*': a block without one cannot expand any.
  if (block.includes("*")) {
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      return { ok: false, reason: `expands aliases more than ${MAX_ALIAS_COUNT} times` };
    }
  }
  if (doc.contents === null) return { ok: true, fields: {} };
  if (!isMap(doc.contents)) return { ok: false, reason: "not a mapping of 'key: value' lines" };

  const fields: FrontMatterFields = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : null;
    if (typeof key !== "string" || !KEYS.has(key) || pair.value === null) continue;
    const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (!node) continue;
    const value = scalarText(node as Node);
    if (value !== null && typeof value === "object") return { ok: false, reason: `'${key}' is ${value.error}, not a single value` };
    if (value !== null) fields[key as FrontMatterKey] = value;
  }
  return { ok: true, fields };
}
