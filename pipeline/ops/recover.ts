import { readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Cleans up after a run killed mid-publish (called under the lock): stale temporary folders are removed,
 * and if the kill fell between moving the old output aside and moving the new one in, the old one is restored.
 */
export async function recoverOutput(outDir: string): Promise<string[]> {
  const parent = dirname(outDir);
  const base = basename(outDir);
  const names = await readdir(parent).catch(() => [] as string[]);
  const done: string[] = [];
  const hasOutput = names.includes(base);
  const old = names.filter((n) => n.startsWith(`${base}.old-`)).sort();
  if (!hasOutput && old.length > 0) {
    await rename(join(parent, old.at(-1)!), outDir);
    done.push(`restored ${old.at(-1)} to ${base}`);
  }
  for (const n of names.filter((x) => x.startsWith(`${base}.tmp-`) || (x.startsWith(`${base}.old-`) && (hasOutput || x !== old.at(-1))))) {
    await rm(join(parent, n), { recursive: true, force: true });
    done.push(`removed ${n}`);
  }
  return done;
}
