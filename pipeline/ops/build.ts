/**
 * A full run at archive size, in bounded memory and on every core. The main thread reads and hashes files
 * a chunk at a time and looks them up in the cache; the worker pool parses, extracts and serializes the
 * rest (ops/factlines.ts), a few chunks in flight. Fact lines are spilled to disk in parts by merge key;
 * the workers merge the parts independently and spill evidence, the one table as big as the corpus, by id
 * prefix, so it reaches the publisher in order. The other tables are handed to the publisher, which drops
 * each once written.
 */
import { ExtractPool } from "../extract/pool.ts";
import { duplicateId, fileHash, type RawFile } from "../ingest/article.ts";
import { readFiles, type InputStat } from "../ingest/read.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import type { ChunkedRows, PublishDataset } from "../publish/publish.ts";
import type { MergedRecord } from "../reconcile/merge.ts";
import { finishDataset } from "../run.ts";
import type { AidItem, Articles, QaCheck, Rejected } from "../schema/tables.ts";
import type { Reference } from "../types.ts";
import type { ExtractCache } from "./cache.ts";
import { readArticleLines } from "./factlines.ts";
import { stageClock, type Logger } from "./log.ts";
import { qaSummary, type InputEntry, type Manifest } from "./manifest.ts";
import { EVIDENCE_BUCKETS, factSpill, readEvidenceBucket } from "./mergepart.ts";
import { partOf } from "./spill.ts";

/** Files read, parsed and extracted together: enough to keep both cores busy, few enough to bound memory. */
const CHUNK = 512;
/** Chunks between reading and being taken in at once. */
const IN_FLIGHT = 3;
/** Articles per merge part: a part's facts are held in memory while it merges. */
const ARTICLES_PER_PART = 1000;

export interface BuildRequest {
  input: string;
  files: InputStat[];
  registry: Map<string, RegistryEntry>;
  reference: Reference;
  cache: ExtractCache;
  /** An empty folder for spilled rows; the caller removes it. */
  spillDir: string;
  log: Logger;
  /** Smaller chunks and parts than the defaults, for tests that must cross their boundaries. */
  sizes?: { chunk?: number; articlesPerPart?: number };
}

export interface Built {
  /** Every table in chunks, each to be published once: the publisher drops a table's rows as soon as it is written. */
  dataset: PublishDataset;
  qa_summary: Manifest["qa_summary"];
  inputs: InputEntry[];
  rejected: Rejected[];
  reextracted: number;
  stages: Record<string, number>;
}

interface ReadChunk {
  files: RawFile[];
  hashes: string[];
  stats: InputStat[];
}

async function readChunk(req: BuildRequest, stats: InputStat[]): Promise<ReadChunk> {
  const files = await readFiles(req.input, stats.map((s) => s.source_file));
  return { files, hashes: files.map((f) => fileHash(f.bytes)), stats };
}

/** Article lines from the cache where it has them; the rest parsed and extracted on the pool, and cached. */
async function extractChunk(req: BuildRequest, c: ReadChunk, pool: ExtractPool): Promise<{ lines: string[]; fresh: number }> {
  const keys = c.files.map((f, i) => req.cache.keyOf(f.source_file, c.hashes[i]!, req.registry.get(f.source_file)));
  const lines = await Promise.all(keys.map((k) => req.cache.get(k)));
  const missing = c.files.filter((_, i) => lines[i] === null);
  const missingKeys = keys.filter((_, i) => lines[i] === null);
  const fresh = await pool.runFiles(missing, req.registry);
  let k = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i] === null) lines[i] = fresh[k++]!;
  await Promise.all(missingKeys.map((key, i) => req.cache.put(key, fresh[i]!)));
  return { lines: lines as string[], fresh: missing.length };
}

/** A table handed over to the publisher, which holds the rows only while it writes them. */
function handedOver(rows: readonly unknown[]): ChunkedRows {
  let held: readonly unknown[] | null = rows;
  return {
    async *chunks() {
      if (held === null) throw new Error("a handed-over table can be published only once");
      const out = held as Record<string, unknown>[];
      held = null;
      yield out;
    },
  };
}

