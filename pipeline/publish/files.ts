import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface FileInfo {
  /** Relative to the output folder, with `/` separators. */
  path: string;
  bytes: number;
  sha256: string;
}

/** Size and SHA-256 of a file, read in pieces so a big file is never held whole. */
export async function fingerprint(dir: string, path: string): Promise<FileInfo> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const piece of createReadStream(join(dir, path), { highWaterMark: 1 << 20 })) {
    hash.update(piece as Buffer);
    bytes += (piece as Buffer).length;
  }
  return { path, bytes, sha256: hash.digest("hex") };
}

/** Every file under `dir` (publish's own subfolders included), sorted by path; files in `known` are not read again. */
export async function fingerprintAll(dir: string, known: ReadonlyMap<string, FileInfo>): Promise<FileInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
  return Promise.all(paths.map((path) => known.get(path) ?? fingerprint(dir, path)));
}
