import { factTable, type Measured } from "../schema/tables.ts";
import type { ExtractedFact } from "../types.ts";

type KeyPart = string | number | null;

/** The measure a fact's main number is in, and that number (its table's rule). */
export function primaryMeasure(f: ExtractedFact): Measured {
  return factTable(f.table).primaryMeasure(f);
}

/** The column that carries a measure of a table (primaryMeasure names it); a measure not listed is its own column. */
export function measureField(table: string, measure: string): string {
  return factTable(table).measures[measure] ?? measure;
}

/**
 * An event: one delivery or pledge of aid, or one signing of contracts (the tables whose entry has `event`).
 * Its mentions are told apart by day, place and figure (reconcile/events.ts), so its key leaves the date out.
 */
export function isEvent(f: Pick<ExtractedFact, "table" | "fields">): boolean {
  const event = factTable(f.table).event;
  return event !== undefined && (event.when?.(f.fields) ?? true);
}

/**
 * What makes two mentions candidates for the same fact (before comparing values, and for events dates and
 * places): the table, its key columns (in canonical order) and the measure. `measure` is primaryMeasure(f).name,
 * passed by callers that have it already.
 */
export function factKey(f: ExtractedFact, measure = primaryMeasure(f).name): KeyPart[] {
  const def = factTable(f.table);
  const v = f.fields;
  const canonical = def.canonical?.(v) ?? null;
  const columns = def.event && isEvent(f) ? (def.event.key ?? def.key) : def.key;
  const key: KeyPart[] = [f.table];
  for (const c of columns) key.push((canonical !== null && c in canonical ? canonical[c] : v[c]) ?? null);
  key.push(measure);
  if (def.undatedWithinArticle) key.push(v.period_start === null ? f.article_id : null);
  return key;
}

/**
 * factKey as a string: mergeFacts groups by it, and facts split into parts by it (every fact of a key in the
 * same part) merge part by part to the same records as all at once.
 */
export function partitionKey(f: ExtractedFact, measure = primaryMeasure(f).name): string {
  return JSON.stringify(factKey(f, measure));
}

/** What conflictsAreOneFact asks of a key's facts: the same for every fact of a key. */
export interface KeyTraits {
  table: ExtractedFact["table"];
  fields: { period_start?: string | number | null; event_date?: string | number | null };
}

/**
 * When values differ under one key, is it one fact stated two ways (a conflict) or two facts? The table's
 * datedConflict says: a dated key is one fact (trade), or one total when the differing values come from
 * different articles (aid aggregates: one article listing two totals for a span means two). Elsewhere,
 * different values are different facts (events never reach here: reconcile/events.ts tells them apart).
 * `f` is any fact of the key (or the traits of it asked here); `clusters` are the mentions grouped by value.
 */
export function conflictsAreOneFact(f: KeyTraits, clusters: { article_id: string }[][]): boolean {
  const rule = factTable(f.table).datedConflict;
  if (rule === "one_fact") return f.fields.period_start !== null;
  if (rule !== "one_fact_across_articles" || (f.fields.event_date === null && f.fields.period_start === null)) return false;
  const articleSets = clusters.map((c) => new Set(c.map((x) => x.article_id)));
  return articleSets.every((a, i) => articleSets.every((b, j) => i === j || [...a].every((id) => !b.has(id))));
}

/**
 * A normalized fact with its article's publication date (ExtractedFact.published), for reconcile: the in-memory
 * run and the archive's fact lines both set it here, so both merge the same facts. Sets it on `f` itself (a
 * fresh copy from normalize) and returns it.
 */
export function withPublished(f: ExtractedFact, published: string | null): ExtractedFact {
  f.published = published;
  return f;
}
