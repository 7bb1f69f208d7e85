import type { AidItem, Evidence, FactTable, QaCheck } from "../schema/tables.ts";
import { idOfJson, stableId } from "../ids.ts";
import type { ExtractedFact, StatedChange } from "../types.ts";
import { combineConfidence, needsReview, statementConfidence } from "./confidence.ts";
import { eventTraits, resolveEvents } from "./events.ts";
import { conflictsAreOneFact, isEvent, measureField, partitionKey, primaryMeasure, type KeyTraits } from "./keys.ts";
import { byValue, fmt, mention, preference, roundTag, valuesAgree, type Mention } from "./mentions.ts";
import { halfUnit } from "./precision.ts";
import { MONEY_COLUMNS } from "../normalize/normalize.ts";

/** A record's money columns all come from its preferred mention: a value from one and a rate from another would not agree. */
const MONEY: ReadonlySet<string> = new Set(MONEY_COLUMNS);

/**
 * A record after merging: its id, its row, and the little that later steps need of the facts behind it.
 * It holds no fact, so that facts can be freed once merged.
 */
export interface MergedRecord {
  record_id: string;
  table: FactTable;
  row: Record<string, string | number | boolean | null>;
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

/** A record's id and its mentions, best first, until the record is built. */
export interface Draft<R> {
  record_id: string;
  mentions: Mention<R>[];
  /** How many leading mentions state the record's value; fewer than all when the sources conflict. */
  kept: number;
  /** Named in a conflict row with another record (events kept apart that look alike). */
  disputed: boolean;
}

/**
 * The facts of one key: what conflictsAreOneFact asks of them (the same for any of them), whether they are
 * events (reconcile/events.ts resolves those), and their mentions.
 */
interface KeyGroup<R> {
  traits: KeyTraits;
  event: boolean;
  mentions: Mention<R>[];
}

/**
 * Plans the records of a set of facts: `add` every fact of a key (see partitionKey), then `drafts` clusters
 * each key's mentions into records. Grouping is by hashed key, so the cost is linear in the number of facts;
 * record ids are hashes of the key, stable when other articles come and go. Facts split into parts by key
 * plan the same records part by part as all at once.
 */
export class MergePlan<R> {
  private readonly groups = new Map<string, KeyGroup<R>>();

  add(f: ExtractedFact, ref: R): void {
    const { name, value } = primaryMeasure(f);
    const m = mention(f, name, value, ref);
    const event = isEvent(f);
    if (event) m.event = eventTraits(f);
    const k = partitionKey(f, name);
    const g = this.groups.get(k);
    if (g) g.mentions.push(m);
    else this.groups.set(k, { traits: { table: f.table, fields: { period_start: f.fields.period_start ?? null, event_date: f.fields.event_date ?? null } }, event, mentions: [m] });
  }

