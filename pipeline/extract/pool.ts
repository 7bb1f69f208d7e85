/**
 * Extraction on all cores: a pool of worker threads, each holding its own gazetteer, fed with batches of
 * articles. Results come back in input order and equal what `extractArticle` gives in-process (the
 * extractor is pure, so where it runs cannot change what it finds). Small inputs stay in-process: starting
 * a worker costs more than extracting a few dozen articles.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Article, ExtractResult, Reference } from "../types.ts";
import { buildGazetteer } from "./entities.ts";
import { extractArticle } from "./extract.ts";

export interface ExtractPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. 1 runs in-process. */
  threads?: number;
  /** Inputs with fewer articles than this run in-process (default 64). */
  inProcessBelow?: number;
  /** A batch closes at this many articles ... (default 64) */
  batchArticles?: number;
  /** ... or at this many UTF-16 code units of article bodies (default 256 Ki). */
  batchChars?: number;
  /** Called as articles finish (in batches, not necessarily in input order): articles done so far, of total. */
  onProgress?: (done: number, total: number) => void;
}

/** What a worker is sent: one batch, numbered so answers can be matched. */
export interface WorkerRequest {
  id: number;
  articles: Article[];
}

export type WorkerResponse = { id: number; results: ExtractResult[] } | { id: number; error: string };

const DEFAULTS = { inProcessBelow: 64, batchArticles: 64, batchChars: 256 * 1024 };
type Settings = typeof DEFAULTS & Pick<ExtractPoolOptions, "onProgress">;

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

/** The parent's execArgv without tsx's own flags: the bootstrap registers tsx in the worker, and an inherited `--import` of it would get in the way. */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === "--import" || a === "--require" || a === "--loader" || a === "-r") && /[\\/]tsx[\\/]/.test(args[i + 1] ?? "")) {
      i++;
      continue;
    }
    if (/^--(?:import|require|loader)=.*[\\/]tsx[\\/]/.test(a)) continue;
    out.push(a);
  }
  return out;
}

function splitBatches(articles: Article[], maxArticles: number, maxChars: number): Article[][] {
  const out: Article[][] = [];
  let cur: Article[] = [];
  let chars = 0;
  for (const a of articles) {
    if (cur.length > 0 && (cur.length >= maxArticles || chars + a.body.length > maxChars)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(a);
    chars += a.body.length;
  }
  if (cur.length) out.push(cur);
  return out;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  resolve: (r: ExtractResult[]) => void;
  reject: (e: Error) => void;
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
      onProgress: options.onProgress,
    };
  }

  readonly threads: number;

  /** Extracts in-process with one gazetteer built on first use. */
  private local(articles: Article[]): ExtractResult[] {
    this.gazetteer ??= buildGazetteer(this.reference);
    const g = this.gazetteer;
    const progress = this.opts.onProgress;
    return articles.map((a, i) => {
      const r = extractArticle(a, g);
      progress?.(i + 1, articles.length);
      return r;
    });
  }

  private start(n: number): void {
    const code = bootstrap();
    const execArgv = workerExecArgv();
    while (this.slots.length < n) {
      const worker = new Worker(code, { eval: true, execArgv, workerData: { reference: this.reference } });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on("message", (msg: WorkerResponse) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        slot.inFlight--;
        if ("error" in msg) p.reject(new Error(msg.error));
        else p.resolve(msg.results);
      });
      worker.on("error", (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`extraction worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const [, p] of this.pending) p.reject(err);
    this.pending.clear();
    void this.close();
  }

  private send(batch: Article[]): Promise<ExtractResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise<ExtractResult[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, articles: batch } satisfies WorkerRequest);
    });
  }

  /** Extracts every article; the i-th result belongs to the i-th article. */
  async run(articles: Article[]): Promise<ExtractResult[]> {
    if (this.closed) throw new Error("extraction pool is closed");
    if (this.failure) throw this.failure;
    if (this.threads <= 1 || articles.length < this.opts.inProcessBelow) return this.local(articles);
    const batches = splitBatches(articles, this.opts.batchArticles, this.opts.batchChars);
    this.start(Math.min(this.threads, batches.length));
    // At most two batches queued per worker: enough to keep it busy, not so many that every body is
    // copied into the workers up front.
    const window = this.slots.length * 2;
    const out: ExtractResult[][] = new Array(batches.length);
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const i = next++;
        out[i] = await this.send(batches[i]!);
        done += batches[i]!.length;
        this.opts.onProgress?.(done, articles.length);
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

/**
 * Extracts all articles on a worker-thread pool of `threads` (default: available cores), in input order,
 * with results identical to `articles.map((a) => extractArticle(a, buildGazetteer(reference)))`.
 * Fewer than 64 articles (or threads: 1) run in-process.
 */
export async function extractAll(articles: Article[], reference: Reference, opts: ExtractPoolOptions = {}): Promise<ExtractResult[]> {
  const pool = new ExtractPool(reference, opts);
  try {
    return await pool.run(articles);
  } finally {
    await pool.close();
  }
}
