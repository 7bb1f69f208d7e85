/**
 * A full run at archive size, in bounded memory and on every core. The main thread reads and hashes files
 * a chunk at a time and looks them up in the cache; the worker pool parses, extracts and serializes the
 * rest (ops/factlines.ts), a few chunks in flight. Everything the main thread takes in goes to disk: facts in
 * parts by merge key, articles and extraction checks as sorted runs. The workers then merge the parts and
 * derive the record groups (ops/partitions.ts), and the publisher reads every table back from sorted runs, a
 * chunk at a time. The manifest's entry for each file goes to disk too; what stays in memory per file, until
 * every file is taken in, is its listing and, for the duplicate-id check, its article id.
 */
import { join } from "node:path";
import { undatedChecks } from "../derive/checks.ts";
import { ExtractPool } from "../extract/pool.ts";
import { CorrectionRun } from "../corrections/apply.ts";
import type { Correction } from "../corrections/read.ts";
import { duplicateId, fileHash, parseArticle, type RawFile } from "../ingest/article.ts";
import { readFiles, type InputListing, type InputStat } from "../ingest/read.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import type { PublishDataset } from "../publish/publish.ts";
import { factKey } from "../reconcile/keys.ts";
import type { CorrectionUnmatched, Rejected } from "../schema/tables.ts";
import type { ExtractedFact, Reference } from "../types.ts";
import { asciiJson } from "./asciiJson.ts";
import type { ExtractCache } from "./cache.ts";
import { readArticleLines } from "./factlines.ts";
import { stageClock, type Logger } from "./log.ts";
import { InputLog, QaTally, type InputEntries, type Manifest } from "./manifest.ts";
import { factSpill, mainRuns, PARTITION_HEAP_MB, PARTITION_YOUNG_MB, spilledTables, spillLayout, type MainRuns, type SpillLayout } from "./partitions.ts";
import { SeenIds } from "./seenIds.ts";
import { partOf } from "./spill.ts";

/**
 * Files read, parsed and extracted together: enough to keep both cores busy, few enough to bound memory.
 * A chunk also closes at CHUNK_BYTES of input: what extraction makes of a file grows with its size.
 */
const CHUNK = 512;
const CHUNK_BYTES = 4 << 20;
/** Runs of fewer files extract in-process (starting workers costs more); bigger runs use the workers for every chunk, however small. */
const SMALL_RUN = 64;
/** Fact parts (of BYTES_PER_PART) beyond which the merge gets workers of its own. */
const FRESH_MERGERS_ABOVE = 16;
/** Chunks between reading and being taken in at once. */
const IN_FLIGHT = 3;

export interface BuildRequest {
  input: string;
  /** The listing, handed over: the build empties it once every file is taken in. */
  files: InputListing;
  registry: Map<string, RegistryEntry>;
  reference: Reference;
  /** Human corrections (sources/corrections/), applied to each article's facts as they are taken in. */
  corrections?: readonly Correction[];
  cache: ExtractCache;
  /** An empty folder for spilled rows; the caller removes it. */
  spillDir: string;
  log: Logger;
  /** Smaller chunks and parts than the defaults, for tests that must cross their boundaries. */
  sizes?: { chunk?: number; bytesPerPart?: number };
}

export interface Built {
  /** Every table in chunks read back from the spill folder, which must stay until it is published. */
  dataset: PublishDataset;
  /** Counts of the QA rows, once the dataset is published (they are counted on their way out). */
  qaSummary: () => Manifest["qa_summary"];
  /** An entry per input file, in file order, for the manifest (read from the spill folder). */
  inputs: InputEntries;
  /** Inputs accepted as articles. */
  accepted: number;
  rejected: Rejected[];
  /** Corrections that no longer apply (also in the dataset, and as qa_checks errors). */
  unmatched: CorrectionUnmatched[];
  reextracted: number;
  stages: Record<string, number>;
}

interface ReadChunk {
  /** Each with its hash, which goes with the bytes: the worker parsing the file would otherwise hash it again for its metadata. */
  files: (RawFile & { sha256: string })[];
  stats: InputStat[];
}