export async function buildStreamed(req: BuildRequest): Promise<Built> {
  const stages: Record<string, number> = {};
  const clock = stageClock(stages, req.log);
  const chunkSize = req.sizes?.chunk ?? CHUNK;
  const factParts = Math.max(1, Math.ceil(req.files.length / (req.sizes?.articlesPerPart ?? ARTICLES_PER_PART)));
  const facts = factSpill(req.spillDir, factParts);
  const metas: Articles[] = [];
  const rejected: Rejected[] = [];
  const extractQa: QaCheck[] = [];
  const inputs: InputEntry[] = [];
  const seen = new Map<string, string>();
  let reextracted = 0;
  let dataset: Built["dataset"];
  let qa_summary: Built["qa_summary"];
  const pool = new ExtractPool(req.reference);
  try {
    // Chunks go through read → extract with a few in flight, so the workers never wait for the main thread
    // to take in a finished chunk; chunks are taken in file order, which decides duplicate ids.
    const inFlight: Promise<ReadChunk & { lines: string[]; fresh: number }>[] = [];
    const start = (at: number) => inFlight.push(readChunk(req, req.files.slice(at, at + chunkSize)).then(async (c) => ({ ...c, ...(await extractChunk(req, c, pool)) })));
    let at = 0;
    for (; at < req.files.length && inFlight.length < IN_FLIGHT; at += chunkSize) start(at);
    for (let done = 0; inFlight.length > 0; ) {
      const chunk = await inFlight.shift()!;
      if (at < req.files.length) {
        start(at);
        at += chunkSize;
      }
      reextracted += chunk.fresh;
      for (let i = 0; i < chunk.stats.length; i++) {
        const source_file = chunk.stats[i]!.source_file;
        const entry: InputEntry = { source_file, sha256: chunk.hashes[i]!, bytes: chunk.stats[i]!.size, mtime_ms: chunk.stats[i]!.mtime_ms, article_id: null, status: "rejected" };
        inputs.push(entry);
        const r = readArticleLines(chunk.lines[i]!);
        if ("rejected" in r) {
          rejected.push({ source_file, reason: r.rejected });
          continue;
        }
        const first = seen.get(r.meta.article_id);
        if (first !== undefined) {
          rejected.push({ source_file, reason: duplicateId(r.meta.article_id, first) });
          continue;
        }
        seen.set(r.meta.article_id, source_file);
        Object.assign(entry, { article_id: r.meta.article_id, status: "accepted" });
        metas.push(r.meta);
        for (const q of r.qa) extractQa.push(q);
        for (const f of r.facts) await facts.addLine(partOf(f.key, factParts), f.json);
      }
      done += chunk.stats.length;
      req.log.progress(done, req.files.length);
    }
    await facts.flush();
    clock.lap("extract");

    // Parts merge on the pool's threads; their compact results come back in part order.
    const merged = await pool.runMerges(req.spillDir, factParts);
    const records: MergedRecord[] = [];
    const aid_items: AidItem[] = [];
    const qa: QaCheck[] = [];
    for (const m of merged) {
      for (const r of m.records) records.push(r);
      for (const a of m.aid_items) aid_items.push(a);
      for (const q of m.qa) qa.push(q);
    }
    records.sort((a, b) => (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0));
    const streamed: ChunkedRows = {
      async *chunks() {
        for (let b = 0; b < EVIDENCE_BUCKETS; b++) yield await readEvidenceBucket(req.spillDir, factParts, b);
      },
    };
    const tables = finishDataset(metas, rejected, extractQa, { records, aid_items, qa });
    qa_summary = qaSummary(tables);
    dataset = { ...(Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, handedOver(rows)])) as Record<keyof typeof tables, ChunkedRows>), evidence: streamed };
    clock.lap("reconcile");
  } finally {
    await pool.close();
  }
  return { dataset, qa_summary, inputs, rejected, reextracted, stages };
}
