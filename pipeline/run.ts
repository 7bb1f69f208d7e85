/**
 * The stages, declared once, in order, for every caller (the CLI, eval, the tests):
 *
 *   ingest + extract (files → article lines, on the worker pool, through the cache when the CLI gives one)
 *   → corrections (per article, on the main thread) → stage (facts, articles, their checks into the store)
 *   → reconcile (facts read back by merge key) → derive (records read back by derivation group)
 *   → the published tables, read back from the store in primary-key order.
 *
 * The store (ops/store.ts) is a DuckDB database in a scratch folder, so the same code runs five seed
 * articles and an archive in bounded memory. The CLI adds locking, the cache, publishing and the manifest.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CorrectionRun } from "./corrections/apply.ts";
import { loadCorrections, type Correction } from "./corrections/read.ts";
import { articleChecks, publicationHorizon } from "./derive/checks.ts";
import { derivationGroup, deriveRecords } from "./derive/records.ts";
import { ExtractPool } from "./extract/pool.ts";
import { duplicateId, fileHash, parseArticle, type RawFile } from "./ingest/article.ts";
import { loadReference } from "./ingest/reference.ts";
import { listInputs, readListed, readRegistry, type InputListing, type InputStat } from "./ingest/read.ts";
import type { RegistryEntry } from "./ingest/registry.ts";
import { asciiJson } from "./ops/asciiJson.ts";
import type { ExtractCache } from "./ops/cache.ts";
import { articleLines, readArticleLines, rejectedLines } from "./ops/factlines.ts";
import { stageClock, type Logger } from "./ops/log.ts";
import { InputLog, QaTally, type InputEntries, type Manifest } from "./ops/manifest.ts";
import { QA_STAGE, STAGED_TABLES, Store, type StagedTable } from "./ops/store.ts";
import { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT } from "./paths.ts";
import type { ChunkedRows, PublishDataset } from "./publish/chunks.ts";
import { factKey } from "./reconcile/keys.ts";
import { buildRecord, MergePlan, type MergedRecord, type MergeResult } from "./reconcile/merge.ts";
import type { CorrectionUnmatched, Dataset, QaCheck, Rejected } from "./schema/tables.ts";
import type { Article, ExtractedFact, ExtractResult, Reference } from "./types.ts";

export { readInputs, readRegistry } from "./ingest/read.ts";
export { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT };

/**
 * Files read, parsed and extracted together: enough to keep both cores busy, few enough to bound memory.
 * A chunk also closes at CHUNK_BYTES of input: what extraction makes of a file grows with its size.
 */
const CHUNK = 512;
const CHUNK_BYTES = 4 << 20;
/** Runs of fewer files extract in-process (starting workers costs more); bigger runs use the workers for every chunk, however small. */
const SMALL_RUN = 64;
/** ... and of fewer bytes: a worker that runs out of memory costs one rejected article, the main thread the whole run. */
const SMALL_RUN_BYTES = 1 << 20;
/** Chunks between reading and being taken in at once. */
const IN_FLIGHT = 3;
/** Facts (of whole merge keys), and records (of whole derivation groups), reconciled or derived together. */
const BATCH = 5000;

/** The input files of a run, in file order (which decides duplicate ids). */
export interface InputSource {
  length: number;
  sizes(): ArrayLike<number>;
  stats(from: number, to: number): InputStat[];
  read(stats: InputStat[]): Promise<RawFile[]>;
  /** Called once every file is taken in: a listing need not be held through reconciliation. */
  release(): void;
}

/** The files of a folder, as listed. */
export function folderSource(input: string, files: InputListing): InputSource {
  return {
    length: files.length,
    sizes: () => files.fileSizes(),
    stats: (from, to) => files.slice(from, to),
    read: (stats) => readListed(input, stats),
    release: () => files.release(),
  };
}

/** Files held in memory (tests, callers without a folder), in name order. */
export function memorySource(files: RawFile[]): InputSource {
  const sorted = [...files].sort((a, b) => (a.source_file < b.source_file ? -1 : a.source_file > b.source_file ? 1 : 0));
  const byName = new Map(sorted.map((f) => [f.source_file, f]));
  return {
    length: sorted.length,
    sizes: () => sorted.map((f) => f.bytes.length),
    stats: (from, to) => sorted.slice(from, to).map((f) => ({ source_file: f.source_file, size: f.bytes.length, mtime_ms: 0 })),
    read: async (stats) => stats.map((s) => byName.get(s.source_file)!),
    release: () => {},
  };
}

