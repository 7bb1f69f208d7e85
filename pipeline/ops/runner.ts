import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { extractAll } from "../extract/pool.ts";
import { parseArticles } from "../ingest/article.ts";
import { loadReference } from "../ingest/reference.ts";
import { publish } from "../publish/publish.ts";
import { writeReport } from "../report/build.ts";
import { assemble, PROJECT_ROOT, readInputs, readRegistry } from "../run.ts";
import type { ExtractResult } from "../types.ts";
import { ExtractCache } from "./cache.ts";
import { rulesHash } from "./fingerprint.ts";
import { acquireLock } from "./lock.ts";
import type { Logger } from "./log.ts";
import { compareInputs, outputIntact, qaSummary, readManifest, writeManifest, type InputEntry, type Manifest } from "./manifest.ts";
import { recoverOutput } from "./recover.ts";

/** Exit codes, documented in README.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejectedInputs: 3, locked: 4 } as const;

export interface RunOptions {
  input: string;
  out: string;
  sourcesDir: string;
  cacheDir: string;
  /** How long to wait for another run's lock, in ms; 0 = exit at once. */
  waitMs: number;
  /** Render output/report/ after publishing (slow at archive size; `npm run notebooks` does it separately). */
  report: boolean;
  log: Logger;
}

const PUBLISH_INFO = {
  name: "afghanistan-neighbours-trade-news",
  title: "Afghanistan and its neighbours: trade, aid, contracts and grants from news articles",
  sources: [
    { title: "News articles (see the articles table for each one's publisher and url)" },
    { title: "Annual-average exchange rates (World Bank WDI PA.NUS.FCRF, FRED H.10, IRS fallback)", path: "sources/fx_annual_usd.csv" },
  ],
};

async function pipelineVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * One scheduled run: lock, recover from a killed run, read, extract what the cache lacks, assemble,
 * publish atomically, then write the manifest last. Returns the exit code.
 */
export async function runPipeline(o: RunOptions): Promise<number> {
  const lock = await acquireLock(`${o.out}.lock`, o.waitMs);
  if (!lock.ok) {
    o.log.warn("another run holds the lock", { pid: lock.holder, lock: `${o.out}.lock` });
    return EXIT.locked;
  }
  try {
    return await locked(o);
  } finally {
    await lock.release();
  }
}

async function locked(o: RunOptions): Promise<number> {
  const t0 = performance.now();
  const started_at = new Date().toISOString();
  const stages: Record<string, number> = {};
  const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const s = performance.now();
    const r = await f();
    stages[name] = Number(((performance.now() - s) / 1000).toFixed(3));
    return r;
  };
  for (const note of await recoverOutput(o.out)) o.log.warn("recovered after an interrupted run", { action: note });

  const code_ = (dirs: string[]) => rulesHash(dirs.map((d) => join(PROJECT_ROOT, "pipeline", d)).concat(o.sourcesDir), PROJECT_ROOT);
  // Extraction results depend on ingest + extract code and reference data; the published bytes on all of it.
  const [files, registry, reference, extractionHash, rules, version, prev] = await time("read", () =>
    Promise.all([readInputs(o.input), readRegistry(o.sourcesDir), loadReference(o.sourcesDir), code_(["ingest", "extract", "types.ts", "ids.ts"]), code_(["."]), pipelineVersion(), readManifest(o.out)]),
  );
  o.log.info("read inputs", { files: files.length, input: o.input });
  const hashes = files.map((f) => createHash("sha256").update(f.bytes).digest("hex"));
  // Same files, same code, same output: nothing to do, and no need even to parse the articles.
  if (
    prev && prev.rules_hash === rules && prev.pipeline_version === version && prev.inputs.length === files.length &&
    prev.inputs.every((p, i) => p.source_file === files[i]!.source_file && p.sha256 === hashes[i]) && (await outputIntact(o.out, prev))
  ) {
    const rejectedBefore = prev.inputs.filter((p) => p.status === "rejected").length;
    await writeManifest(o.out, { ...prev, articles: compareInputs(prev.inputs, prev.inputs), articles_reextracted: 0, run: finish(t0, started_at, stages, false) });
    o.log.info("nothing changed; output is up to date", { out: o.out, seconds: ((performance.now() - t0) / 1000).toFixed(2) });
    return rejectedBefore > 0 ? EXIT.rejectedInputs : EXIT.ok;
  }
  const { articles, rejected } = await time("ingest", () => parseArticles(files, registry));
  const bySource = new Map(articles.map((a) => [a.meta.source_file, a.meta.article_id]));
  const inputs: InputEntry[] = files.map((f, i) => ({
    source_file: f.source_file,
    sha256: hashes[i]!,
    bytes: f.bytes.length,
    article_id: bySource.get(f.source_file) ?? null,
    status: bySource.has(f.source_file) ? "accepted" : "rejected",
  }));
  for (const r of rejected) o.log.warn("rejected input", { file: r.source_file, reason: r.reason });
  const code = rejected.length > 0 ? EXIT.rejectedInputs : EXIT.ok;
  const manifestBase = { pipeline_version: version, rules_hash: rules, inputs, articles: compareInputs(prev?.inputs, inputs) };

  const cache = new ExtractCache(o.cacheDir, extractionHash);
  let reextracted = 0;
  const extracted: ExtractResult[] = await time("extract", async () => {
    const out: (ExtractResult | null)[] = await Promise.all(articles.map((a) => cache.get(a.meta)));
    const missing = articles.filter((_, i) => out[i] === null);
    // Cache misses are extracted on every core; results come back in input order.
    const fresh = await extractAll(missing, reference, { onProgress: (done, total) => o.log.progress(done, total) });
    let k = 0;
    for (let i = 0; i < out.length; i++) if (out[i] === null) out[i] = fresh[k++]!;
    await Promise.all(missing.map((a, i) => cache.put(a.meta, fresh[i]!)));
    reextracted = missing.length;
    return out as ExtractResult[];
  });
  o.log.info("extracted", { articles: articles.length, reextracted });
  const dataset = await time("reconcile", () => assemble(articles, rejected, extracted, reference));
  const report = await time("publish", () => publish(dataset, o.out, { ...PUBLISH_INFO, version }));
  // The report is derived from the published files; a failure to render it leaves the data published.
  if (o.report) await time("report", () => writeReport(o.out)).catch((err: Error) => o.log.warn("report not rendered; the data is published", { error: err.message }));
  const manifest: Manifest = {
    ...manifestBase,
    articles_reextracted: reextracted,
    row_counts: report.rowCounts,
    qa_summary: qaSummary(dataset),
    output_files: report.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
    run: finish(t0, started_at, stages, true),
  };
  await writeManifest(o.out, manifest);
  o.log.info("published", { out: o.out, seconds: manifest.run.wall_s, ...report.rowCounts });
  return code;
}

function finish(t0: number, started_at: string, stages: Record<string, number>, republished: boolean): Manifest["run"] {
  return { started_at, finished_at: new Date().toISOString(), wall_s: Number(((performance.now() - t0) / 1000).toFixed(3)), stages_s: stages, republished };
}
