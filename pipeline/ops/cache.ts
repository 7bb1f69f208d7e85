import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stableId } from "../ids.ts";
import type { Articles } from "../schema/tables.ts";
import type { ExtractResult } from "../types.ts";

/**
 * Per-article extraction results on disk, keyed by the article's metadata (which holds the file's sha256)
 * and the rules hash: an unchanged article under unchanged rules is never extracted again.
 */
export class ExtractCache {
  constructor(
    private readonly dir: string,
    private readonly rules: string,
  ) {}

  private path(meta: Articles): string {
    const key = stableId(this.rules, JSON.stringify(meta));
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(meta: Articles): Promise<ExtractResult | null> {
    try {
      return JSON.parse(await readFile(this.path(meta), "utf8")) as ExtractResult;
    } catch {
      return null;
    }
  }

  async put(meta: Articles, result: ExtractResult): Promise<void> {
    const path = this.path(meta);
    await mkdir(join(path, ".."), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(result));
    await rename(tmp, path);
  }
}
