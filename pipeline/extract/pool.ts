/**
 * Extraction on all cores: a pool of worker threads, each holding its own gazetteer, fed with batches of
 * raw files that it parses, extracts, normalizes and serializes as article lines (ops/factlines.ts). Lines
 * come back in input order and equal what the same steps give in-process (they are pure, so where they run
 * cannot change what they find). Small inputs stay in-process: starting a worker costs more than
 * extracting a few dozen articles.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Reference } from "../types.ts";
import { articleLines, rejectedLines } from "../ops/factlines.ts";
import { parseArticle, type RawFile } from "../ingest/article.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import { buildGazetteer, type Gazetteer } from "./entities.ts";
import { extractArticle } from "./extract.ts";

export interface ExtractPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. 1 runs in-process. */
  threads?: number;
  /** Inputs with fewer articles than this run in-process (default 64). */
  inProcessBelow?: number;
  /**
   * A batch closes at this many files (default 64): at 16 the pipeline's extraction stage ran ~8% slower
   * (10,000 articles, three alternated runs), presumably as the workers' queues ran dry while its main
   * thread took in a chunk.
   */
  batchArticles?: number;
  /** ... or at this many UTF-16 code units of article bodies (default 256 Ki). */
  batchChars?: number;
  /** Called as articles finish (in batches, not necessarily in input order): articles done so far, of total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * A worker's old-generation heap, in MB (default 512). V8 otherwise lets each worker's heap grow far past
   * what it holds; the default leaves room for the largest article accepted (5 MB of the densest text needs ~320).
   */
  heapMb?: number;
  /**
   * A worker's young generation, in MB (default V8's, from the old generation's size). Smaller means more
   * frequent minor collections: extraction loses by it (8 MB: ~13% slower), merging does not.
   */
  youngMb?: number;
}

/** What a worker is asked to do with one batch: parse and extract raw files, with their registry rows. */
export interface Job {
  files: RawFile[];
  registry: [string, RegistryEntry][];
}

/** What a worker is sent: one batch, numbered so answers can be matched. */
export interface WorkerRequest {
  id: number;
  job: Job;
}

/** A batch's article lines, in its order, or why it failed. */
export type WorkerResponse = { id: number; results: string[] } | { id: number; error: string };

const DEFAULTS = { inProcessBelow: 64, batchArticles: 64, batchChars: 256 * 1024, heapMb: 512 };
type Settings = typeof DEFAULTS & Pick<ExtractPoolOptions, "onProgress" | "youngMb">;

/** Does one job; the same function in-process and in workers. `onItem` names the file in hand, for error messages. */
export function runJob(job: Job, gazetteer: Gazetteer, reference: Reference, onItem: (name: string) => void = () => {}): string[] {
  const registry = new Map(job.registry);
  return job.files.map((f) => {
    onItem(f.source_file);
    return articleLines(parseArticle(f, registry), (a) => extractArticle(a, gazetteer), reference.fx);
  });
}

/**
 * Worker threads cannot load TypeScript by themselves: a loader passed with `--import` in execArgv does not
 * reach a worker's entry module on Node 20, and vitest transforms test files without any Node loader at
 * all. So each worker starts from a small JavaScript bootstrap that registers tsx's ESM loader in that
 * thread, then imports worker.ts. This works the same under `tsx` (npm run pipeline) and under vitest.
 */
function bootstrap(): string {
  // tsx's ESM API (the .mjs build: the .cjs one that require.resolve finds cannot register from a worker).
  const api = createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs");
  const entry = new URL("./worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); }).catch((e) => { console.error(e); process.exit(70); });`;
}

/**
 * The parent's execArgv without tsx's own flags (the bootstrap registers tsx in the worker, and an inherited
 * `--import` of it would get in the way) and without the V8 flags a worker refuses: heap sizes (its heap is
 * set by `resourceLimits`) and `--expose-gc`.
 */
export function workerExecArgv(args: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === "--import" || a === "--require" || a === "--loader" || a === "-r") && /[\\/]tsx[\\/]/.test(args[i + 1] ?? "")) {
      i++;
      continue;
    }
    if (/^--(?:import|require|loader)=.*[\\/]tsx[\\/]/.test(a)) continue;
    if (/^--max[-_](?:old|semi)[-_]space[-_]size(?:=|$)/.test(a)) {
      if (!a.includes("=")) i++;
      continue;
    }
    if (/^--expose[-_]gc$/.test(a)) continue;
    out.push(a);
  }
  return out;
}

function splitBatches<T>(items: T[], size: (x: T) => number, maxItems: number, maxSize: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let total = 0;
  for (const x of items) {
    const n = size(x);
    if (cur.length > 0 && (cur.length >= maxItems || total + n > maxSize)) {
      out.push(cur);
      cur = [];
      total = 0;
    }
    cur.push(x);
    total += n;
  }
  if (cur.length) out.push(cur);
  return out;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  slot: Slot;
  job: Job;
  resolve: (r: string[]) => void;
  reject: (e: Error) => void;
}

/** A worker that overran its heap: the one article it held becomes a rejected row, not a dead run. */
function outOfMemory(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
}

