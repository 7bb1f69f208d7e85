import { randomBytes } from "node:crypto";
import { cp, mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** A sibling path of `dir` (same filesystem, so rename is atomic) that no other run uses. */
function sibling(dir: string, tag: string): string {
  return join(dirname(dir), `${basename(dir)}.${tag}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Replaces `outDir` with a folder that `fill` writes from scratch. Readers see either the old
 * folder or the complete new one; on any failure the old folder is left as it was and the
 * temporary folder is removed. Subfolders named in `preserve` (written by other stages) are
 * copied over from the old folder; copied, not moved, so the old folder stays intact until the swap.
 */
export async function replaceDirAtomically(
  outDir: string,
  fill: (tmpDir: string) => Promise<void>,
  preserve: readonly string[] = [],
): Promise<void> {
  const tmpDir = sibling(outDir, "tmp");
  await mkdir(dirname(tmpDir), { recursive: true });
  await mkdir(tmpDir);
  try {
    await fill(tmpDir);
    for (const name of preserve) {
      const source = join(outDir, name);
      if (await exists(source)) await cp(source, join(tmpDir, name), { recursive: true, preserveTimestamps: true });
    }
    await swap(outDir, tmpDir);
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

async function swap(outDir: string, tmpDir: string): Promise<void> {
  if (!(await exists(outDir))) {
    await rename(tmpDir, outDir);
    return;
  }
  const oldDir = sibling(outDir, "old");
  await rename(outDir, oldDir);
  try {
    await rename(tmpDir, outDir);
  } catch (error) {
    await rename(oldDir, outDir);
    throw error;
  }
  await rm(oldDir, { recursive: true, force: true });
}
