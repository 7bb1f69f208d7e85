import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stableId } from "../ids.ts";
import type { RegistryEntry } from "../ingest/registry.ts";

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

  /** An entry is the outcome of parsing and extracting one file: a function of its name, bytes and registry row. */
  keyOf(sourceFile: string, sha256: string, registry: RegistryEntry | undefined): string {
    return stableId(this.rules, sourceFile, sha256, JSON.stringify(registry ?? null));
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.lines`);
  }

  async get(key: string): Promise<string | null> {
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