/**
 * A long-lived pool: `run` extracts any number of articles (each call's results in its input order) and
 * can be called again, e.g. once per chunk of a corpus read from disk, so bodies need not all be in
 * memory at once. Call `close` when done.
 */
export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;
  private readonly opts: Settings;
  private gazetteer: ReturnType<typeof buildGazetteer> | null = null;

  constructor(
    private readonly reference: Reference,
    options: ExtractPoolOptions = {},
  ) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.opts = {
      inProcessBelow: options.inProcessBelow ?? DEFAULTS.inProcessBelow,
      batchArticles: Math.max(1, options.batchArticles ?? DEFAULTS.batchArticles),
      batchChars: Math.max(1, options.batchChars ?? DEFAULTS.batchChars),
      heapMb: options.heapMb ?? DEFAULTS.heapMb,
      youngMb: options.youngMb,
      onProgress: options.onProgress,
    };
  }

  readonly threads: number;

  /** Runs a job in-process with one gazetteer built on first use. */
  private local(job: Job, total: number): string[] {
    this.gazetteer ??= buildGazetteer(this.reference);
    const progress = this.opts.onProgress;
    // Each item starting means the one before it is done; the last is reported once all are.
    let started = 0;
    const out = runJob(job, this.gazetteer, this.reference, () => {
      if (started > 0) progress?.(started, total);
      started++;
    });
    progress?.(total, total);
    return out;
  }

  private start(n: number): void {
    const code = bootstrap();
    const execArgv = workerExecArgv();
    while (this.slots.length < n) {
      const worker = new Worker(code, { eval: true, execArgv, workerData: { reference: this.reference }, resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb, maxYoungGenerationSizeMb: this.opts.youngMb } });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on("message", (msg: WorkerResponse) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        slot.inFlight--;
        if ("error" in msg) p.reject(new Error(msg.error));
        else p.resolve(msg.results);
      });
      worker.on("error", (err) => this.lost(slot, err));
      worker.on("exit", (code) => this.lost(slot, new Error(`extraction worker exited with code ${code}`)));
      this.slots.push(slot);
    }
  }

  /**
   * A worker died. Out of memory, its jobs are sent again, one file per job, to a fresh worker: a file that
   * alone overruns a worker's heap is rejected. Any other death fails the run.
   */
  private lost(slot: Slot, err: unknown): void {
    const at = this.slots.indexOf(slot);
    if (this.closed || at < 0) return;
    this.slots.splice(at, 1);
    if (!outOfMemory(err)) return this.fail(err instanceof Error ? err : new Error(String(err)));
    // A worker takes its jobs in the order sent (ids ascending, as the map keeps them): the first was running, the rest waited.
    const [running, ...waiting] = [...this.pending].filter(([, p]) => p.slot === slot).map(([id, p]) => (this.pending.delete(id), p));
    this.start(this.slots.length + 1);
    for (const p of waiting) this.send(p.job).then(p.resolve, p.reject);
    if (!running) return;
    const { job, resolve, reject } = running;
    if (job.files.length === 1) resolve([rejectedLines(`extraction ran out of memory (a worker's heap is ${this.opts.heapMb} MB): split the file`)]);
    else Promise.all(job.files.map((f) => this.send({ files: [f], registry: job.registry.filter(([name]) => name === f.source_file) }))).then((r) => resolve(r.flat()), reject);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const [, p] of this.pending) p.reject(err);
    this.pending.clear();
    void this.close();
  }

  /** Sends a job to the least busy worker. Its bytes are copied, not moved: a job lost with its worker is sent again. */
  private send(job: Job): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, job, resolve, reject });
      slot.worker.postMessage({ id, job } satisfies WorkerRequest);
    });
  }

  /**
   * Parses and extracts raw files, answering each with its article lines (ops/factlines.ts), in input order.
   */
  async runFiles(files: RawFile[], registry: Map<string, RegistryEntry>): Promise<string[]> {
    if (this.closed) throw new Error("extraction pool is closed");
    if (this.failure) throw this.failure;
    const job = (batch: RawFile[]): Job => ({ files: batch, registry: batch.flatMap((f) => (registry.has(f.source_file) ? [[f.source_file, registry.get(f.source_file)!] as [string, RegistryEntry]] : [])) });
    if (this.threads <= 1 || files.length < this.opts.inProcessBelow) return this.local(job(files), files.length);
    const batches = splitBatches(files, (f) => f.bytes.length, this.opts.batchArticles, this.opts.batchChars);
    this.start(Math.min(this.threads, batches.length));
    // At most two batches queued per worker: enough to keep it busy, not so many that every body is
    // copied into the workers up front.
    const window = this.slots.length * 2;
    const out: string[][] = new Array(batches.length);
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const i = next++;
        const batch = batches[i]!;
        out[i] = await this.send(job(batch));
        done += batch.length;
        this.opts.onProgress?.(done, files.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, batches.length) }, lane));
    return out.flat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = this.failure ?? new Error("extraction pool closed");
    for (const [, p] of this.pending) p.reject(err);
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
