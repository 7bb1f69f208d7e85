import { closeSync, openSync, readSync } from "node:fs";
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { asciiJson } from "./asciiJson.ts";

/** Buffered characters across all parts before they are written out. */
const FLUSH_AT = 8 * 1024 * 1024;

/**
 * Rows too many to hold at archive size, parked on disk as JSON lines in numbered parts, each part read back
 * whole later. Which part a row goes to is the caller's choice: rows that must meet (same merge key, same
 * derivation group) share a part, so each part can be processed on its own.
 */
export class Spill<T> {
  private readonly buffers: string[][];
  private buffered = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    readonly parts: number,
  ) {
    this.buffers = Array.from({ length: parts }, () => []);
  }

  async add(part: number, row: T): Promise<void> {
    await this.addLine(part, asciiJson(row));
  }

  /** A row already serialized as JSON (one line). */
  async addLine(part: number, line: string): Promise<void> {
    this.buffers[part]!.push(line);
    this.buffered += line.length;
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    for (let p = 0; p < this.parts; p++) {
      const lines = this.buffers[p]!;
      if (lines.length === 0) continue;
      await appendFile(spillPath(this.dir, this.name, p), `${lines.join("\n")}\n`);
      this.buffers[p] = [];
    }
    this.buffered = 0;
  }
}

function spillPath(dir: string, name: string, part: number): string {
  return join(dir, `${name}-${String(part).padStart(4, "0")}.ndjson`);
}

/** The rows of one part of the spill `name` in `dir`, in the order they were added (read after its `flush`); none if it has no file. */
export async function readSpilled<T>(dir: string, name: string, part: number): Promise<T[]> {
  const text = await readFile(spillPath(dir, name, part), "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw e;
  });
  const rows: T[] = [];
  let from = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
    rows.push(JSON.parse(text.slice(from, nl)) as T);
    from = nl + 1;
  }
  return rows;
}

/** Bytes read at a time when a part is scanned line by line. */
const SCAN_BLOCK = 1 << 20;

/**
 * One part of a spill opened for reading line by line, each line with the bytes it spans, and any line
 * read again by those bytes: for a caller that keeps only where rows lie, not the rows, however big the part.
 */
export class SpillPartReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  private constructor(private readonly fd: number) {}

  /** The part, or null if nothing was spilled to it. */
  static open(dir: string, name: string, part: number): SpillPartReader | null {
    try {
      return new SpillPartReader(openSync(spillPath(dir, name, part), "r"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  /** Every line in order, with its first byte and the byte after its end. */
  *lines(): Generator<[text: string, start: number, end: number]> {
    const block = Buffer.allocUnsafe(SCAN_BLOCK);
    let rest: Buffer = Buffer.alloc(0);
    let pos = 0;
    for (let n; (n = readSync(this.fd, block, 0, SCAN_BLOCK, pos)) > 0; pos += n) {
      const data = rest.length ? Buffer.concat([rest, block.subarray(0, n)]) : block.subarray(0, n);
      const base = pos - rest.length;
      let from = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, from)) {
        yield [data.toString("utf8", from, nl), base + from, base + nl];
        from = nl + 1;
      }
      rest = Buffer.from(data.subarray(from));
    }
  }

  /** The line spanning bytes [start, end). */
  lineAt(start: number, end: number): string {
    if (this.buffer.length < end - start) this.buffer = Buffer.allocUnsafe(end - start);
    const n = readSync(this.fd, this.buffer, 0, end - start, start);
    return this.buffer.toString("utf8", 0, n);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The rows of one part across several spills, in the order of `names`: a table assembled from what each worker spilled. */
export async function readSpilledAcross<T>(dir: string, names: readonly string[], part: number): Promise<T[]> {
  const rows: T[] = [];
  for (const name of names) for (const row of await readSpilled<T>(dir, name, part)) rows.push(row);
  return rows;
}

/** FNV-1a over UTF-16 code units, as an unsigned 32-bit number: cheap and stable (not a security hash). */
export function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A cheap, stable spread of keys over parts. */
export function partOf(key: string, parts: number): number {
  return fnv1a(key) % parts;
}