export interface StageRequest {
  source: InputSource;
  registry: Map<string, RegistryEntry>;
  reference: Reference;
  corrections?: readonly Correction[];
  /** The extraction cache (the CLI's); none extracts everything. */
  cache?: ExtractCache;
  /** Extraction in-process by this function instead of the extractor (tests that state facts directly). */
  extract?: (a: Article) => ExtractResult;
  store: Store;
  /** A folder for the run's input log; the caller removes it. */
  scratch: string;
  log: Logger;
  /** Smaller chunks and batches than the defaults, for tests that must cross their boundaries. */
  sizes?: { chunk?: number; batch?: number };
}

export interface Staged {
  /** Every table read back from the store (which must stay open until it is published), or held. */
  dataset: PublishDataset;
  /** Counts of the QA rows, once the dataset is read (they are counted on their way out). */
  qaSummary: () => Manifest["qa_summary"];
  /** An entry per input file, in file order, for the manifest. */
  inputs: InputEntries;
  accepted: number;
  rejected: Rejected[];
  /** Corrections that no longer apply (also in the dataset, and as qa_checks errors). */
  unmatched: CorrectionUnmatched[];
  reextracted: number;
  stages: Record<string, number>;
}

/** Runs every stage; the dataset is read from `req.store`. */
export async function runStages(req: StageRequest): Promise<Staged> {
  const stages: Record<string, number> = {};
  const clock = stageClock(stages, req.log);
  const taken = await ingestAndExtract(req);
  clock.lap("extract");
  const batch = req.sizes?.batch ?? BATCH;
  await reconcile(req.store, batch);
  clock.lap("reconcile");
  await derive(req.store, batch);
  clock.lap("derive");
  const qa = new QaTally();
  const dataset = { ...publishedTables(req.store, qa.add.bind(qa)), rejected: taken.rejected, corrections_unmatched: taken.unmatched };
  return { dataset, qaSummary: qa.summary.bind(qa), inputs: taken.inputs.entries, accepted: taken.inputs.accepted, rejected: taken.rejected, unmatched: taken.unmatched, reextracted: taken.reextracted, stages };
}

/** Where chunks start, and the end: at most `files` files and `maxBytes` of input each (but at least one file), given each file's size. */
export function chunkBounds(sizes: ArrayLike<number>, files: number, maxBytes = CHUNK_BYTES): number[] {
  const bounds = [0];
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (i > bounds.at(-1)! && (i - bounds.at(-1)! >= files || bytes + sizes[i]! > maxBytes)) {
      bounds.push(i);
      bytes = 0;
    }
    bytes += sizes[i]!;
  }
  if (sizes.length > 0) bounds.push(sizes.length);
  return bounds;
}

interface ReadChunk {
  /** Each with its hash, which goes with the bytes: the worker parsing the file would otherwise hash it again. */
  files: (RawFile & { sha256: string })[];
  stats: InputStat[];
}

/** Article lines (ops/factlines.ts) from the cache where it has them; the rest parsed and extracted, and cached. */
async function extractChunk(req: StageRequest, c: ReadChunk, pool: ExtractPool): Promise<{ lines: string[]; fresh: number }> {
  // A file that could not be read is rejected here, past the cache: its empty bytes would share an empty file's entry.
  const read = c.files.filter((f) => f.unreadable === undefined);
  const keys = req.cache ? read.map((f) => req.cache!.keyOf(f.source_file, f.sha256, req.registry.get(f.source_file))) : [];
  const cached = req.cache ? await req.cache.getMany(keys) : read.map(() => null);
  const missing = read.filter((_, i) => cached[i] === null);
  const missingKeys = keys.filter((_, i) => cached[i] === null);
  const fresh = req.extract ? missing.map((f) => articleLines(parseArticle(f, req.registry), req.extract!, req.reference.fx)) : await pool.runFiles(missing, req.registry);
  await req.cache?.putMany(missingKeys.map((key, i) => ({ key, lines: fresh[i]! })));
  let r = 0;
  let k = 0;
  const lines = c.files.map((f) => (f.unreadable !== undefined ? rejectedLines(f.unreadable) : (cached[r++] ?? fresh[k++]!)));
  return { lines, fresh: missing.length };
}

interface TakenIn {
  rejected: Rejected[];
  unmatched: CorrectionUnmatched[];
  inputs: InputLog;
  reextracted: number;
}

/**
 * Ingest, extract, correct and stage every input file, in file order (which decides duplicate ids), with a
 * few chunks in flight so the workers never wait for the main thread to take in a finished chunk.
 */