async function readChunk(req: BuildRequest, stats: InputStat[]): Promise<ReadChunk> {
  const files = await readFiles(req.input, stats.map((s) => s.source_file));
  return { files: files.map((f) => ({ ...f, sha256: fileHash(f.bytes) })), stats };
}

/** Article lines from the cache where it has them; the rest parsed and extracted on the pool, and cached. */
async function extractChunk(req: BuildRequest, c: ReadChunk, pool: ExtractPool): Promise<{ lines: string[]; fresh: number }> {
  const keys = c.files.map((f) => req.cache.keyOf(f.source_file, f.sha256, req.registry.get(f.source_file)));
  const lines = await req.cache.getMany(keys);
  const missing = c.files.filter((_, i) => lines[i] === null);
  const missingKeys = keys.filter((_, i) => lines[i] === null);
  const fresh = await pool.runFiles(missing, req.registry);
  let k = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i] === null) lines[i] = fresh[k++]!;
  await req.cache.putMany(missingKeys.map((key, i) => ({ key, lines: fresh[i]! })));
  return { lines: lines as string[], fresh: missing.length };
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

/** What taking in every input leaves: the spilled facts and runs, and the outcome of each file. */
interface TakenIn {
  rejected: Rejected[];
  unmatched: CorrectionUnmatched[];
  inputs: InputLog;
  reextracted: number;
}

/**
 * Reads, extracts and spills every input file, in file order (which decides duplicate ids), then empties
 * `req.files`: neither the listing nor the duplicate-id map is held through the merge and publishing. Its
 * own function so that what it keeps dies when it returns.
 */
async function takeIn(req: BuildRequest, layout: SpillLayout, runs: MainRuns, pool: ExtractPool): Promise<TakenIn> {
  const chunks = chunkBounds(req.files.fileSizes(), req.sizes?.chunk ?? CHUNK);
  const facts = factSpill(layout);
  const rejected: Rejected[] = [];
  const inputs = new InputLog(join(req.spillDir, "inputs.ndjson"));
  const seen = new SeenIds();
  const corrections = new CorrectionRun(req.corrections ?? []);
  let reextracted = 0;
  // Chunks go through read → extract with a few in flight, so the workers never wait for the main thread
  // to take in a finished chunk; chunks are taken in file order, which decides duplicate ids.
  const inFlight: Promise<ReadChunk & { lines: string[]; fresh: number }>[] = [];
  const start = (k: number) => inFlight.push(readChunk(req, req.files.slice(chunks[k]!, chunks[k + 1]!)).then(async (c) => ({ ...c, ...(await extractChunk(req, c, pool)) })));
  let next = 0;
  for (; next < chunks.length - 1 && inFlight.length < IN_FLIGHT; next++) start(next);
  for (let done = 0; inFlight.length > 0; ) {
    const chunk = await inFlight.shift()!;
    if (next < chunks.length - 1) start(next++);
    reextracted += chunk.fresh;
    for (let i = 0; i < chunk.stats.length; i++) {
      const source_file = chunk.stats[i]!.source_file;
      const file = { source_file, sha256: chunk.files[i]!.sha256, bytes: chunk.stats[i]!.size, mtime_ms: chunk.stats[i]!.mtime_ms };
      const r = readArticleLines(chunk.lines[i]!);
      const first = "rejected" in r ? undefined : seen.firstOrAdd(r.meta.article_id, done + i);
      if ("rejected" in r || first !== undefined) {
        rejected.push({ source_file, reason: "rejected" in r ? r.rejected : duplicateId(r.meta.article_id, req.files.at(first!).source_file) });
        await inputs.add({ ...file, article_id: null, status: "rejected" });
        continue;
      }
      await inputs.add({ ...file, article_id: r.meta.article_id, status: "accepted" });
      await runs.articles.add(r.meta);
      for (const q of r.qa) await runs.extractQa.add(q);
      for (const q of undatedChecks([r.meta])) await runs.undatedQa.add(q);
      // Corrected here, on the main thread, not in the cached lines: a change of corrections re-extracts nothing.
      const lines = corrections.targets(r.meta.article_id) ? await corrected(req, corrections, r.meta, chunk.files[i]!, r.facts, runs) : r.facts;
      for (const f of lines) await facts.addLine(partOf(f.key, layout.parts), f.json);
    }
    done += chunk.stats.length;
    req.log.progress(done, req.files.length);
  }
  const { unmatched, qa } = corrections.finish();
  for (const q of qa) await runs.correctionsQa.add(q);
  await Promise.all([facts.flush(), runs.articles.flush(), runs.extractQa.flush(), runs.undatedQa.flush(), runs.correctionsQa.flush(), runs.reviewEvidence.flush(), inputs.flush()]);
  req.files.release();
  return { rejected, unmatched, inputs, reextracted };
}

