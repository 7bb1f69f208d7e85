import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface FileInfo {
  /** Relative to the output folder, with `/` separators. */
  path: string;
  bytes: number;
  sha256: string;
}

export async function fingerprint(dir: string, path: string): Promise<FileInfo> {
  const content = await readFile(join(dir, path));
  return { path, bytes: content.length, sha256: createHash("sha256").update(content).digest("hex") };
}

/** Every file directly in `dir`, sorted by name (publish writes no subfolders of its own). */
export async function fingerprintAll(dir: string): Promise<FileInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  return Promise.all(names.map((name) => fingerprint(dir, name)));
}
