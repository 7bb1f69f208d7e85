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
 * A hash of everything that decides what extraction produces: the pipeline's code and the reference data.
 * A cached extraction is valid only under the same hash.
 */
export async function rulesHash(roots: string[], base: string): Promise<string> {
  const h = createHash("sha256");
  const files = [...new Set((await Promise.all(roots.map(filesUnder))).flat().map((p) => relative(base, p)))].sort();
  for (const f of files) {
    h.update(f).update("\0").update(await readFile(join(base, f))).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}
