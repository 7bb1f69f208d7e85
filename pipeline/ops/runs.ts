/**
 * Sorted runs: rows written to disk in key order (JSON lines), and merged back into one ordered stream
 * a chunk at a time. The external sort behind an archive run: whatever the number of rows or runs, the
 * reader holds one block and one row for each of at most FAN_IN runs, plus the chunk it hands on.
 */
import { open, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asciiJson } from "./asciiJson.ts";
import { LineReader } from "./lines.ts";

export type Compare<T> = (a: T, b: T) => number;

/** Bytes read from a run at a time: 16 KB reads as fast as 64 KB, and a merge holds one per run. */
const BLOCK = 16 * 1024;

export const runPath = (dir: string, name: string) => join(dir, `${name}.run`);

/** Writes `rows` (sorted here, in place) as the run `name`; an empty run writes no file. */
export async function writeRun<T>(dir: string, name: string, rows: T[], compare: Compare<T>): Promise<void> {
  if (rows.length === 0) return;
  rows.sort(compare);
  await writeFile(runPath(dir, name), `${rows.map(asciiJson).join("\n")}\n`);
}

/**
 * The runs `${base}-${i}-${n}` in `dir` (as RunWriters named `${base}-${i}` write them), ordered by i, then n:
 * the order their rows were added in, for writers that each wrote as many runs as their rows needed.
 * `base` is a plain name (letters, digits, '-' and '_').
 */
export async function listRuns(dir: string, base: string): Promise<string[]> {
  const pattern = new RegExp(`^${base}-(\\d+)-(\\d+)\\.run$`);
  const found: [number, number, string][] = [];
  for (const file of await readdir(dir)) {
    const m = pattern.exec(file);
    if (m) found.push([Number(m[1]), Number(m[2]), file.slice(0, -".run".length)]);
  }
  return found.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((f) => f[2]);
}

/** Rows added in any order, written out as a new sorted run every `rowsPerRun`: for rows that arrive over a long time. */
export class RunWriter<T> {
  private rows: T[] = [];
  private readonly names: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly compare: Compare<T>,
    private readonly rowsPerRun = 20_000,
  ) {}

  async add(row: T): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.rowsPerRun) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const name = `${this.name}-${this.names.length}`;
    this.names.push(name);
    const rows = this.rows;
    this.rows = [];
    await writeRun(this.dir, name, rows, this.compare);
  }

  /** The runs written so far, in the order rows arrived. */
  runs(): string[] {
    return [...this.names];
  }
}

interface Head<T> {
  row: T;
  line: string;
  run: number;
}

/**
 * Runs merged at once, at most: each costs a block and an open file, and a table of a 300,000-article run
 * had ~700 runs. Beyond this many, runs are first merged in groups into runs of their own, as an external
 * sort does; that extra pass costs 3–6 s per million rows (measured), so the bound is set where a 100,000-article run
 * (~230 runs a table) needs none.
 */
export const FAN_IN = 256;

let merges = 0;

/**
 * The rows of the runs `names` of `dir` in one order, in chunks of `chunkRows`: by `compare`, and rows that
 * compare equal in the order of `names` (so a caller can keep the first of a key). Missing runs are empty.
 */
export async function* mergeRuns<T>(dir: string, names: readonly string[], compare: Compare<T>, chunkRows: number, fanIn = FAN_IN): AsyncGenerator<T[]> {
  const made: string[] = [];
  try {
    let level = [...names];
    // Groups of consecutive runs merge into runs kept in the same order, so equal rows keep the order of `names`.
    while (level.length > fanIn) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += fanIn) {
        const name = `~merge-${process.pid}-${merges++}`;
        made.push(name);
        next.push(name);
        const out = await open(runPath(dir, name), "w");
        try {
          for await (const heads of mergeHeads(dir, level.slice(i, i + fanIn), compare, chunkRows)) await out.write(`${heads.map((h) => h.line).join("\n")}\n`);
        } finally {
          await out.close();
        }
      }
      level = next;
    }
    for await (const heads of mergeHeads(dir, level, compare, chunkRows)) yield heads.map((h) => h.row);
  } finally {
    await Promise.all(made.map((n) => rm(runPath(dir, n), { force: true })));
  }
}

/** The rows of a few runs merged, each with the line it was read from. */
async function* mergeHeads<T>(dir: string, names: readonly string[], compare: Compare<T>, chunkRows: number): AsyncGenerator<Head<T>[]> {
  const readers = await Promise.all(names.map((n) => LineReader.open(runPath(dir, n), BLOCK)));
  const before = (a: Head<T>, b: Head<T>) => {
    const c = compare(a.row, b.row);
    return c < 0 || (c === 0 && a.run < b.run);
  };
  const heap: Head<T>[] = [];
  // Sift with a hole rather than swaps: each level moves one entry.
  const push = (h: Head<T>) => {
    let i = heap.length;
    heap.push(h);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(h, heap[up]!)) break;
      heap[i] = heap[up]!;
      i = up;
    }
    heap[i] = h;
  };
  const pop = (): Head<T> => {
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && before(heap[l + 1]!, heap[l]!) ? l + 1 : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  const take = (line: string | null, run: number) => {
    if (line !== null) push({ row: JSON.parse(line) as T, line, run });
  };
  try {
    for (let run = 0; run < readers.length; run++) if (readers[run]) take(await readers[run]!.next(), run);
    let chunk: Head<T>[] = [];
    while (heap.length > 0) {
      const head = pop();
      chunk.push(head);
      const reader = readers[head.run]!;
      take(reader.buffered() ?? (await reader.next()), head.run);
      if (chunk.length >= chunkRows) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  } finally {
    await Promise.all(readers.map((r) => r?.close()));
  }
}