/** The file with its bytes, read again if they were moved to an extraction worker (which leaves them empty), and checked unchanged. */
async function withBytes(req: BuildRequest, file: RawFile & { sha256: string }): Promise<RawFile> {
  if (file.bytes.byteLength > 0) return file;
  const [again] = await readFiles(req.input, [file.source_file]);
  if (!again || fileHash(again.bytes) !== file.sha256) throw new Error(`${file.source_file} changed while the run read it`);
  return again;
}

/** An article's fact lines with its corrections applied (re-keyed: a set may change a fact's key); rejected facts' evidence goes to its run. */
async function corrected(req: BuildRequest, run: CorrectionRun, meta: { article_id: string; published_date: string | null }, file: RawFile & { sha256: string }, lines: { key: string; json: string }[], runs: MainRuns): Promise<{ key: string; json: string }[]> {
  const parsed = run.needsBody(meta.article_id) ? parseArticle(await withBytes(req, file), req.registry) : null;
  const body = parsed?.ok ? parsed.article.body : "";
  const out = run.apply({ article_id: meta.article_id, published: meta.published_date, body }, lines.map((l) => JSON.parse(l.json) as ExtractedFact));
  for (const e of out.evidence) await runs.reviewEvidence.add(e);
  return out.facts.map((f) => ({ key: asciiJson(factKey(f)), json: asciiJson(f) }));
}

export async function buildStreamed(req: BuildRequest): Promise<Built> {
  const stages: Record<string, number> = {};
  const clock = stageClock(stages, req.log);
  const layout = spillLayout(req.spillDir, req.files.fileSizes().reduce((n, size) => n + size, 0), req.sizes?.bytesPerPart);
  const runs = mainRuns(layout);
  const pool = new ExtractPool(req.reference, req.files.length < SMALL_RUN ? { inProcessBelow: SMALL_RUN } : { inProcessBelow: 0 });
  let mergers = pool;
  let taken: TakenIn;
  try {
    taken = await takeIn(req, layout, runs, pool);
    clock.lap("extract");

    // A long run merges on fresh workers: V8 keeps a worker's heap at the high-water mark extraction left it
    // at. A short one keeps its workers, whose start would cost more than the merge.
    if (layout.parts > FRESH_MERGERS_ABOVE) {
      await pool.close();
      // The main thread idles while the workers merge, so V8 would keep extraction's garbage (~180 MB at
      // 300,000 articles) beside them, the run's peak: collected now where `npm run pipeline` exposes gc.
      // Twice: a collection keeps the pages it frees mapped, for reuse, until the next one returns them.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      mergers = new ExtractPool(req.reference, { heapMb: PARTITION_HEAP_MB, youngMb: PARTITION_YOUNG_MB });
    }
    // Every part merges before any group derives: a group takes records from every part.
    await mergers.runPartitions("merge", layout);
    await mergers.runPartitions("derive", layout);
  } finally {
    await Promise.all([pool.close(), mergers.close()]);
  }
  clock.lap("reconcile");
  const { rejected, unmatched, inputs, reextracted } = taken;
  const qa = new QaTally();
  // Bound methods, not arrow functions: a closure made here would keep this call's scope, and with it the
  // request and the closed pools, alive through publishing.
  const dataset: PublishDataset = { ...spilledTables(layout, runs, qa.add.bind(qa)), rejected, corrections_unmatched: unmatched };
  return { dataset, qaSummary: qa.summary.bind(qa), inputs: inputs.entries, accepted: inputs.accepted, rejected, unmatched, reextracted, stages };
}
