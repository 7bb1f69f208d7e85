import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

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

/** Every file under `dir` (publish's own subfolders included), sorted by path. */
export async function fingerprintAll(dir: string): Promise<FileInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
  return Promise.all(paths.map((path) => fingerprint(dir, path)));
}
