import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, symlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";

/**
 * How a run publishes `<out>`: `<out>` is a symbolic link to a sibling folder `<out>.run-<id>` that holds one
 * complete publication (data files, manifest.json, report/). A run fills a new sibling, then replaces the link
 * by rename, the one atomic step in which everything it publishes appears; the previous folder stays until the
 * next run starts, for readers still inside it. Earlier versions published `<out>` as a real folder: the first
 * publication moves it aside as a `.run-` folder of its own (migrate).
 */

/** The `name` of every datapackage.json this pipeline publishes; also how an earlier version's output is recognised. */
export const DATASET_NAME = "afghanistan-neighbours-trade-news";

const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

function runId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, "")}-${randomBytes(4).toString("hex")}`;
}

/** Whether `name` is one of `<base>`'s publication folders (strictly named, so nothing else is ever taken for one). */
export function isRunDir(base: string, name: string): boolean {
  return name.startsWith(`${base}.run-`) && RUN_ID.test(name.slice(base.length + 5));
}

/** Siblings that only a killed run leaves: staging scratch, a link not yet renamed, an earlier version's swap folders. */
export function isLeftover(base: string, name: string): boolean {
  return [".tmp-", ".link-", ".old-"].some((tag) => name.startsWith(`${base}${tag}`));
}

export type OutState =
  | { kind: "absent" }
  /** The link this pipeline makes; `target` is the folder's name beside it. */
  | { kind: "link"; target: string }
  /** An earlier version's output folder (or an empty one). */
  | { kind: "folder" }
  | { kind: "foreign"; what: string };

/** An earlier version's output: its datapackage names this dataset, or its manifest is laid out as this pipeline writes it. */
async function earlierOutput(dir: string, names: string[]): Promise<boolean> {
  if (names.length === 0) return true;
  const pkg = await readFile(join(dir, "datapackage.json"), "utf8").then(
    (t) => (JSON.parse(t) as { name?: unknown }).name,
    () => undefined,
  );
  if (pkg === DATASET_NAME) return true;
  // Its first bytes only: an archive's manifest lists every input.
  const head = Buffer.alloc(64);
  const read = await open(join(dir, "manifest.json"), "r").then(
    async (fh) => (await fh.read(head, 0, head.length, 0).finally(() => fh.close())).bytesRead,
    () => 0,
  );
  return head.subarray(0, read).toString("utf8").startsWith('{\n  "pipeline_version": "');
}

/** What is at `out` now, told without following a link. */
export async function inspectOut(out: string): Promise<OutState> {
  const s = await lstat(out).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (!s) return { kind: "absent" };
  if (s.isSymbolicLink()) {
    const target = await readlink(out);
    return isRunDir(basename(out), target) ? { kind: "link", target } : { kind: "foreign", what: `a symbolic link to ${target} that this pipeline did not make` };
  }
  if (!s.isDirectory()) return { kind: "foreign", what: "a file, not a folder" };
  const names = await readdir(out);
  return (await earlierOutput(out, names)) ? { kind: "folder" } : { kind: "foreign", what: "a folder that is not an output of this pipeline (no datapackage.json of this dataset, no manifest.json of this pipeline)" };
}

/** `path` with the symlinks of its longest existing prefix resolved, as it will be once created. */
async function realpathAhead(path: string): Promise<string> {
  const real = await realpath(path).catch(() => null);
  if (real !== null) return real;
  const parent = dirname(path);
  return parent === path ? path : join(await realpathAhead(parent), basename(path));
}

function within(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Why `out` must not be published to with `input` as the input, or null when it may: it is the input or inside it
 * (listing and replacing would meet), the input is inside it or one of its publication folders (a later run would
 * delete it), or something is there that this pipeline did not publish (a run would replace it and its contents).
 */
export async function refuseOut(input: string, out: string): Promise<string | null> {
  if (basename(out) === "") return `--out ${out} is a file system root`;
  const inputReal = await realpath(input);
  const parent = await realpathAhead(dirname(out));
  const location = join(parent, basename(out));
  if (within(inputReal, location)) return `--out ${out} is the input folder or inside it (--input ${input})`;
  const first = relative(parent, inputReal).split("/")[0]!;
  if (within(parent, inputReal) && (first === basename(out) || isRunDir(basename(out), first))) return `--input ${input} is inside the output --out ${out}, which runs replace`;
  const state = await inspectOut(out);
  if (state.kind === "foreign") return `--out ${out} is ${state.what}; refusing to replace it (move it away or choose another --out)`;
  return null;
}

/** A new, empty publication folder beside `out`. */
export async function newRunDir(out: string): Promise<string> {
  const dir = join(dirname(out), `${basename(out)}.run-${runId()}`);
  await mkdir(dir);
  return dir;
}

/** An error after which the output is not as it was before the run; `state` says what it is. */
export class OutputStateError extends Error {
  constructor(
    message: string,
    readonly state: string,
  ) {
    super(message);
  }
}

async function fsync(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Flushes every file and folder under `dir` to disk, so that a power loss after the flip cannot leave the link pointing at empty files. */
async function syncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() || e.isDirectory()) await fsync(join(e.parentPath, e.name));
  }
  await fsync(dir);
}

/**
 * Makes `runDir` the publication at `out` in one step: a new link beside `out`, renamed over it. An earlier
 * version's real folder at `out` is first moved aside as a publication folder (rename cannot put a link over a
 * folder), the one moment, once per installation, when `out` is briefly missing. Throws with `out` as it was,
 * or an OutputStateError saying where things are.
 */
export async function flip(out: string, runDir: string): Promise<void> {
  const parent = dirname(out);
  const base = basename(out);
  await syncTree(runDir);
  const link = join(parent, `${base}.link-${runId()}`);
  await symlink(basename(runDir), link);
  try {
    const state = await inspectOut(out);
    if (state.kind === "foreign") throw new Error(`--out ${out} is now ${state.what}; not replaced`);
    if (state.kind === "folder") {
      const aside = join(parent, `${base}.run-${runId()}`);
      await rename(out, aside);
      await rename(link, out).catch(async (err: Error) => {
        await rename(aside, out).catch(() => {
          throw new OutputStateError(err.message, `the previous output was moved to ${aside} and could not be put back; the next run links ${out} to it`);
        });
        throw err;
      });
    } else await rename(link, out);
  } catch (err) {
    await rm(link, { force: true });
    throw err;
  }
  // The new link is live either way; only its survival of a power loss depends on this.
  await fsync(parent).catch(() => undefined);
}
