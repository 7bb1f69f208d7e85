/**
 * Reconcile and derive at archive size, a partition at a time, on any thread, with no table ever held whole:
 *
 * - facts are spilled in parts by merge key (the main thread does that while extracting); each part merges
 *   alone (mergePart), since facts sharing a key share a part;
 * - merged records are spilled in groups by derivation group (derive/records.ts); each group derives alone
 *   (deriveGroup);
 * - every published table is written as sorted runs (ops/runs.ts), by the part or group that made its rows,
 *   and the publisher takes the runs merged, in canonical order, a chunk at a time (spilledTables).
 */
import { derivationGroup, deriveRecords } from "../derive/records.ts";
import type { ChunkedRows, PublishDataset } from "../publish/publish.ts";
import { canonicalOrder, type Row } from "../publish/rows.ts";
import { buildRecord, MergePlan, type Draft, type MergedRecord, type MergeResult } from "../reconcile/merge.ts";
import { columnsOf, FACT_TABLES, TABLES, type AidItem, type Dataset, type Evidence, type FactTable, type QaCheck } from "../schema/tables.ts";
import type { ExtractedFact } from "../types.ts";
import { listRuns, mergeRuns, RunWriter, writeRun, type Compare } from "./runs.ts";
import { partOf, readSpilledAcross, Spill, SpillPartReader } from "./spill.ts";

export interface SpillLayout {
  dir: string;
  /** Fact parts, by merge key. */
  parts: number;
  /** Record groups, by derivation group. */
  groups: number;
}

/**
 * Input bytes per fact part, so that a part's facts stay few whatever the articles: ~7k facts (~20 MB of
 * heap to merge) in news-like text, ~5× that in the densest adversarial text, either way well within
 * PARTITION_HEAP_MB.
 */
export const BYTES_PER_PART = 2 << 20;
/** Heap of a worker that merges parts and derives groups (ExtractPoolOptions.heapMb). */
export const PARTITION_HEAP_MB = 256;
/**
 * Young generation of such a worker (ExtractPoolOptions.youngMb). A merge keeps a part's facts to its end,
 * so V8's default young generation only delays their promotion: at 8 MB two merging workers peaked ~40 MB
 * lower, in the same time (10,000 articles, alternated runs); at 4 MB, lower still but slower.
 */
export const PARTITION_YOUNG_MB = 8;
/** Merged records are about a fifth of the facts of a part: a few parts' worth make a group. */
const PARTS_PER_GROUP = 4;
/** Rows per chunk handed to the publisher. */
const CHUNK_ROWS = 8192;

export function spillLayout(dir: string, inputBytes: number, bytesPerPart = BYTES_PER_PART): SpillLayout {
  const parts = Math.max(1, Math.ceil(inputBytes / bytesPerPart));
  return { dir, parts, groups: Math.ceil(parts / PARTS_PER_GROUP) };
}

