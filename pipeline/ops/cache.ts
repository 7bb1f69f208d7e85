import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { stableId } from "../ids.ts";
import { fileHash as sha256 } from "../ingest/article.ts";
import type { RegistryEntry } from "../ingest/registry.ts";
import type { Logger } from "./log.ts";

const PACK = ".pack";
const INDEX = ".index";
/** A write in progress: `<pack or index>.<pid>.tmp`. */
const TEMP = /\.\d+\.tmp$/;
/** A pack is written in seconds: a temporary file an hour old is a dead run's, whatever became of its pid. */
const TEMP_ORPHANED_MS = 60 * 60 * 1000;
const SHA256 = /^[0-9a-f]{64}$/;

/** Where an entry's bytes are: a pack, a span of it, and the sha256 those bytes must have. */
interface Entry {
  pack: string;
  offset: number;
  length: number;
  sha256: string;
}

/** An index as written: [key, offset, length, sha256] per entry. */
type Span = [string, number, number, string];

function isSpans(x: unknown): x is Span[] {
  return Array.isArray(x) && x.every((s) => Array.isArray(s) && s.length === 4 && typeof s[0] === "string" && Number.isSafeInteger(s[1]) && s[1] >= 0 && Number.isSafeInteger(s[2]) && s[2] >= 0 && typeof s[3] === "string" && SHA256.test(s[3]));
}


/**
 * Per-file parse and extraction output on disk (article lines, ops/factlines.ts), keyed by the file's name,
 * sha256 and registry row, and the hash of the code and reference data that produce it: an unchanged
 * article under unchanged rules is never parsed or extracted again.
 *
 * Entries are written a batch at a time into packs: a `.pack` file of the entries side by side and an
 * `.index` of where each lies. A file per entry cost a 100,000-article run 400,000 file operations, ~14 s
 * of CPU on a 2-core machine that extraction needs. An entry exists once its pack's index does: the index
 * is written last, so a run killed midway leaves at most a pack no index names, which is never read.
 *
 * Pack names start with the rules hash, so a run lists only its own code's packs, and `prune` can drop the
 * packs no run of this code can use (every key embeds the rules): each extraction change would otherwise
 * leave a full copy behind (~1.1 GB per 100,000 articles).
 *
 * The cache is never trusted to be intact: every entry carries the sha256 of its bytes, and an entry that
 * does not match, or an index that does not parse, is extracted again and its pack removed, with a warning.
 * A cache that cannot be written (a full disk, a file where its folder should be) is a warning too: the run
 * goes on without it.
 */
export class ExtractCache {
  constructor(
    private readonly dir: string,
    private readonly rules: string,
    private readonly log?: Pick<Logger, "warn">,
  ) {}

  private made = false;
  /** Set once a write failed: the rest of the run extracts without storing. */
  private unwritable = false;
  private get prefix(): string {
    return `${this.rules}-`;
  }
  /** Entries on disk when the run began, listed once from the indexes. */
  private present: Promise<Map<string, Entry>> | null = null;

