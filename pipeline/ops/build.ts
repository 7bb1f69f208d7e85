/**
 * A full run at archive size in bounded memory. Inputs are read, parsed and extracted a chunk at a time
 * (the next chunk is read while the worker pool extracts the current one) and their texts dropped once
 * extracted; normalized facts are spilled to disk in parts by merge key, so each part merges on its own;
 * evidence, the one table as big as the corpus, is spilled by id prefix and streamed to the publisher in order.
 */
import { createHash } from "node:crypto";
import { ExtractPool } from "../extract/pool.ts";
import { parseArticles } from "../ingest/article.ts";
import { readFiles, type InputStat } from "../ingest/read.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import { normalizeFacts } from "../normalize/normalize.ts";
import type { ChunkedRows } from "../publish/publish.ts";
import { partitionKey } from "../reconcile/keys.ts";
import { mergeFacts, type MergedRecord } from "../reconcile/merge.ts";
import { finishDataset } from "../run.ts";
import type { AidItem, Articles, Dataset, Evidence, QaCheck, Rejected } from "../schema/tables.ts";
import type { Article, ExtractedFact, ExtractResult, Reference } from "../types.ts";
import type { ExtractCache } from "./cache.ts";
import type { Logger } from "./log.ts";
import type { InputEntry } from "./manifest.ts";
import { partOf, Spill } from "./spill.ts";

/** Files read, parsed and extracted together: enough to keep both cores busy, few enough to bound memory. */
const CHUNK = 1024;
/** Articles per merge part: a part's facts are held in memory while it merges. */
const ARTICLES_PER_PART = 2000;
/** Evidence parts by the first hex digit of the id: in canonical order when read 0..f. */
const EVIDENCE_PARTS = 16;

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
  dataset: Omit<Dataset, "evidence"> & { evidence: ChunkedRows };
  inputs: InputEntry[];
  rejected: Rejected[];
  reextracted: number;
  stages: Record<string, number>;
}

interface ReadChunk {
  articles: Article[];
  rejected: Rejected[];
  inputs: InputEntry[];
}

async function readChunk(req: BuildRequest, stats: InputStat[], seen: Map<string, string>): Promise<ReadChunk> {
  const files = await readFiles(req.input, stats.map((s) => s.source_file));
  const { articles, rejected } = parseArticles(files, req.registry, seen);
  const bySource = new Map(articles.map((a) => [a.meta.source_file, a.meta.article_id]));
  const inputs = files.map((f, i): InputEntry => ({
    source_file: f.source_file,
    sha256: createHash("sha256").update(f.bytes).digest("hex"),
    bytes: f.bytes.length,
    mtime_ms: stats[i]!.mtime_ms,
    article_id: bySource.get(f.source_file) ?? null,
    status: bySource.has(f.source_file) ? "accepted" : "rejected",
  }));
  return { articles, rejected, inputs };
}

/** Cached results where the cache has them; the rest extracted on the pool and cached. */
async function extractChunk(articles: Article[], cache: ExtractCache, pool: ExtractPool): Promise<{ results: ExtractResult[]; fresh: number }> {
  const results = await Promise.all(articles.map((a) => cache.get(a.meta)));
  const missing = articles.filter((_, i) => results[i] === null);
  const fresh = await pool.run(missing);
  let k = 0;
  for (let i = 0; i < results.length; i++) if (results[i] === null) results[i] = fresh[k++]!;
  await Promise.all(missing.map((a, i) => cache.put(a.meta, fresh[i]!)));
  return { results: results as ExtractResult[], fresh: missing.length };
}

export async function buildStreamed(req: BuildRequest): Promise<Built> {
  const stages: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    stages[name] = Number(((performance.now() - t) / 1000).toFixed(3));
    t = performance.now();
  };
  const chunkSize = req.sizes?.chunk ?? CHUNK;
  const factParts = Math.max(1, Math.ceil(req.files.length / (req.sizes?.articlesPerPart ?? ARTICLES_PER_PART)));
  const facts = new Spill<ExtractedFact>(req.spillDir, "facts", factParts);
  const metas: Articles[] = [];
  const rejected: Rejected[] = [];
  const extractQa: QaCheck[] = [];
  const inputs: InputEntry[] = [];
  const seen = new Map<string, string>();
  let reextracted = 0;
  const pool = new ExtractPool(req.reference);
  try {
    let next: Promise<ReadChunk> | null = readChunk(req, req.files.slice(0, chunkSize), seen);
    for (let at = 0; next; at += chunkSize) {
      const chunk: ReadChunk = await next;
      // Read and parse the next chunk while this one is extracted.
      next = at + chunkSize < req.files.length ? readChunk(req, req.files.slice(at + chunkSize, at + 2 * chunkSize), seen) : null;
      const { results, fresh } = await extractChunk(chunk.articles, req.cache, pool);
      reextracted += fresh;
      for (const r of chunk.rejected) rejected.push(r);
      for (const e of chunk.inputs) inputs.push(e);
      for (let i = 0; i < chunk.articles.length; i++) {
        const meta = chunk.articles[i]!.meta;
        const r = results[i]!;
        metas.push(meta);
        for (const q of r.qa) extractQa.push(q);
        for (const f of normalizeFacts(r.facts, new Map([[meta.article_id, meta.published_date]]), req.reference.fx)) {
          await facts.add(partOf(partitionKey(f), factParts), f);
        }
      }
      req.log.progress(Math.min(at + chunkSize, req.files.length), req.files.length);
    }
  } finally {
    await pool.close();
  }
  await facts.flush();
  lap("extract");

  const evidence = new Spill<Evidence>(req.spillDir, "evidence", EVIDENCE_PARTS);
  const records: MergedRecord[] = [];
  const aid_items: AidItem[] = [];
  const qa: QaCheck[] = [];
  for (let p = 0; p < factParts; p++) {
    const merged = mergeFacts(await facts.read(p));
    for (const r of merged.records) records.push(r);
    for (const a of merged.aid_items) aid_items.push(a);
    for (const q of merged.qa) qa.push(q);
    for (const e of merged.evidence) await evidence.add(Number.parseInt(e.evidence_id[0]!, 16), e);
  }
  await evidence.flush();
  records.sort((a, b) => (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0));
  const tables = finishDataset(metas, rejected, extractQa, { records, aid_items, qa });
  const streamed: ChunkedRows = {
    async *chunks() {
      for (let p = 0; p < EVIDENCE_PARTS; p++) yield await evidence.read(p);
    },
  };
  lap("reconcile");
  return { dataset: { ...tables, evidence: streamed }, inputs, rejected, reextracted, stages };
}
