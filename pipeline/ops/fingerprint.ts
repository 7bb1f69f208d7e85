import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  if (!(await stat(dir)).isDirectory()) return [dir];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Hashes of everything that decides what a run produces (the pipeline's code, the reference data), one per
 * named set of roots: files or folders, under `base`. A cached extraction is valid only under the same hash
 * of the code it depends on. Each file is read once, however many sets name it. `runtime` (the Node version)
 * goes into every hash: the same code may extract differently under another engine.
 */
export async function rulesHashes<K extends string>(sets: Record<K, string[]>, base: string, runtime = process.version): Promise<Record<K, string>> {
  const contents = new Map<string, Promise<Buffer>>();
  const read = (f: string): Promise<Buffer> => {
    let c = contents.get(f);
    if (!c) contents.set(f, (c = readFile(join(base, f))));
    return c;
  };
  const hashOf = async (roots: string[]): Promise<string> => {
    const files = [...new Set((await Promise.all(roots.map(filesUnder))).flat().map((p) => relative(base, p)))].sort();
    const h = createHash("sha256").update(runtime).update("\0");
    for (const f of files) h.update(f).update("\0").update(await read(f)).update("\0");
    return h.digest("hex").slice(0, 16);
  };
  const names = Object.keys(sets) as K[];
  const hashes = await Promise.all(names.map((k) => hashOf(sets[k])));
  return Object.fromEntries(names.map((k, i) => [k, hashes[i]!])) as Record<K, string>;
}