async function ingestAndExtract(req: StageRequest): Promise<TakenIn> {
  const { source, store } = req;
  const chunks = chunkBounds(source.sizes(), req.sizes?.chunk ?? CHUNK);
  const small = source.length < SMALL_RUN && Array.from(source.sizes()).reduce((n, s) => n + s, 0) < SMALL_RUN_BYTES;
  const pool = new ExtractPool(req.reference, small ? { inProcessBelow: SMALL_RUN } : { inProcessBelow: 0 });
  const rejected: Rejected[] = [];
  const inputs = new InputLog(join(req.scratch, "inputs.ndjson"));
  const firstFile = new Map<string, string>();
  const corrections = new CorrectionRun(req.corrections ?? []);
  const horizon = publicationHorizon(req.reference.fx);
  let reextracted = 0;
  try {
    const inFlight: Promise<ReadChunk & { lines: string[]; fresh: number }>[] = [];
    const start = (k: number) => {
      const stats = source.stats(chunks[k]!, chunks[k + 1]!);
      inFlight.push(
        source.read(stats).then(async (files) => {
          const c = { files: files.map((f) => ({ ...f, sha256: fileHash(f.bytes) })), stats };
          return { ...c, ...(await extractChunk(req, c, pool)) };
        }),
      );
    };
    let next = 0;
    for (; next < chunks.length - 1 && inFlight.length < IN_FLIGHT; next++) start(next);
    for (let done = 0; inFlight.length > 0; ) {
      const chunk = await inFlight.shift()!;
      if (next < chunks.length - 1) start(next++);
      reextracted += chunk.fresh;
      for (let i = 0; i < chunk.stats.length; i++) {
        const { source_file, size, mtime_ms } = chunk.stats[i]!;
        const file = { source_file, sha256: chunk.files[i]!.sha256, bytes: size, mtime_ms };
        const r = readArticleLines(chunk.lines[i]!);
        const first = "rejected" in r ? undefined : firstFile.get(r.meta.article_id);
        if ("rejected" in r || first !== undefined) {
          rejected.push({ source_file, reason: "rejected" in r ? r.rejected : duplicateId(r.meta.article_id, first!) });
          await inputs.add({ ...file, article_id: null, status: "rejected" });
          continue;
        }
        firstFile.set(r.meta.article_id, source_file);
        await inputs.add({ ...file, article_id: r.meta.article_id, status: "accepted" });
        await store.addRow("articles", r.meta);
        for (const q of r.qa) await store.addRow("qa_checks", q, QA_STAGE.extract);
        for (const q of articleChecks(r.meta, horizon)) await store.addRow("qa_checks", q, QA_STAGE.articles);
        // Corrected here, not in the cached lines: a change of corrections re-extracts nothing.
        const facts = corrections.targets(r.meta.article_id) ? await corrected(req, corrections, r.meta, chunk.files[i]!, r.facts) : r.facts;
        for (const f of facts) await store.addFact(f.key, f.json);
      }
      done += chunk.stats.length;
      req.log.progress(done, source.length);
    }
  } finally {
    await pool.close();
  }
  const { unmatched, qa } = corrections.finish();
  for (const q of qa) await store.addRow("qa_checks", q, QA_STAGE.corrections);
  await inputs.flush();
  source.release();
  return { rejected, unmatched, inputs, reextracted };
}

/** An article's fact lines with its corrections applied (re-keyed: a set may change a fact's key); rejected facts' evidence is staged. */
async function corrected(req: StageRequest, run: CorrectionRun, meta: { article_id: string; published_date: string | null }, file: RawFile & { sha256: string }, lines: { key: string; json: string }[]): Promise<{ key: string; json: string }[]> {
  let body = "";
  if (run.needsBody(meta.article_id)) {
    const parsed = parseArticle(file, req.registry);
    if (parsed.ok) body = parsed.article.body;
  }
  const out = run.apply({ article_id: meta.article_id, published: meta.published_date, body }, lines.map((l) => JSON.parse(l.json) as ExtractedFact));
  for (const e of out.evidence) await req.store.addRow("evidence", e);
  return out.facts.map((f) => ({ key: asciiJson(factKey(f)), json: asciiJson(f) }));
}

