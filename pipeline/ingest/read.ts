import { readFileSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RawFile } from "./article.ts";
import { parseCsv } from "./csv.ts";
import { registryFromRows, type RegistryEntry } from "./registry.ts";

const ARTICLE_FILE = /\.(?:txt|md)$/i;

/** An input file as the file system describes it, before it is read. */
export interface InputStat {
  source_file: string;
  size: number;
  mtime_ms: number;
}

/**
 * The article files of a folder, sorted by name, with size and modification time. A run holds it while it
 * takes every file in, so names sit side by side in one string and numbers in typed arrays, a few bytes a
 * file rather than an object each.
 */
export class InputListing {
  private constructor(
    private names: string,
    /** Where each name ends in `names`. */
    private ends: Uint32Array,
    private sizes: Float64Array,
    private mtimes: Float64Array,
  ) {}

  static of(stats: readonly InputStat[]): InputListing {
    const ends = new Uint32Array(stats.length);
    let end = 0;
    stats.forEach((s, i) => (ends[i] = end += s.source_file.length));
    return new InputListing(
      stats.map((s) => s.source_file).join(""),
      ends,
      Float64Array.from(stats, (s) => s.size),
      Float64Array.from(stats, (s) => s.mtime_ms),
    );
  }

  get length(): number {
    return this.ends.length;
  }

  /** The `i`th file (0 ≤ i < length). */
  at(i: number): InputStat {
    return { source_file: this.names.slice(i === 0 ? 0 : this.ends[i - 1], this.ends[i]), size: this.sizes[i]!, mtime_ms: this.mtimes[i]! };
  }

  /** Files `from` to `to` (not included). */
  slice(from: number, to: number): InputStat[] {
    const out: InputStat[] = [];
    for (let i = from; i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }

  /** Each file's size in bytes, in order. */
  fileSizes(): Float64Array {
    return this.sizes;
  }

  /** Empties the listing, for an owner that is done with it. */
  release(): void {
    this.names = "";
    this.ends = new Uint32Array(0);
    this.sizes = new Float64Array(0);
    this.mtimes = new Float64Array(0);
  }
}

/** The article files of a folder (not recursive), sorted by name, with size and modification time. */
export async function listInputs(input: string): Promise<InputListing> {
  const names = (await readdir(input, { withFileTypes: true })).filter((d) => d.isFile() && ARTICLE_FILE.test(d.name)).map((d) => d.name).sort();
  // Synchronous: a stat takes microseconds, less than the promise and thread-pool round trip around it.
  return InputListing.of(
    names.map((name) => {
      const s = statSync(join(input, name));
      return { source_file: name, size: s.size, mtime_ms: s.mtimeMs };
    }),
  );
}

/**
 * The files' bytes, each in a buffer of its own (so it can be moved to a worker). Read synchronously, one
 * after another: an article comes from the page cache in microseconds, and a promise per file would cost
 * several times the CPU on the main thread, which shares the cores with the extraction workers. Callers
 * pass a chunk of files at a time.
 */
export async function readFiles(input: string, names: string[]): Promise<RawFile[]> {
  return names.map((name) => ({ source_file: name, bytes: new Uint8Array(readFileSync(join(input, name))) }));
}

/** Input end: every article file of a folder, read whole, sorted by name. */
export async function readInputs(input: string): Promise<RawFile[]> {
  const listing = await listInputs(input);
  return readFiles(input, listing.slice(0, listing.length).map((s) => s.source_file));
}

/** The source registry (sources/articles.csv): publisher, url and date of articles, by file name. */
export async function readRegistry(sourcesDir: string): Promise<Map<string, RegistryEntry>> {
  return registryFromRows(parseCsv(await readFile(join(sourcesDir, "articles.csv"), "utf8")));
}
