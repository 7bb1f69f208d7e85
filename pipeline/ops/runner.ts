import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CORRECTIONS_DIR } from "../corrections/read.ts";
import { fileHash } from "../ingest/article.ts";
import { listInputs, readFiles, readRegistry, type InputListing } from "../ingest/read.ts";
import { PROJECT_ROOT } from "../paths.ts";
import { ExtractCache } from "./cache.ts";
import { rulesHashes } from "./fingerprint.ts";
import { acquireLock } from "./lock.ts";
import { stageClock, type Logger } from "./log.ts";
import { compareInputs, outputIntact, readManifest, writeManifest, type InputEntries, type Manifest, type ManifestHead } from "./manifest.ts";
import { DATASET_NAME, flip, newRunDir } from "./publication.ts";
import { recoverOutput } from "./recover.ts";

/** Exit codes, documented in README.md; 3 is "published, worth a look": inputs rejected or corrections unmatched. */
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
  name: DATASET_NAME,
  title: "Afghanistan and its neighbours: trade, aid, contracts and grants from news articles",
  sources: [
    { title: "News articles (see the articles table for each one's publisher and url)" },
    { title: "Annual-average exchange rates (World Bank WDI PA.NUS.FCRF, FRED H.10, IRS fallback)", path: "sources/fx_annual_usd.csv" },
  ],
};

/** A file modified this close to the previous run's start may have changed after it was hashed (same size, same time stamp). */
const RACY_MS = 2000;
/** Files read and hashed together by the unchanged check. */
const HASH_BATCH = 512;

async function pipelineVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * One scheduled run: lock, recover from a killed run, read, extract what the cache lacks, assemble, publish
 * data, report and manifest into a new folder and flip the output's link to it. Returns the exit code.
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

/**
 * Whether the previous run's inputs are every file still there under the same name with the same content:
 * trusted by size and modification time like git's index, read and hashed otherwise.
 */
async function unchangedInputs(o: RunOptions, prev: { head: ManifestHead; inputs: InputEntries }, files: InputListing): Promise<boolean> {
  const trustedBefore = Date.parse(prev.head.run.started_at) - RACY_MS;
  let i = 0;
  // A batch at a time: after an upgrade (no times recorded) every file is hashed, and an archive must not be held whole.
  let batch: { name: string; sha256: string }[] = [];
  const hashesMatch = async () => {
    const read = await readFiles(o.input, batch.map((b) => b.name));
    const same = read.every((r, j) => fileHash(r.bytes) === batch[j]!.sha256);
    batch = [];
    return same;
  };
  for await (const p of prev.inputs()) {
    const f = i < files.length ? files.at(i++) : undefined;
    if (!f || p.source_file !== f.source_file || p.bytes !== f.size) return false;
    if (p.mtime_ms !== f.mtime_ms || !(f.mtime_ms < trustedBefore)) batch.push({ name: f.source_file, sha256: p.sha256 });
    if (batch.length >= HASH_BATCH && !(await hashesMatch())) return false;
  }
  return i === files.length && (batch.length === 0 || (await hashesMatch()));
}