  private listed(): Promise<Map<string, Entry>> {
    this.present ??= (async () => {
      const entries = new Map<string, Entry>();
      const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") this.log?.warn("extraction cache unreadable; extracting without it", { cache: this.dir, error: err.message });
        return [] as string[];
      });
      for (const name of names.filter((n) => n.startsWith(this.prefix) && n.endsWith(INDEX)).sort()) {
        const pack = name.slice(0, -INDEX.length);
        const spans = await readFile(join(this.dir, name), "utf8").then((text) => JSON.parse(text) as unknown).catch(() => null);
        if (!isSpans(spans)) {
          await this.discard(pack, "its index is damaged");
          continue;
        }
        for (const [key, offset, length, hash] of spans) entries.set(key, { pack, offset, length, sha256: hash });
      }
      return entries;
    })();
    return this.present;
  }

  /** Removes a pack whose index is damaged, with a warning: its entries are extracted again, and stored anew. */
  private async discard(pack: string, why: string): Promise<void> {
    this.log?.warn("extraction cache damaged; its entries are extracted again", { pack, reason: why });
    for (const suffix of [INDEX, PACK]) await rm(join(this.dir, pack + suffix), { force: true }).catch(() => {});
  }

  /** Rewrites a pack's index without the entries found damaged (extracted again, and stored anew), with a warning. */
  private async drop(pack: string, bad: string[]): Promise<void> {
    const present = await this.listed();
    for (const key of bad) present.delete(key);
    const spans: Span[] = [...present].filter(([, e]) => e.pack === pack).map(([key, e]) => [key, e.offset, e.length, e.sha256]);
    if (spans.length === 0) return this.discard(pack, "every entry read is truncated or does not match its checksum");
    this.log?.warn("extraction cache damaged; its entries are extracted again", { pack, reason: `${bad.length} entries truncated or not matching their checksum` });
    await this.writeDurably(join(this.dir, pack + INDEX), [Buffer.from(JSON.stringify(spans))]).catch(() => {});
  }

  /** An entry is the outcome of parsing and extracting one file: a function of its name, bytes and registry row. */
  keyOf(sourceFile: string, sha256: string, registry: RegistryEntry | undefined): string {
    return stableId(this.rules, sourceFile, sha256, JSON.stringify(registry ?? null));
  }

  /** Each key's entry, or null where there is none (or its pack cannot be read); each pack is opened once. */
  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    const present = await this.listed();
    const out: (string | null)[] = keys.map(() => null);
    const byPack = new Map<string, { i: number; entry: Entry }[]>();
    keys.forEach((key, i) => {
      const entry = present.get(key);
      if (!entry) return;
      const list = byPack.get(entry.pack);
      if (list) list.push({ i, entry });
      else byPack.set(entry.pack, [{ i, entry }]);
    });
    for (const [pack, wanted] of byPack) {
      const handle = await open(join(this.dir, pack + PACK), "r").catch(() => null);
      if (!handle) continue;
      const bad: string[] = [];
      try {
        for (const { i, entry: { offset, length, sha256: hash } } of wanted) {
          const buf = Buffer.allocUnsafe(length);
          const { bytesRead } = await handle.read(buf, 0, length, offset).catch(() => ({ bytesRead: -1 }));
          if (bytesRead === length && sha256(buf) === hash) out[i] = buf.toString("utf8");
          else bad.push(keys[i]!);
        }
      } finally {
        await handle.close();
      }
      if (bad.length > 0) await this.drop(pack, bad);
    }
    return out;
  }

  /**
   * Writes entries as one pack, named by their keys (the same batch again overwrites it with the same bytes).
   * A write that fails leaves the run going without the cache, with a warning.
   */
  async putMany(entries: readonly { key: string; lines: string }[]): Promise<void> {
    if (entries.length === 0 || this.unwritable) return;
    try {
      if (!this.made) {
        await mkdir(this.dir, { recursive: true });
        this.made = true;
      }
      const name = this.prefix + stableId(...entries.map((e) => e.key));
      const buffers = entries.map((e) => Buffer.from(e.lines, "utf8"));
      const spans: Span[] = [];
      let offset = 0;
      entries.forEach((e, i) => {
        spans.push([e.key, offset, buffers[i]!.length, sha256(buffers[i]!)]);
        offset += buffers[i]!.length;
      });
      // The pack first, its index last: an entry exists once the index naming it does.
      for (const [suffix, data] of [[PACK, buffers], [INDEX, [Buffer.from(JSON.stringify(spans))]]] as const) await this.writeDurably(join(this.dir, name + suffix), data);
    } catch (err) {
      this.unwritable = true;
      this.log?.warn("extraction cache cannot be written; running without it", { cache: this.dir, error: (err as Error).message });
    }
  }

  /** Writes a file by rename, its bytes on disk first: a power cut never leaves a renamed file whose bytes were lost. */
  private async writeDurably(path: string, data: readonly Buffer[]): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    const handle = await open(tmp, "w");
    try {
      await handle.writev(data as Buffer[]);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  }

  /**
   * Removes what no run of this code can read: packs and indexes of other rules, temporary files of runs
   * that died, and the folders of the earlier one-file-per-entry layout. Returns how many were removed. A cache shared with a checkout of
   * other code loses that code's entries (they are extracted again, not lost).
   */
  async prune(): Promise<number> {
    let removed = 0;
    for (const entry of await readdir(this.dir, { withFileTypes: true }).catch(() => [])) {
      const orphan = TEMP.test(entry.name) && Date.now() - ((await stat(join(this.dir, entry.name)).catch(() => null))?.mtimeMs ?? Date.now()) > TEMP_ORPHANED_MS;
      const stale = entry.isDirectory() ? /^[0-9a-f]{2}$/.test(entry.name) : orphan || ((entry.name.endsWith(PACK) || entry.name.endsWith(INDEX)) && !entry.name.startsWith(this.prefix));
      if (!stale) continue;
      await rm(join(this.dir, entry.name), { recursive: true, force: true }).then(() => removed++, () => {});
    }
    return removed;
  }
}
