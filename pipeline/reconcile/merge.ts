import type { AidItem, Evidence, FactTable, QaCheck } from "../schema/tables.ts";
import { stableId } from "../ids.ts";
import type { ExtractedFact, StatedChange } from "../types.ts";
import { conflictsAreOneFact, factKey, primaryMeasure } from "./keys.ts";

/** A record after merging: its id, its row, and every fact (from every article) behind it. */
export interface MergedRecord {
  record_id: string;
  table: FactTable;
  row: Record<string, string | number | null>;
  facts: ExtractedFact[];
  changes: StatedChange[];
}

export interface MergeResult {
  records: MergedRecord[];
  evidence: Evidence[];
  aid_items: AidItem[];
  qa: QaCheck[];
}

function significantDigits(v: number): number {
  const digits = String(Math.abs(v)).replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.max(1, digits.length);
}

/** Restatements agree: nearly equal, or a rounded/qualified figure within 5% ("almost $1 billion" vs $987.9 million). */
export function valuesAgree(a: ExtractedFact, b: ExtractedFact): boolean {
  const x = primaryMeasure(a).value;
  const y = primaryMeasure(b).value;
  if (x === null || y === null) return x === y;
  const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-9);
  if (rel <= 0.005) return true;
  const loose = a.qualifier !== "exact" || b.qualifier !== "exact" || significantDigits(x) <= 2 || significantDigits(y) <= 2;
  return loose && rel <= 0.05;
}

/** Most precise, then most direct (unqualified), then most confident, then first in article order. */
function preference(a: ExtractedFact, b: ExtractedFact): number {
  const va = primaryMeasure(a).value;
  const vb = primaryMeasure(b).value;
  const d = (vb === null ? 0 : significantDigits(vb)) - (va === null ? 0 : significantDigits(va));
  if (d !== 0) return d;
  const q = Number(b.qualifier === "exact") - Number(a.qualifier === "exact");
  if (q !== 0) return q;
  const c = (b.evidence[0]?.confidence ?? 0) - (a.evidence[0]?.confidence ?? 0);
  if (c !== 0) return c;
  return a.article_id < b.article_id ? -1 : a.article_id > b.article_id ? 1 : (a.evidence[0]?.char_start ?? 0) - (b.evidence[0]?.char_start ?? 0);
}

function roundTag(v: number | null): string | null {
  return v === null ? null : Number(v.toPrecision(2)).toString();
}

function fmt(f: ExtractedFact): string {
  const m = primaryMeasure(f);
  return `${m.value} ${m.name} (${f.article_id}: "${f.evidence[0]?.value_text ?? ""}")`;
}

/**
 * Merges facts that state the same thing, within and across articles. Grouping is by hashed key, so the
 * cost is linear in the number of facts; record ids are hashes of the key, stable when other articles come and go.
 */
export function mergeFacts(facts: ExtractedFact[]): MergeResult {
  const groups = new Map<string, ExtractedFact[]>();
  for (const f of facts) {
    const k = JSON.stringify(factKey(f));
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const records: MergedRecord[] = [];
  const qa: QaCheck[] = [];
  for (const [k, group] of groups) {
    // Sorted by value, restatements of one figure are neighbours: one sweep clusters them (linear after the sort).
    const byValue = [...group].sort((a, b) => (primaryMeasure(a).value ?? -Infinity) - (primaryMeasure(b).value ?? -Infinity) || preference(a, b));
    const clusters: ExtractedFact[][] = [];
    for (const f of byValue) {
      const last = clusters.at(-1);
      if (last && valuesAgree(last.at(-1)!, f)) last.push(f);
      else clusters.push([f]);
    }
    const key = JSON.parse(k) as (string | number | null)[];
    if (clusters.length > 1 && conflictsAreOneFact(clusters)) {
      const ranked = clusters.map((c) => [...c].sort(preference)).sort((a, b) => b.length - a.length || preference(a[0]!, b[0]!));
      const rec = buildRecord(stableId(...key), ranked.flat());
      records.push(rec);
      qa.push({
        check_id: stableId("qa", "conflict", rec.record_id),
        check: "conflict",
        severity: "warning",
        passed: false,
        table_name: rec.table,
        record_id: rec.record_id,
        article_id: null,
        message: `different values for the same ${rec.table} fact: ${ranked.map((c) => fmt(c[0]!)).join(" vs ")}; kept ${fmt(ranked[0]![0]!)}`,
      });
      continue;
    }
    const tags = new Set<string | null>();
    for (const c of clusters) {
      const sorted = [...c].sort(preference);
      const value = primaryMeasure(sorted[0]!).value;
      // Distinct facts under one key are told apart by their value: rounded (stable under restatements), or
      // exact when two round alike. A key that is one fact (a dated flow or shipment) needs no tag.
      let tag = clusters.length === 1 && conflictsAreOneFact([sorted]) ? null : roundTag(value);
      if (tags.has(tag)) tag = String(value);
      for (let n = 2; tags.has(tag); n++) tag = `${value}#${n}`;
      tags.add(tag);
      records.push(buildRecord(stableId(...key, tag), sorted));
    }
  }
  records.sort((a, b) => (a.record_id < b.record_id ? -1 : 1));
  const evidence: Evidence[] = [];
  const aid_items: AidItem[] = [];
  const seenEvidence = new Set<string>();
  for (const r of records) {
    const seenItems = new Set<string>();
    for (const f of r.facts) {
      for (const e of f.evidence) {
        const evidence_id = stableId(r.record_id, f.article_id, e.char_start, e.char_end, e.field, e.value_text);
        if (seenEvidence.has(evidence_id)) continue;
        seenEvidence.add(evidence_id);
        evidence.push({ evidence_id, record_id: r.record_id, table_name: r.table, article_id: f.article_id, char_start: e.char_start, char_end: e.char_end, quote: e.quote, value_text: e.value_text, field: e.field, stated_value: e.stated_value, rule: e.rule, confidence: Number(e.confidence.toFixed(2)) });
      }
      for (const it of f.aid_items) {
        const k = `${it.item}\u0000${it.unit}`;
        if (seenItems.has(k)) continue;
        seenItems.add(k);
        aid_items.push({ record_id: r.record_id, item: it.item, quantity: it.quantity, unit: it.unit });
      }
      for (const n of f.notes) {
        qa.push({ check_id: stableId("qa", n.check, r.record_id, f.article_id, n.message), check: n.check, severity: n.severity, passed: null, table_name: r.table, record_id: r.record_id, article_id: f.article_id, message: n.message });
      }
    }
  }
  return { records, evidence, aid_items, qa };
}

function buildRecord(record_id: string, facts: ExtractedFact[]): MergedRecord {
  const best = facts[0]!;
  const row: Record<string, string | number | null> = { record_id, ...best.fields };
  for (const f of facts.slice(1)) for (const [k, v] of Object.entries(f.fields)) if (row[k] === null && v !== null && k !== "value_usd" && k !== "value_original") row[k] = v;
  row.qualifier = best.qualifier;
  row.n_sources = new Set(facts.map((f) => f.article_id)).size;
  return { record_id, table: best.table, row, facts, changes: facts.flatMap((f) => f.changes) };
}
