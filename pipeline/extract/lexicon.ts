/**
 * The one vocabulary: currencies, scale words, units, cue words and items live as CSV files in
 * sources/lexicon/, each row with a `reason` (or `source`) saying why it is there. Every stage that
 * needs a word list reads it from here, so adding a currency or a cue is one row, not a code change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.ts";
import { parseCsv } from "../ingest/csv.ts";

export const LEXICON_DIR = join(PROJECT_ROOT, "sources", "lexicon");

const loaded = new Map<string, Record<string, string>[]>();

/** The rows of sources/lexicon/<name>.csv, read once per thread; a row without its reason fails the load. */
export function lexicon(name: string): Record<string, string>[] {
  let rows = loaded.get(name);
  if (!rows) {
    try {
      rows = parseCsv(readFileSync(join(LEXICON_DIR, `${name}.csv`), "utf8"));
    } catch (err) {
      throw new Error(`sources/lexicon/${name}.csv: ${(err as Error).message}`);
    }
    rows.forEach((r, i) => {
      if (!(r.reason ?? r.source ?? "").trim()) throw new Error(`sources/lexicon/${name}.csv row ${i + 2}: every entry needs a reason or source`);
    });
    loaded.set(name, rows);
  }
  return rows;
}

/**
 * A cue of a lexicon file as one case-insensitive, whole-word pattern: the rows whose `cue` column is `cue`,
 * their `pattern` cells (regular-expression fragments, so that inflections are one row) joined as alternatives.
 */
export function cuePattern(name: string, cue: string, flags = "i"): RegExp {
  const parts = lexicon(name).filter((r) => r.cue === cue).map((r) => r.pattern!);
  if (parts.length === 0) throw new Error(`sources/lexicon/${name}.csv has no rows for cue ${cue}`);
  return new RegExp(String.raw`\b(?:${parts.join("|")})\b`, flags);
}

/** A lexicon form (a word, not a pattern) as a pattern: regex characters escaped, any apostrophe for "'", any one white space for " ". */
export function formPattern(form: string): string {
  return form.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/'/g, "['‘’ʻʼ]").replace(/ /g, "\\s");
}

/** Forms as alternatives, longest first, so that an anchored pattern takes "US dollars" before "US dollar". */
export function alternatives(forms: readonly string[]): string {
  return [...new Set(forms)].sort((a, b) => b.length - a.length).map(formPattern).join("|");
}
