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
import { articleLines } from "../ops/factlines.ts";
import { parseArticle, type RawFile } from "../ingest/article.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import { buildGazetteer, type Gazetteer } from "./entities.ts";
import { extractArticle } from "./extract.ts";
import { unpack, type Packed } from "./packed.ts";

export interface ExtractPoolOptions {
  /** Worker threads; default `os.availableParallelism()`. 1 runs in-process. */
  threads?: number;
  /** Inputs with fewer articles than this run in-process (default 64). */
  inProcessBelow?: number;
  /**
   * A batch closes at this many articles ... (default 16 for results, 64 for article lines). A worker holds a
   * batch's answers until all are made, then they cross and are rebuilt on the main thread in one piece:
   * results are object graphs, and smaller pieces cost both threads less collection (10 MB of articles,
   * pools alternated in one process: 16.9 MB/s at 16, 15.0 at 64, 8 gained no more; packed, 15.8 at 16,
   * 15.6 at 32, 14.9 at 64). Article lines are strings; at 16 the pipeline's extraction stage ran ~8%
   * slower than at 64 (10,000 articles, three alternated runs), presumably as the workers' queues ran dry
   * while its main thread took in a chunk.
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

/**
 * What a worker is asked to do with one batch: extract articles already parsed (results as objects), or
 * — for archive runs — parse raw files and extract them, each answered as article lines (ops/factlines.ts):
 * parsing, extraction, normalization and serialization all happen off the main thread, which takes in
 * plain strings.
 */
export type Job =
  | { form: "results"; articles: Article[] }
  | { form: "files"; files: RawFile[]; registry: [string, RegistryEntry][] };

/** What a job answers per item. */
type Answer = ExtractResult | string;

/** What a worker is sent: one batch, numbered so answers can be matched. */
export interface WorkerRequest {
  id: number;
  job: Job;
}

/** Results cross packed (packed.ts): structured clone made receiving them most of the main thread's work. */
export type WorkerResponse = { id: number; results: Answer[] } | { id: number; packed: Packed } | { id: number; error: string };

const DEFAULTS = { inProcessBelow: 64, batchChars: 256 * 1024, heapMb: 512 };
/** Articles a batch, by what the workers answer with (see ExtractPoolOptions.batchArticles). */
const BATCH_ARTICLES = { results: 16, files: 64 };
type Settings = typeof DEFAULTS & Pick<ExtractPoolOptions, "onProgress" | "youngMb" | "batchArticles">;

/**
 * Does one job; the same function in-process and in workers. `onItem` names the item in hand, for error
 * messages. Partition jobs (ops/partitions.ts) are here too: workers are the only other threads a run has.
 */
export async function runJob(job: Job, gazetteer: Gazetteer, reference: Reference, onItem: (name: string) => void = () => {}): Promise<Answer[]> {
  if (job.form === "results") {
    return job.articles.map((a) => {
      onItem(a.meta.article_id);
      return extractArticle(a, gazetteer);
    });
  }
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
  resolve: (r: Answer[]) => void;
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
      batchArticles: options.batchArticles === undefined ? undefined : Math.max(1, options.batchArticles),
      batchChars: Math.max(1, options.batchChars ?? DEFAULTS.batchChars),
      heapMb: options.heapMb ?? DEFAULTS.heapMb,
      youngMb: options.youngMb,
      onProgress: options.onProgress,
    };
  }

  readonly threads: number;

  /** Runs a job in-process with one gazetteer built on first use. */
  private async local(job: Job, total: number): Promise<Answer[]> {
    this.gazetteer ??= buildGazetteer(this.reference);
    const progress = this.opts.onProgress;
    // Each item starting means the one before it is done; the last is reported once all are.
    let started = 0;
    const out = await runJob(job, this.gazetteer, this.reference, () => {
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
        else p.resolve("packed" in msg ? (unpack(msg.packed) as Answer[]) : msg.results);
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

  private send(job: Job, transfer: ArrayBuffer[]): Promise<Answer[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job } satisfies WorkerRequest, transfer);
    });
  }

  /** Extracts every article; the i-th result belongs to the i-th article. */
  async run(articles: Article[]): Promise<ExtractResult[]> {
    return (await this.results(articles)) as ExtractResult[];
  }

  /**
   * Extracts every article, handing each batch's results to `take` as they arrive (batches in any order;
   * `first` is the index of the batch's first article) and keeping none. Results held to the end of a large
   * `run` outlive many young-generation collections, and copying and promoting them cost the main thread as
   * much as receiving them.
   */
  async each(articles: Article[], take: (results: ExtractResult[], first: number) => void): Promise<void> {
    await this.results(articles, take as (answers: Answer[], first: number) => void);
  }

  private results(articles: Article[], take?: (answers: Answer[], first: number) => void): Promise<Answer[]> {
    return this.dispatch(articles, (a) => a.body.length, (batch) => ({ form: "results", articles: batch }), undefined, this.articleLimits("results"), take);
  }

  private articleLimits(form: keyof typeof BATCH_ARTICLES): { batchItems: number; inProcessBelow: number } {
    return { batchItems: this.opts.batchArticles ?? BATCH_ARTICLES[form], inProcessBelow: this.opts.inProcessBelow };
  }

  /**
   * Parses and extracts raw files, answering each with its article lines (ops/factlines.ts). The files'
   * bytes are moved to the workers, not copied: the caller must be done with them.
   */
  async runFiles(files: RawFile[], registry: Map<string, RegistryEntry>): Promise<string[]> {
    const job = (batch: RawFile[]): Job => ({ form: "files", files: batch, registry: batch.flatMap((f) => (registry.has(f.source_file) ? [[f.source_file, registry.get(f.source_file)!] as [string, RegistryEntry]] : [])) });
    const transfer = (batch: RawFile[]) => batch.map((f) => f.bytes.buffer).filter((b, i) => b instanceof ArrayBuffer && batch[i]!.bytes.byteLength === b.byteLength) as ArrayBuffer[];
    return (await this.dispatch(files, (f) => f.bytes.length, job, transfer, this.articleLimits("files"))) as string[];
  }

  private async dispatch<T>(
    items: T[],
    size: (x: T) => number,
    job: (batch: T[]) => Job,
    transfer: (batch: T[]) => ArrayBuffer[] = () => [],
    limits: { batchItems: number; inProcessBelow: number },
    take?: (answers: Answer[], first: number) => void,
  ): Promise<Answer[]> {
    if (this.closed) throw new Error("extraction pool is closed");
    if (this.failure) throw this.failure;
    if (this.threads <= 1 || items.length < limits.inProcessBelow) {
      const answers = await this.local(job(items), items.length);
      if (!take) return answers;
      take(answers, 0);
      return [];
    }
    const batches = splitBatches(items, size, limits.batchItems, this.opts.batchChars);
    const firsts: number[] = [];
    for (let i = 0, at = 0; i < batches.length; at += batches[i++]!.length) firsts.push(at);
    this.start(Math.min(this.threads, batches.length));
    // At most two batches queued per worker: enough to keep it busy, not so many that every body is
    // copied into the workers up front.
    const window = this.slots.length * 2;
    const out: Answer[][] = new Array(batches.length);
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const i = next++;
        const answers = await this.send(job(batches[i]!), transfer(batches[i]!));
        if (take) take(answers, firsts[i]!);
        else out[i] = answers;
        done += batches[i]!.length;
        this.opts.onProgress?.(done, items.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, batches.length) }, lane));
    return take ? [] : out.flat();
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
