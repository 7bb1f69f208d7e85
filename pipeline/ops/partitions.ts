/**
 * Reconcile and derive at archive size, a partition at a time, on any thread, with every table spilled so
 * that none is ever held whole:
 *
 * - facts are spilled in parts by merge key (the main thread does that while extracting); each part merges
 *   alone (mergePart), since facts sharing a key share a part;
 * - merged records are spilled in groups by derivation group (derive/records.ts); each group derives alone
 *   (deriveGroup);
 * - every published table is spilled in buckets by a monotone function of its primary key, so reading
 *   bucket 0, 1, ... hands the publisher its rows in canonical order, a bucket per chunk (spilledTables).
 */
import { uniqueChecks } from "../derive/checks.ts";
import { derivationGroup, deriveRecords } from "../derive/records.ts";
import { mergeFacts, type MergedRecord } from "../reconcile/merge.ts";
import type { Dataset, FactTable, QaCheck } from "../schema/tables.ts";
import type { ExtractedFact } from "../types.ts";
import type { ChunkedRows, PublishDataset } from "../publish/publish.ts";
import { idBucket, partOf, readSpilled, readSpilledAcross, Spill } from "./spill.ts";

export interface SpillLayout {
  dir: string;
  /** Fact parts, by merge key. */
  parts: number;
  /** Record groups, by derivation group. */
  groups: number;
  /** Buckets of each published table: a bucket is one chunk in the publisher's hands. */
  buckets: number;
}

/** Merged records per group are about a thirtieth of the facts of a part: a few parts' worth make a group. */
const PARTS_PER_GROUP = 4;
/** Articles per bucket: evidence, the biggest table, runs to ~15 rows an article. */
const ARTICLES_PER_BUCKET = 2000;

export function spillLayout(dir: string, articles: number, articlesPerPart: number): SpillLayout {
  const parts = Math.max(1, Math.ceil(articles / articlesPerPart));
  return { dir, parts, groups: Math.ceil(parts / PARTS_PER_GROUP), buckets: Math.min(4096, Math.max(16, Math.ceil(articles / ARTICLES_PER_BUCKET))) };
}

const FACT_TABLES: FactTable[] = ["trade_flows", "aid_shipments", "contracts", "grants"];
const numbered = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}-${i}`);

/** Spills written by the main thread while it takes in extracted articles. */
export const SPILLS = {
  facts: "facts",
  /** Articles in arrival order, `article_id\tjson` (one part), before they are bucketed by id. */
  articlesIn: "articles-in",
  articles: "articles",
  extractQa: "qa-extract",
  undatedQa: "qa-undated",
} as const;

/** Where the main thread spills normalized facts, in parts by merge key. */
export const factSpill = (l: SpillLayout) => new Spill<ExtractedFact>(l.dir, SPILLS.facts, l.parts);

async function spillByBucket<T>(l: SpillLayout, name: string, rows: T[], id: (row: T) => string): Promise<void> {
  const out = new Spill<T>(l.dir, name, l.buckets);
  for (const row of rows) await out.add(idBucket(id(row), l.buckets), row);
  await out.flush();
}

/** Merges one fact part: evidence, items and merge checks to their buckets, records to their groups. */
export async function mergePart(l: SpillLayout, part: number): Promise<void> {
  const { records, evidence, aid_items, qa } = mergeFacts(await readSpilled<ExtractedFact>(l.dir, SPILLS.facts, part));
  await spillByBucket(l, `evidence-${part}`, evidence, (e) => e.evidence_id);
  await spillByBucket(l, `aid_items-${part}`, aid_items, (a) => a.record_id);
  await spillByBucket(l, `qa-merge-${part}`, qa, (q) => q.check_id);
  const out = new Spill<MergedRecord>(l.dir, `records-${part}`, l.groups);
  for (const r of records) await out.add(partOf(derivationGroup(r), l.groups), r);
  await out.flush();
}

/** Derives one record group (after every part has merged): table rows, growth and checks to their buckets. */
export async function deriveGroup(l: SpillLayout, group: number): Promise<void> {
  const { qa, growth_rates, ...tables } = deriveRecords(await readSpilledAcross<MergedRecord>(l.dir, numbered("records", l.parts), group));
  for (const t of FACT_TABLES) await spillByBucket(l, `${t}-${group}`, tables[t] as { record_id: string }[], (r) => r.record_id);
  await spillByBucket(l, `growth_rates-${group}`, growth_rates, (g) => g.growth_id);
  await spillByBucket(l, `qa-derive-${group}`, qa, (q) => q.check_id);
}

function bucketed(l: SpillLayout, names: string[], keep: (rows: Record<string, unknown>[]) => Record<string, unknown>[] = (rows) => rows): ChunkedRows {
  return {
    async *chunks() {
      for (let b = 0; b < l.buckets; b++) yield keep(await readSpilledAcross(l.dir, names, b));
    },
  };
}

/**
 * Every spilled table as the publisher takes it, after every group has derived; `onQa` sees each chunk
 * of QA rows as it goes out. QA rows are read in stage order (extraction, merge, derivation, articles),
 * so the one kept of a repeated check is the one the in-memory run keeps.
 */
export function spilledTables(l: SpillLayout, onQa: (rows: QaCheck[]) => void): Omit<PublishDataset, "rejected"> {
  const qaNames = [SPILLS.extractQa, ...numbered("qa-merge", l.parts), ...numbered("qa-derive", l.groups), SPILLS.undatedQa];
  const byGroup = (t: keyof Dataset) => bucketed(l, numbered(t, l.groups));
  return {
    articles: bucketed(l, [SPILLS.articles]),
    trade_flows: byGroup("trade_flows"),
    aid_shipments: byGroup("aid_shipments"),
    aid_items: bucketed(l, numbered("aid_items", l.parts)),
    contracts: byGroup("contracts"),
    grants: byGroup("grants"),
    growth_rates: byGroup("growth_rates"),
    evidence: bucketed(l, numbered("evidence", l.parts)),
    qa_checks: bucketed(l, qaNames, (rows) => {
      const kept = uniqueChecks(rows as QaCheck[]);
      onQa(kept);
      return kept;
    }),
  };
}