async function locked(o: RunOptions): Promise<number> {
  const t0 = performance.now();
  const started_at = new Date().toISOString();
  const stages: Record<string, number> = {};
  for (const note of await recoverOutput(o.out)) o.log.warn("recovered after an interrupted run", { action: note });

  const clock = stageClock(stages, o.log);
  // Corrections are applied after the cache (run.ts), so they are in the published bytes' hash, not the extraction's.
  const sources = (await readdir(o.sourcesDir)).filter((n) => n !== CORRECTIONS_DIR).map((n) => join(o.sourcesDir, n));
  const code_ = (dirs: string[], reference: string[]) => dirs.map((d) => join(PROJECT_ROOT, "pipeline", d)).concat(reference, join(PROJECT_ROOT, "sources", "lexicon"));
  // Cached fact lines depend on the ingest, extract and normalize code, merge keys (and the fact tables' rules in
  // schema/) and reference data; the published bytes on all of it. Both on the dependencies' versions too (the lock
  // file) and on Node's.
  const lockFile = join(PROJECT_ROOT, "package-lock.json");
  const hashes = rulesHashes({ extraction: code_(["ingest", "extract", "normalize", "reconcile/keys.ts", "schema", "ops/factlines.ts", "ops/asciiJson.ts", "types.ts", "ids.ts"], [...sources, lockFile]), rules: code_(["."], [o.sourcesDir, lockFile]) }, PROJECT_ROOT);
  const [files, { extraction: extractionHash, rules }, version, prev] = await Promise.all([listInputs(o.input), hashes, pipelineVersion(), readManifest(o.out, o.log.warn.bind(o.log))]);
  o.log.info("listed inputs", { files: files.length, input: o.input });
  // Same files, same code, same output: nothing to do, and no need even to load the pipeline's stages.
  if (prev && prev.head.rules_hash === rules && prev.head.pipeline_version === version && (await outputIntact(o.out, prev.head)) && (await unchangedInputs(o, prev, files))) {
    clock.lap("read");
    const rejectedBefore = await rewriteUnchanged(o.out, prev, files, finish(t0, started_at, stages, false));
    o.log.info("nothing changed; output is up to date", { out: o.out, seconds: ((performance.now() - t0) / 1000).toFixed(2) });
    return rejectedBefore > 0 || (prev.head.row_counts.corrections_unmatched ?? 0) > 0 ? EXIT.rejectedInputs : EXIT.ok;
  }

  const [{ runStages, folderSource }, { Store }, { publishInto }, { fingerprintAll }, { loadReference }, { loadCorrections }, registry] = await Promise.all([
    import("../run.ts"),
    import("./store.ts"),
    import("../publish/publish.ts"),
    import("../publish/files.ts"),
    import("../ingest/reference.ts"),
    import("../corrections/read.ts"),
    readRegistry(o.sourcesDir),
  ]);
  const [reference, corrections] = await Promise.all([loadReference(o.sourcesDir), loadCorrections(o.sourcesDir)]);
  clock.lap("read");
  await mkdir(dirname(o.out), { recursive: true });
  // Named like publish's staging folders, so the recovery after a killed run removes it too.
  const scratch = await mkdtemp(join(dirname(o.out), `${basename(o.out)}.tmp-stage-`));
  const store = await Store.open(scratch);
  const dir = await newRunDir(o.out);
  let flipped = false;
  try {
    const cache = new ExtractCache(o.cacheDir, extractionHash, o.log);
    // The listing is the stages' from here on: they empty it once the files are taken in.
    const built = await runStages({ source: folderSource(o.input, files), registry, reference, corrections, cache, store, scratch, log: o.log });
    Object.assign(stages, built.stages);
    for (const r of built.rejected) o.log.warn("rejected input", { file: r.source_file, reason: r.reason });
    for (const u of built.unmatched) o.log.warn("correction no longer applies", { correction: u.correction_id, file: `${u.file}:${u.line}`, article: u.article_id, reason: u.reason });
    o.log.info("extracted", { articles: built.accepted, reextracted: built.reextracted });
    const articles = await compareInputs(prev?.inputs, built.inputs);
    clock.restart();
    const report = await publishInto(built.dataset, dir, { ...PUBLISH_INFO, version });
    clock.lap("publish");
    // The report is derived from the published files; a failure to render it publishes the data without it.
    if (o.report) {
      await import("../report/build.ts")
        .then(({ writeReport }) => writeReport(dir))
        .catch((err: Error) => o.log.warn("report not rendered; publishing the data without it", { error: err.message }));
      clock.lap("report");
    }
    const manifest: ManifestHead = {
      pipeline_version: version,
      rules_hash: rules,
      articles,
      articles_reextracted: built.reextracted,
      row_counts: report.rowCounts,
      qa_summary: built.qaSummary(),
      // The report's pages too: the manifest describes every file beside it.
      output_files: (await fingerprintAll(dir, new Map(report.files.map((f) => [f.path, f])))).map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
      run: finish(t0, started_at, stages, true),
    };
    await writeManifest(dir, manifest, built.inputs);
    await flip(o.out, dir);
    flipped = true;
    o.log.info("published", { out: o.out, folder: basename(dir), seconds: manifest.run.wall_s, ...report.rowCounts });
    // Only once this code has published: until then an older version's entries may still be wanted back.
    await cache.prune().then(
      (pruned) => pruned > 0 && o.log.info("pruned the extraction cache", { removed: pruned, kept: "entries of the current code" }),
      (err: Error) => o.log.warn("published, but pruning the extraction cache failed", { error: err.message }),
    );
    return built.rejected.length > 0 || built.unmatched.length > 0 ? EXIT.rejectedInputs : EXIT.ok;
  } finally {
    store.close();
    await rm(scratch, { recursive: true, force: true });
    if (!flipped) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Rewrites the manifest of an unchanged run: the same entries with the times seen now, so the next run can
 * trust them again. Returns how many of them were rejected inputs, counted on the way.
 */
async function rewriteUnchanged(out: string, prev: { head: ManifestHead; inputs: InputEntries }, files: InputListing, run: Manifest["run"]): Promise<number> {
  let rejectedBefore = 0;
  const same: InputEntries = async function* () {
    let i = 0;
    for await (const p of prev.inputs()) {
      if (p.status === "rejected") rejectedBefore++;
      yield { ...p, mtime_ms: files.at(i++).mtime_ms };
    }
  };
  const articles = { new: 0, changed: 0, unchanged: files.length, removed: 0 };
  await writeManifest(out, { ...prev.head, articles, articles_reextracted: 0, run }, same);
  return rejectedBefore;
}

function finish(t0: number, started_at: string, stages: Record<string, number>, republished: boolean): Manifest["run"] {
  const peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  return { started_at, finished_at: new Date().toISOString(), wall_s: Number(((performance.now() - t0) / 1000).toFixed(3)), stages_s: stages, peak_rss_mb, republished };
}
