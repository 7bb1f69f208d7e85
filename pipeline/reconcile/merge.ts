import type { AidItem, Evidence, FactTable, QaCheck } from "../schema/tables.ts";
import { idOfJson, stableId } from "../ids.ts";
import type { ExtractedFact, StatedChange } from "../types.ts";
import { conflictsAreOneFact, partitionKey, primaryMeasure } from "./keys.ts";
import { halfUnit } from "./precision.ts";

/**
 * A record after merging: its id, its row, and the little that later steps need of the facts behind it.
 * It holds no fact, so that facts can be freed once merged.
 */
export interface MergedRecord {
  record_id: string;
  table: FactTable;
  row: Record<string, string | number | null>;
  changes: StatedChange[];
  /** Half a unit of the last digit the preferred mention wrote for these row values (0 when not written). */
  halfUnit: { value_usd: number; quantity_tonnes: number };
}

export interface MergeResult {
  records: MergedRecord[];
  evidence: Evidence[];
  aid_items: AidItem[];
  qa: QaCheck[];
}

/** A fact with what ranking and clustering compare, computed once: sorts read it many times per fact. */
interface Mention {
  fact: ExtractedFact;
  article_id: string;
  measure: string;
  value: number | null;
  /** Significant digits of the value; 0 when there is none. */
  digits: number;
  exact: boolean;
  confidence: number;
  start: number;
}

/** Digits written without the leading and trailing zeros (at least 1): "0.0120" → 2, "1500" → 2. */
function significantDigits(v: number): number {
  // Scans the decimal text instead of trimming copies of it: this runs once per fact.
  const s = String(Math.abs(v));
  const dot = s.indexOf(".");
  let lo = 0;
  let hi = s.length;
  while (lo < hi && (s[lo] === "0" || lo === dot)) lo++;
  while (hi > lo && (s[hi - 1] === "0" || hi - 1 === dot)) hi--;
  const digits = hi - lo - (dot >= lo && dot < hi ? 1 : 0);
  return Math.max(1, digits);
}

function mention(f: ExtractedFact): Mention {
  const { name, value } = primaryMeasure(f);
  const first = f.evidence[0];
  return {
    fact: f,
    article_id: f.article_id,
    measure: name,
    value,
    digits: value === null ? 0 : significantDigits(value),
    exact: f.qualifier === "exact",
    confidence: first?.confidence ?? 0,
    start: first?.char_start ?? 0,
  };
}

/** Restatements agree: nearly equal, or a rounded/qualified figure within 5% ("almost $1 billion" vs $987.9 million). */
function valuesAgree(a: Mention, b: Mention): boolean {
  const x = a.value;
  const y = b.value;
  if (x === null || y === null) return x === y;
  const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-9);
  if (rel <= 0.005) return true;
  const loose = !a.exact || !b.exact || a.digits <= 2 || b.digits <= 2;
  return loose && rel <= 0.05;
}

/** Most precise, then most direct (unqualified), then most confident, then first in article order. */
function preference(a: Mention, b: Mention): number {
  const d = b.digits - a.digits;
  if (d !== 0) return d;
  const q = Number(b.exact) - Number(a.exact);
  if (q !== 0) return q;
  const c = b.confidence - a.confidence;
  if (c !== 0) return c;
  return a.article_id < b.article_id ? -1 : a.article_id > b.article_id ? 1 : a.start - b.start;
}

function byValue(a: Mention, b: Mention): number {
  return (a.value ?? -Infinity) - (b.value ?? -Infinity) || preference(a, b);
}

function roundTag(v: number | null): string | null {
  return v === null ? null : Number(v.toPrecision(2)).toString();
}

function fmt(m: Mention): string {
  return `${m.value} ${m.measure} (${m.article_id}: "${m.fact.evidence[0]?.value_text ?? ""}")`;
}

/** A record's id and its mentions, best first, until the record is built. */
interface Draft {
  record_id: string;
  mentions: Mention[];
}

/**
 * Merges facts that state the same thing, within and across articles. Grouping is by hashed key, so the
 * cost is linear in the number of facts; record ids are hashes of the key, stable when other articles come and go.
 * Every fact of a key must be in one call (see partitionKey): calls on parts split by key give the same records.
 */