  /** The records to build, in record-id order, and a check for each key whose values conflict. */
  drafts(): { drafts: Draft<R>[]; qa: QaCheck[] } {
    const drafts: Draft<R>[] = [];
    const qa: QaCheck[] = [];
    for (const [k, { traits, event, mentions: group }] of this.groups) {
      if (event) {
        const resolved = resolveEvents(k, traits.table, group);
        for (const e of resolved.events) drafts.push({ record_id: e.record_id, mentions: e.mentions, kept: e.mentions.length, disputed: e.disputed });
        qa.push(...resolved.qa);
        continue;
      }
      // Sorted by value, restatements of one figure are neighbours: one sweep clusters them (linear after the sort).
      group.sort(byValue);
      const clusters: Mention<R>[][] = [];
      for (const m of group) {
        const last = clusters.at(-1);
        if (last && valuesAgree(last.at(-1)!, m)) last.push(m);
        else clusters.push([m]);
      }
      // k is the key's JSON, so hashing it (or it with a tag appended) is stableId(...key) (or stableId(...key, tag)).
      if (clusters.length > 1 && conflictsAreOneFact(traits, clusters)) {
        const ranked = clusters.map((c) => c.sort(preference)).sort((a, b) => b.length - a.length || preference(a[0]!, b[0]!));
        const record_id = idOfJson(k);
        const table = traits.table;
        drafts.push({ record_id, mentions: ranked.flat(), kept: ranked[0]!.length, disputed: false });
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
        // exact when two round alike. A key that is one fact (a dated flow or aggregate) needs no tag.
        let tag = clusters.length === 1 && conflictsAreOneFact(traits, [c]) ? null : roundTag(value);
        if (tags.has(tag)) tag = String(value);
        for (let n = 2; tags.has(tag); n++) tag = `${value}#${n}`;
        tags.add(tag);
        drafts.push({ record_id: idOfJson(`${k.slice(0, -1)},${JSON.stringify(tag)}]`), mentions: c, kept: c.length, disputed: false });
      }
    }
    drafts.sort((a, b) => (a.record_id < b.record_id ? -1 : 1));
    return { drafts, qa };
  }
}

/**
 * Merges facts that state the same thing, within and across articles (see MergePlan). Every fact of a key
 * must be in one call (see partitionKey): calls on parts split by key give the same records.
 */
export function mergeFacts(facts: ExtractedFact[]): MergeResult {
  const plan = new MergePlan<ExtractedFact>();
  for (const f of facts) plan.add(f, f);
  const { drafts, qa } = plan.drafts();
  const out: MergeResult = { records: [], evidence: [], aid_items: [], qa };
  for (const d of drafts) out.records.push(buildRecord(d, d.mentions.map((m) => m.ref), out));
  return out;
}

/**
 * The record of a draft from its mentions' facts, `facts` giving them in the draft's order, one at a time
 * (so a record of many mentions is built without holding them all); its evidence, aid items and caveats go to `out`.
 */
export function buildRecord<R>({ record_id, mentions, kept, disputed }: Draft<R>, facts: Iterable<ExtractedFact>, out: Omit<MergeResult, "records">): MergedRecord {
  let best: ExtractedFact | undefined;
  let row: Record<string, string | number | boolean | null> = {};
  // Evidence ids include the record id, so duplicates can only come from this record's own mentions.
  const seenEvidence = new Set<string>();
  const seenItems = new Set<string>();
  const changes: StatedChange[] = [];
  // Only articles that state the kept value corroborate it: a conflicting figure is no support.
  const confidenceByArticle = new Map<string, number>();
  let asOf: string | null = null;
  let reviewed = false;
  let i = 0;
  for (const f of facts) {
    if (f.reviewed) reviewed = true;
    const published = f.published ?? null;
    if (published !== null && (asOf === null || published < asOf)) asOf = published;
    if (i < kept) confidenceByArticle.set(f.article_id, Math.max(confidenceByArticle.get(f.article_id) ?? 0, statementConfidence(f, measureField(f.table, mentions[i]!.measure))));
    i++;
    if (!best) {
      best = f;
      row = { record_id, ...f.fields };
    } else {
      const fields = f.fields;
      for (const k in fields) {
        const v = fields[k]!;
        if (row[k] === null && v !== null && !MONEY.has(k)) row[k] = v;
      }
    }
    const table = f.table;
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
  if (!best) throw new Error(`record ${record_id} has no facts`);
  row.qualifier = best.qualifier;
  row.n_sources = mentions.length === 1 ? 1 : new Set(mentions.map((m) => m.article_id)).size;
  row.confidence = combineConfidence([...confidenceByArticle.values()]);
  row.needs_review = needsReview(row.confidence, kept < mentions.length || disputed);
  row.as_of = asOf;
  row.reviewed = reviewed;
  return { record_id, table: best.table, row, changes, halfUnit: { value_usd: writtenHalfUnit(best, row, "value_usd"), quantity_tonnes: writtenHalfUnit(best, row, "quantity_tonnes") } };
}

/** The rounding of a row value as the preferred mention wrote it ("$978.9 million" → 50,000). */
function writtenHalfUnit(best: ExtractedFact, row: Record<string, string | number | boolean | null>, field: string): number {
  const e = best.evidence.find((x) => x.field === field);
  const v = row[field];
  return e && v !== null && v !== undefined ? halfUnit(e.value_text, v as number) : 0;
}
