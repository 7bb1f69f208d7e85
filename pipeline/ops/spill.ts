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

/** The rows of one part across several spills, in the order of `names`: a table assembled from what each worker spilled. */
export async function readSpilledAcross<T>(dir: string, names: readonly string[], part: number): Promise<T[]> {
  const rows: T[] = [];
  for (const name of names) for (const row of await readSpilled<T>(dir, name, part)) rows.push(row);
  return rows;
}

/** FNV-1a: a cheap, stable spread of keys over parts (not a security hash). */
export function partOf(key: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % parts;
}