type TableName = keyof Dataset;
const numbered = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}-${i}`);

/** The order runs are sorted in: the table's primary key, as the publisher orders it. */
function keyOrder<T>(table: TableName): Compare<T> {
  const def = TABLES.find((t) => t.name === table)!;
  const { compareKeys } = canonicalOrder(def, columnsOf(def));
  return compareKeys as unknown as Compare<T>;
}

const FACTS = "facts";

/** Where the main thread spills normalized facts, in parts by merge key. */
export const factSpill = (l: SpillLayout) => new Spill<ExtractedFact>(l.dir, FACTS, l.parts);

/**
 * Runs the main thread writes while it takes in extracted articles: articles, their extraction checks,
 * undated-article checks, and what corrections leave (the evidence of rejected facts, unmatched corrections).
 */
export function mainRuns(l: SpillLayout) {
  return {
    articles: new RunWriter<Dataset["articles"][number]>(l.dir, "articles", keyOrder("articles")),
    extractQa: new RunWriter<QaCheck>(l.dir, "qa-extract", keyOrder("qa_checks")),
    undatedQa: new RunWriter<QaCheck>(l.dir, "qa-undated", keyOrder("qa_checks")),
    correctionsQa: new RunWriter<QaCheck>(l.dir, "qa-corrections", keyOrder("qa_checks")),
    reviewEvidence: new RunWriter<Evidence>(l.dir, "evidence-review", keyOrder("evidence")),
  };
}
export type MainRuns = ReturnType<typeof mainRuns>;

/** Rows a merge holds of each table it writes before it sorts them out as a run. */
const MERGE_ROWS_PER_RUN = 20_000;

/**
 * Merges one fact part: evidence, items and merge checks as sorted runs, records to their groups. It keeps
 * what clustering compares of each fact and where the fact lies in the part, not the fact: the facts of a
 * record are read again as it is built. A key stated in a good share of all articles (an undated contract
 * between two countries, say) then costs ~150 bytes a mention, not a parsed fact of a few KB.
 */
export async function mergePart(l: SpillLayout, part: number, rowsPerRun = MERGE_ROWS_PER_RUN): Promise<void> {
  const reader = SpillPartReader.open(l.dir, FACTS, part);
  if (!reader) return;
  try {
    // A mention's ref is the index in `spans` of its line's first byte; the byte after its end follows.
    const plan = new MergePlan<number>();
    const spans: number[] = [];
    for (const [text, start, end] of reader.lines()) {
      plan.add(JSON.parse(text) as ExtractedFact, spans.length);
      spans.push(start, end);
    }
    const { drafts, qa } = plan.drafts();
    const evidence = new RunWriter<Evidence>(l.dir, `evidence-${part}`, keyOrder("evidence"), rowsPerRun);
    const items = new RunWriter<AidItem>(l.dir, `aid_items-${part}`, keyOrder("aid_items"), rowsPerRun);
    const checks = new RunWriter<QaCheck>(l.dir, `qa-merge-${part}`, keyOrder("qa_checks"), rowsPerRun);
    const records = new Spill<MergedRecord>(l.dir, `records-${part}`, l.groups);
    for (const q of qa) await checks.add(q);
    function* factsOf(d: Draft<number>): Generator<ExtractedFact> {
      for (const m of d.mentions) yield JSON.parse(reader!.lineAt(spans[m.ref]!, spans[m.ref + 1]!)) as ExtractedFact;
    }
    for (const d of drafts) {
      const out: Omit<MergeResult, "records"> = { evidence: [], aid_items: [], qa: [] };
      const r = buildRecord(d, factsOf(d), out);
      await records.add(partOf(derivationGroup(r), l.groups), r);
      for (const e of out.evidence) await evidence.add(e);
      for (const it of out.aid_items) await items.add(it);
      for (const q of out.qa) await checks.add(q);
    }
    await Promise.all([evidence.flush(), items.flush(), checks.flush(), records.flush()]);
  } finally {
    reader.close();
  }
}

/** Derives one record group (after every part has merged): table rows, growth and checks as sorted runs. */
export async function deriveGroup(l: SpillLayout, group: number): Promise<void> {
  const { qa, ...tables } = deriveRecords(await readSpilledAcross<MergedRecord>(l.dir, numbered("records", l.parts), group));
  for (const [t, rows] of Object.entries(tables)) await writeRun(l.dir, `${t}-${group}`, rows as Row[], keyOrder(t as TableName));
  await writeRun(l.dir, `qa-derive-${group}`, qa, keyOrder("qa_checks"));
}

/**
 * A table read from its runs (named, or listed when it is read); `filter`, made afresh for each reading,
 * sees the chunks in order.
 */
function merged(l: SpillLayout, table: TableName, runs: string[] | (() => Promise<string[]>), filter: () => (rows: Row[]) => Row[] = () => (rows) => rows): ChunkedRows {
  return {
    async *chunks() {
      const keep = filter();
      const names = typeof runs === "function" ? await runs() : runs;
      for await (const rows of mergeRuns<Row>(l.dir, names, keyOrder(table), CHUNK_ROWS)) yield keep(rows);
    },
  };
}

/** The first of each check id: repeats arrive side by side (runs merge by key, ties in run order), also across chunks. */
function firstOfEachCheck(onQa: (rows: QaCheck[]) => void): () => (rows: Row[]) => Row[] {
  return () => {
    let last: string | null = null;
    return (rows) => {
      const kept: QaCheck[] = [];
      for (const q of rows as QaCheck[]) {
        if (q.check_id !== last) kept.push(q);
        last = q.check_id;
      }
      onQa(kept);
      return kept;
    };
  };
}

/**
 * Every spilled table as the publisher takes it, after every group has derived; `onQa` sees each chunk of
 * QA rows as it goes out. QA runs are merged in stage order (extraction, merge, derivation, articles), so
 * the one kept of a repeated check is the one the in-memory run keeps.
 */
export function spilledTables(l: SpillLayout, main: MainRuns, onQa: (rows: QaCheck[]) => void): Omit<PublishDataset, "rejected" | "corrections_unmatched"> {
  const byGroup = (t: TableName) => merged(l, t, numbered(t, l.groups));
  // A part's merge writes as many runs of a table as its rows need: `${base}-${part}-${n}`.
  const byPart = (base: string) => () => listRuns(l.dir, base);
  return {
    articles: merged(l, "articles", main.articles.runs()),
    ...(Object.fromEntries(FACT_TABLES.map((t) => [t, byGroup(t)])) as Record<FactTable, ChunkedRows>),
    aid_items: merged(l, "aid_items", byPart("aid_items")),
    growth_rates: byGroup("growth_rates"),
    evidence: merged(l, "evidence", async () => [...(await listRuns(l.dir, "evidence")), ...main.reviewEvidence.runs()]),
    qa_checks: merged(l, "qa_checks", async () => [...main.extractQa.runs(), ...main.correctionsQa.runs(), ...(await listRuns(l.dir, "qa-merge")), ...numbered("qa-derive", l.groups), ...main.undatedQa.runs()], firstOfEachCheck(onQa)),
  };
}