export function mergeFacts(facts: ExtractedFact[]): MergeResult {
  const groups = new Map<string, Mention[]>();
  for (const f of facts) {
    const m = mention(f);
    const k = partitionKey(f, m.measure);
    const g = groups.get(k);
    if (g) g.push(m);
    else groups.set(k, [m]);
  }
  const drafts: Draft[] = [];
  const qa: QaCheck[] = [];
  for (const [k, group] of groups) {
    // Sorted by value, restatements of one figure are neighbours: one sweep clusters them (linear after the sort).
    group.sort(byValue);
    const clusters: Mention[][] = [];
    for (const m of group) {
      const last = clusters.at(-1);
      if (last && valuesAgree(last.at(-1)!, m)) last.push(m);
      else clusters.push([m]);
    }
    // k is the key's JSON, so hashing it (or it with a tag appended) is stableId(...key) (or stableId(...key, tag)).
    if (clusters.length > 1 && conflictsAreOneFact(clusters[0]![0]!.fact, clusters)) {
      const ranked = clusters.map((c) => c.sort(preference)).sort((a, b) => b.length - a.length || preference(a[0]!, b[0]!));
      const record_id = idOfJson(k);
      const table = group[0]!.fact.table;
      drafts.push({ record_id, mentions: ranked.flat() });
      qa.push({
        check_id: stableId("qa", "conflict", record_id),
        check: "conflict",
        severity: "warning",
        passed: false,
        table_name: table,
        record_id,
        article_id: null,
        message: `different values for the same ${table} fact: ${ranked.map((c) => fmt(c[0]!)).join(" vs ")}; kept ${fmt(ranked[0]![0]!)}`,
      });
      continue;
    }
    const tags = new Set<string | null>();
    for (const c of clusters) {
      c.sort(preference);
      const value = c[0]!.value;
      // Distinct facts under one key are told apart by their value: rounded (stable under restatements), or
      // exact when two round alike. A key that is one fact (a dated flow or shipment) needs no tag.
      let tag = clusters.length === 1 && conflictsAreOneFact(c[0]!.fact, [c]) ? null : roundTag(value);
      if (tags.has(tag)) tag = String(value);
      for (let n = 2; tags.has(tag); n++) tag = `${value}#${n}`;
      tags.add(tag);
      drafts.push({ record_id: idOfJson(`${k.slice(0, -1)},${JSON.stringify(tag)}]`), mentions: c });
    }
  }
  drafts.sort((a, b) => (a.record_id < b.record_id ? -1 : 1));
  const out: MergeResult = { records: [], evidence: [], aid_items: [], qa };
  for (const d of drafts) out.records.push(buildRecord(d, out));
  return out;
}

/** The record of a draft; its evidence, aid items and caveats go to `out`. */
function buildRecord({ record_id, mentions }: Draft, out: MergeResult): MergedRecord {
  const best = mentions[0]!.fact;
  const table = best.table;
  const row: Record<string, string | number | null> = { record_id, ...best.fields };
  for (let i = 1; i < mentions.length; i++) {
    const fields = mentions[i]!.fact.fields;
    for (const k in fields) {
      const v = fields[k]!;
      if (row[k] === null && v !== null && k !== "value_usd" && k !== "value_original") row[k] = v;
    }
  }
  row.qualifier = best.qualifier;
  row.n_sources = mentions.length === 1 ? 1 : new Set(mentions.map((m) => m.article_id)).size;
  // Evidence ids include the record id, so duplicates can only come from this record's own mentions.
  const seenEvidence = new Set<string>();
  const seenItems = new Set<string>();
  const changes: StatedChange[] = [];
  for (const { fact: f } of mentions) {
    for (const e of f.evidence) {
      const evidence_id = stableId(record_id, f.article_id, e.char_start, e.char_end, e.field, e.value_text);
      if (seenEvidence.has(evidence_id)) continue;
      seenEvidence.add(evidence_id);
      out.evidence.push({ evidence_id, record_id, table_name: table, article_id: f.article_id, char_start: e.char_start, char_end: e.char_end, quote: e.quote, value_text: e.value_text, field: e.field, stated_value: e.stated_value, rule: e.rule, confidence: Number(e.confidence.toFixed(2)) });
    }
    for (const it of f.aid_items) {
      const k = `${it.item}\u0000${it.unit}`;
      if (seenItems.has(k)) continue;
      seenItems.add(k);
      out.aid_items.push({ record_id, item: it.item, quantity: it.quantity, unit: it.unit });
    }
    for (const n of f.notes) {
      out.qa.push({ check_id: stableId("qa", n.check, record_id, f.article_id, n.message), check: n.check, severity: n.severity, passed: null, table_name: table, record_id, article_id: f.article_id, message: n.message });
    }
    for (const ch of f.changes) changes.push(ch);
  }
  return { record_id, table, row, changes, halfUnit: { value_usd: writtenHalfUnit(best, row, "value_usd"), quantity_tonnes: writtenHalfUnit(best, row, "quantity_tonnes") } };
}

/** The rounding of a row value as the preferred mention wrote it ("$978.9 million" → 50,000). */
function writtenHalfUnit(best: ExtractedFact, row: Record<string, string | number | null>, field: string): number {
  const e = best.evidence.find((x) => x.field === field);
  const v = row[field];
  return e && v !== null && v !== undefined ? halfUnit(e.value_text, v as number) : 0;
}
