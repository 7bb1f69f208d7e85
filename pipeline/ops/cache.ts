import { mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stableId } from "../ids.ts";
import type { RegistryEntry } from "../ingest/registry.ts";

const PACK = ".pack";
const INDEX = ".index";

/** Where an entry's bytes are: a pack, and a span of it. */
interface Entry {
  pack: string;
  offset: number;
  length: number;
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
 */
export class ExtractCache {
  constructor(
    private readonly dir: string,
    private readonly rules: string,
  ) {}

  private made = false;
  private get prefix(): string {
    return `${this.rules}-`;
  }
  /** Entries on disk when the run began, listed once from the indexes. */
  private present: Promise<Map<string, Entry>> | null = null;

  private listed(): Promise<Map<string, Entry>> {
    this.present ??= (async () => {
      const entries = new Map<string, Entry>();
      const indexes = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.startsWith(this.prefix) && n.endsWith(INDEX)).sort();
      for (const name of indexes) {
        const pack = name.slice(0, -INDEX.length);
        const spans = JSON.parse(await readFile(join(this.dir, name), "utf8")) as [string, number, number][];
        for (const [key, offset, length] of spans) entries.set(key, { pack, offset, length });
      }
      return entries;
    })();
    return this.present;
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
      try {
        for (const { i, entry: { offset, length } } of wanted) {
          const buf = Buffer.allocUnsafe(length);
          const { bytesRead } = await handle.read(buf, 0, length, offset);
          if (bytesRead === length) out[i] = buf.toString("utf8");
        }
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  /** Writes entries as one pack, named by their keys (the same batch again overwrites it with the same bytes). */
  async putMany(entries: readonly { key: string; lines: string }[]): Promise<void> {
    if (entries.length === 0) return;
    if (!this.made) {
      await mkdir(this.dir, { recursive: true });
      this.made = true;
    }
    const name = this.prefix + stableId(...entries.map((e) => e.key));
    const buffers = entries.map((e) => Buffer.from(e.lines, "utf8"));
    const spans: [string, number, number][] = [];
    let offset = 0;
    entries.forEach((e, i) => {
      spans.push([e.key, offset, buffers[i]!.length]);
      offset += buffers[i]!.length;
    });
    // The pack first, its index last: an entry exists once the index naming it does.
    for (const [suffix, data] of [[PACK, buffers], [INDEX, JSON.stringify(spans)]] as const) {
      const path = join(this.dir, name + suffix);
      await writeFile(`${path}.${process.pid}.tmp`, data);
      await rename(`${path}.${process.pid}.tmp`, path);
    }
  }

  /**
   * Removes what no run of this code can read: packs and indexes of other rules, and the folders of the
   * earlier one-file-per-entry layout. Returns how many were removed. A cache shared with a checkout of
   * other code loses that code's entries (they are extracted again, not lost).
   */
  async prune(): Promise<number> {
    let removed = 0;
    for (const entry of await readdir(this.dir, { withFileTypes: true }).catch(() => [])) {
      const stale = entry.isDirectory() ? /^[0-9a-f]{2}$/.test(entry.name) : (entry.name.endsWith(PACK) || entry.name.endsWith(INDEX)) && !entry.name.startsWith(this.prefix);
      if (!stale) continue;
      await rm(join(this.dir, entry.name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}
