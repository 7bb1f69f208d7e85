import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RawFile } from "./article.ts";
import { parseCsv } from "./csv.ts";
import { MAX_ARTICLE_BYTES } from "./limits.ts";
import { registryFromRows, type RegistryEntry } from "./registry.ts";

const ARTICLE_FILE = /\.(?:txt|md)$/i;
const UTF8_NAME = new TextDecoder("utf-8", { fatal: true });
/** Never follow a link (a `/dev/zero` swapped in after listing), never block on a FIFO nobody writes. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** An input file as the file system describes it, before it is read. */
export interface InputStat {
  source_file: string;
  size: number;
  mtime_ms: number;
  /** Why the entry is not read at all (a FIFO, a folder, a name that is not UTF-8): it becomes a `rejected` row. */
  unreadable?: string;
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
    /** The few entries that are not read, by index, with why. */
    private unreadable: Map<number, string>,
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
      new Map(stats.flatMap((s, i) => (s.unreadable === undefined ? [] : [[i, s.unreadable] as [number, string]]))),
    );
  }

  get length(): number {
    return this.ends.length;
  }

  /** The `i`th file (0 ≤ i < length). */
  at(i: number): InputStat {
    const stat: InputStat = { source_file: this.names.slice(i === 0 ? 0 : this.ends[i - 1], this.ends[i]), size: this.sizes[i]!, mtime_ms: this.mtimes[i]! };
    const why = this.unreadable.get(i);
    return why === undefined ? stat : { ...stat, unreadable: why };
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
    this.unreadable.clear();
  }
}

function kind(entry: Stats): string {
  if (entry.isSymbolicLink()) return "a symbolic link";
  if (entry.isDirectory()) return "a folder";
  if (entry.isFIFO()) return "a FIFO";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "a device";
  return "of another kind";
}

/** Why an entry that is not a regular file is not read. */
function notRegular(entry: Stats): string {
  return `not a regular file (${kind(entry)}): not read`;
}

/** A name as the rejected table shows it: as is if UTF-8, else its ASCII with every other byte written `\xNN`. */
function nameText(name: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: UTF8_NAME.decode(name), utf8: true };
  } catch {
    return { text: Array.from(name, (b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join(""), utf8: false };
  }
}

/**
 * The article files of a folder (not recursive), sorted by name, with size and modification time. Entries
 * that cannot be articles as they stand (a link, FIFO, device or subfolder, a name that is not UTF-8) are
 * listed with why, never followed or opened: each becomes a `rejected` row. Folders named with a dot
 * (`.git`) are not listed.
 */
export async function listInputs(input: string): Promise<InputListing> {
  const stats: InputStat[] = [];
  for (const d of await readdir(input, { withFileTypes: true, encoding: "buffer" })) {
    const { text, utf8 } = nameText(d.name);
    if (!(ARTICLE_FILE.test(text) || (d.isDirectory() && !text.startsWith(".")))) continue;
    if (!utf8) {
      stats.push({ source_file: text, size: 0, mtime_ms: 0, unreadable: "file name is not valid UTF-8: rename the file" });
      continue;
    }
    // Synchronous: a stat takes microseconds, less than the promise and thread-pool round trip around it.
    const s = lstatSync(join(input, text), { throwIfNoEntry: false });
    if (!s) continue;
    stats.push({ source_file: text, size: s.size, mtime_ms: s.mtimeMs, ...(s.isFile() ? {} : { unreadable: notRegular(s) }) });
  }
  return InputListing.of(stats.sort((a, b) => (a.source_file < b.source_file ? -1 : a.source_file > b.source_file ? 1 : 0)));
}

/**
 * One file's bytes, or why it was not read. Opened without following links or waiting on a FIFO, then
 * checked on the open descriptor (an entry may have been swapped since it was listed): a regular file of at
 * most MAX_ARTICLE_BYTES, read up to one byte past the limit however much it grows meanwhile.
 */
function readOne(path: string, source_file: string): RawFile {
  const unreadable = (why: string): RawFile => ({ source_file, bytes: new Uint8Array(0), unreadable: why });
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return unreadable(code === "ELOOP" ? "not a regular file (a symbolic link): not read" : `cannot be opened (${code ?? (err as Error).message})`);
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return unreadable(notRegular(s));
    if (s.size > MAX_ARTICLE_BYTES) return unreadable(`file too large (${s.size} bytes; limit ${MAX_ARTICLE_BYTES})`);
    // A buffer of its own (not a slice of Node's shared pool), as the pool sends it to a worker whole.
    let buf = Buffer.allocUnsafeSlow(s.size + 1);
    let n = 0;
    for (let r; n <= MAX_ARTICLE_BYTES && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) {
      n += r;
      if (n === buf.length && n <= MAX_ARTICLE_BYTES) buf = Buffer.concat([buf, Buffer.allocUnsafeSlow(Math.min(buf.length, MAX_ARTICLE_BYTES + 1 - n))]);
    }
    if (n > MAX_ARTICLE_BYTES) return unreadable(`file too large (over ${MAX_ARTICLE_BYTES} bytes when read)`);
    return { source_file, bytes: buf.subarray(0, n) };
  } catch (err) {
    return unreadable(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The files' bytes, each in a buffer of its own; a file that cannot be read comes back empty with why.
 * Read synchronously, one after another: an article comes from the page cache in microseconds, and a
 * promise per file would cost several times the CPU on the main thread, which shares the cores with the
 * extraction workers. Callers pass a chunk of files at a time.
 */
export async function readFiles(input: string, names: string[]): Promise<RawFile[]> {
  return names.map((name) => readOne(join(input, name), name));
}

/** Listed files' bytes: an entry the listing found unreadable is not opened again. */
export async function readListed(input: string, stats: InputStat[]): Promise<RawFile[]> {
  return stats.map((s) => (s.unreadable === undefined ? readOne(join(input, s.source_file), s.source_file) : { source_file: s.source_file, bytes: new Uint8Array(0), unreadable: s.unreadable }));
}

/** Input end: every article file of a folder, read whole, sorted by name. */
export async function readInputs(input: string): Promise<RawFile[]> {
  const listing = await listInputs(input);
  return readListed(input, listing.slice(0, listing.length));
}

/** The source registry (sources/articles.csv): publisher, url and date of articles, by file name. */
export async function readRegistry(sourcesDir: string): Promise<Map<string, RegistryEntry>> {
  return registryFromRows(parseCsv(await readFile(join(sourcesDir, "articles.csv"), "utf8")));
}