/** Reconcile: facts read back by merge key, whole keys a batch at a time, merged into records (staged by derivation group). */
async function reconcile(store: Store, size: number): Promise<void> {
  let batch: string[] = [];
  let lastKey: string | null = null;
  const mergeBatch = async () => {
    const plan = new MergePlan<number>();
    batch.forEach((json, i) => plan.add(JSON.parse(json) as ExtractedFact, i));
    const { drafts, qa } = plan.drafts();
    for (const q of qa) await store.addRow("qa_checks", q, QA_STAGE.merge);
    for (const d of drafts) {
      const out: Omit<MergeResult, "records"> = { evidence: [], aid_items: [], qa: [] };
      const r = buildRecord(d, d.mentions.map((m) => JSON.parse(batch[m.ref]!) as ExtractedFact), out);
      await store.addRecord(derivationGroup(r), r.record_id, asciiJson(r));
      for (const e of out.evidence) await store.addRow("evidence", e);
      for (const it of out.aid_items) await store.addRow("aid_items", it);
      for (const q of out.qa) await store.addRow("qa_checks", q, QA_STAGE.merge);
    }
    batch = [];
  };
  for await (const rows of store.facts()) {
    for (const [key, json] of rows) {
      if (key !== lastKey && batch.length >= size) await mergeBatch();
      lastKey = key!;
      batch.push(json!);
    }
  }
  if (batch.length > 0) await mergeBatch();
}

/** Derive: records read back by derivation group, whole groups a batch at a time, into the record tables, growth rates and checks. */
async function derive(store: Store, size: number): Promise<void> {
  let batch: MergedRecord[] = [];
  let lastGroup: string | null = null;
  const deriveBatch = async () => {
    const { qa, ...tables } = deriveRecords(batch);
    for (const [t, rows] of Object.entries(tables)) for (const row of rows) await store.addRow(t as StagedTable, row);
    for (const q of qa) await store.addRow("qa_checks", q, QA_STAGE.derive);
    batch = [];
  };
  for await (const rows of store.records()) {
    for (const [group, json] of rows) {
      if (group !== lastGroup && batch.length >= size) await deriveBatch();
      lastGroup = group!;
      batch.push(JSON.parse(json!) as MergedRecord);
    }
  }
  if (batch.length > 0) await deriveBatch();
}

/** The first of each check id (rows of one id arrive side by side, in stage order), each chunk shown to `onQa`. */
function firstOfEachCheck(rows: ChunkedRows, onQa: (rows: QaCheck[]) => void): ChunkedRows {
  return {
    async *chunks() {
      let last: string | null = null;
      for await (const chunk of rows.chunks()) {
        const kept: QaCheck[] = [];
        for (const q of chunk as QaCheck[]) {
          if (q.check_id !== last) kept.push(q);
          last = q.check_id;
        }
        onQa(kept);
        yield kept;
      }
    },
  };
}

function publishedTables(store: Store, onQa: (rows: QaCheck[]) => void): Omit<PublishDataset, "rejected" | "corrections_unmatched"> {
  const tables = Object.fromEntries(STAGED_TABLES.map((t) => [t, store.table(t)]));
  return { ...tables, qa_checks: firstOfEachCheck(store.table("qa_checks"), onQa) } as Omit<PublishDataset, "rejected" | "corrections_unmatched">;
}

const quiet: Logger = { info() {}, warn() {}, progress() {} };

/** Every table of a staged dataset as arrays. */
async function held(dataset: PublishDataset): Promise<Dataset> {
  const out: Record<string, unknown[]> = {};
  for (const [name, table] of Object.entries(dataset)) {
    if (Array.isArray(table)) out[name] = table;
    else {
      const rows: unknown[] = [];
      for await (const chunk of (table as ChunkedRows).chunks()) rows.push(...chunk);
      out[name] = rows;
    }
  }
  return out as unknown as Dataset;
}

/** Runs the stages on a store in a temporary folder and returns the dataset held in memory (eval, tests). */
export async function stagedInMemory(req: Omit<StageRequest, "store" | "scratch" | "log">): Promise<Dataset> {
  const scratch = await mkdtemp(join(tmpdir(), "afghan-trade-stage-"));
  const store = await Store.open(scratch);
  try {
    return await held((await runStages({ ...req, store, scratch, log: quiet })).dataset);
  } finally {
    store.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The dataset of files held in memory. */
export function buildFromInputs(files: RawFile[], registry: Map<string, RegistryEntry>, reference: Reference, corrections: readonly Correction[] = []): Promise<Dataset> {
  return stagedInMemory({ source: memorySource(files), registry, reference, corrections });
}

export interface BuildOptions {
  input: string;
  sourcesDir?: string;
}

/** Reads the inputs, reference data and corrections, then runs the stages (`npm run eval`). */
export async function buildDataset(opts: BuildOptions): Promise<{ dataset: Dataset }> {
  const sourcesDir = opts.sourcesDir ?? DEFAULT_SOURCES;
  const [files, registry, reference, corrections] = await Promise.all([listInputs(opts.input), readRegistry(sourcesDir), loadReference(sourcesDir), loadCorrections(sourcesDir)]);
  return { dataset: await stagedInMemory({ source: folderSource(opts.input, files), registry, reference, corrections }) };
}
