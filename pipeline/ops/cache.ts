import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stableId } from "../ids.ts";
import type { RegistryEntry } from "../ingest/registry.ts";

const ENTRY = ".lines";

/**
 * Per-file parse and extraction output on disk (article lines, ops/factlines.ts), keyed by the file's name,
 * sha256 and registry row, and the hash of the code and reference data that produce it: an unchanged
 * article under unchanged rules is never parsed or extracted again.
 */
export class ExtractCache {
  constructor(
    private readonly dir: string,
    private readonly rules: string,
  ) {}

  /** Subfolders known to exist: an archive run puts 100,000 entries into 256 of them. */
  private readonly made = new Set<string>();
  /** Keys on disk when the run began, listed once: a cold run of 100,000 files then asks the disk for none of its misses. */
  private present: Promise<Set<string>> | null = null;

  private listed(): Promise<Set<string>> {
    this.present ??= (async () => {
      const keys = new Set<string>();
      for (const sub of await readdir(this.dir).catch(() => [])) {
        for (const name of await readdir(join(this.dir, sub)).catch(() => [])) if (name.endsWith(ENTRY)) keys.add(name.slice(0, -ENTRY.length));
      }
      return keys;
    })();
    return this.present;
  }

  /** An entry is the outcome of parsing and extracting one file: a function of its name, bytes and registry row. */
  keyOf(sourceFile: string, sha256: string, registry: RegistryEntry | undefined): string {
    return stableId(this.rules, sourceFile, sha256, JSON.stringify(registry ?? null));
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}${ENTRY}`);
  }

  async get(key: string): Promise<string | null> {
    if (!(await this.listed()).has(key)) return null;
    try {
      return await readFile(this.path(key), "utf8");
    } catch {
      return null;
    }
  }

  async put(key: string, lines: string): Promise<void> {
    const path = this.path(key);
    const dir = join(path, "..");
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, lines);
    await rename(tmp, path);
  }
}
