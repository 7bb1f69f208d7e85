import { lstat, readdir, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { inspectOut, isLeftover, isRunDir } from "./publication.ts";

/**
 * Cleans up after runs killed mid-way (called under the lock, before anything else): a missing `out` is pointed
 * back at the newest complete publication (an earlier version's `.old-` folder if that is all there is),
 * leftovers and publication folders other than the live one are removed, and so is a manifest's temporary file
 * inside the live one. Returns what it did, for the log.
 */
export async function recoverOutput(out: string): Promise<string[]> {
  const parent = dirname(out);
  const base = basename(out);
  const names = (await readdir(parent).catch(() => [] as string[])).sort();
  const done: string[] = [];
  let state = await inspectOut(out);
  if (state.kind === "absent") {
    const has = async (n: string, file: string) => (await lstat(join(parent, n, file)).catch(() => null))?.isFile() ?? false;
    const runs = names.filter((x) => isRunDir(base, x));
    // A publication with its manifest; else an earlier version's folder moved aside, which may have none.
    let best: string | undefined;
    for (const n of runs) if (await has(n, "manifest.json")) best = n;
    if (!best) for (const n of runs) if (await has(n, "datapackage.json")) best = n;
    const old = names.filter((n) => n.startsWith(`${base}.old-`));
    if (best) {
      await symlink(best, out);
      done.push(`linked ${base} to ${best}`);
    } else if (old.length > 0) {
      await rename(join(parent, old.at(-1)!), out);
      done.push(`restored ${old.at(-1)} to ${base}`);
    }
    state = await inspectOut(out);
  }
  const live = state.kind === "link" ? state.target : null;
  for (const n of names.filter((x) => (isLeftover(base, x) || isRunDir(base, x)) && x !== live)) {
    if ((await lstat(join(parent, n)).catch(() => null)) === null) continue;
    await rm(join(parent, n), { recursive: true, force: true });
    done.push(`removed ${n}`);
  }
  if (state.kind === "link" || state.kind === "folder") {
    for (const n of await readdir(out).catch(() => [] as string[])) {
      if (/^\.manifest\.json\.\d+\.tmp$/.test(n)) {
        await rm(join(out, n), { force: true });
        done.push(`removed ${base}/${n}`);
      }
    }
  }
  return done;
}
