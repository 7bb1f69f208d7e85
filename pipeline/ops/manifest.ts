import { appendFile, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { fingerprint } from "../publish/files.ts";
import { z } from "zod";
import type { QaCheck } from "../schema/tables.ts";
import { fileLines } from "./lines.ts";

export interface InputEntry {
  source_file: string;
  sha256: string;
  bytes: number;
  /** Modification time when hashed: an unchanged size and time lets the next run trust `sha256` without reading the file. */
  mtime_ms?: number;
  article_id: string | null;
  status: "accepted" | "rejected";
}

/**
 * `output/manifest.json`: what went into a run and what came out; the only output file with timestamps.
 * `inputs` has an entry per input file, so at archive size it is never held: it is written last, an entry
 * per line, and read back a line at a time (ManifestInputs).
 */
export interface Manifest {
  pipeline_version: string;
  rules_hash: string;
  articles: { new: number; changed: number; unchanged: number; removed: number };
  articles_reextracted: number;
  row_counts: Record<string, number>;
  qa_summary: Record<string, Record<string, number>>;
  output_files: { path: string; bytes: number; sha256: string }[];
  /** `peak_rss_mb`: the run's maximum resident set, worker threads included. */
  run: { started_at: string; finished_at: string; wall_s: number; stages_s: Record<string, number>; peak_rss_mb: number; republished: boolean };
  inputs: InputEntry[];
}

/** The manifest but its inputs. */
export type ManifestHead = Omit<Manifest, "inputs">;

/** Input entries in file order, read afresh at each call: from disk, for a list as long as an archive. */
export type InputEntries = () => AsyncIterable<InputEntry>;

export const MANIFEST = "manifest.json";

const INPUTS_OPEN = '  "inputs": [';
/** How an entry line of the inputs array starts (and ends, with or without the comma). */
const ENTRY_LINE = /^ {4}\{.*\},?$/;

/** An input entry as written: checked by hand, as a run checks every entry of an archive's manifest and zod costs ~10 times as much. */
function isInputEntry(e: unknown): e is InputEntry {
  const x = e as Record<string, unknown> | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.source_file === "string" &&
    typeof x.sha256 === "string" &&
    Number.isSafeInteger(x.bytes) &&
    (x.bytes as number) >= 0 &&
    (x.mtime_ms === undefined || typeof x.mtime_ms === "number") &&
    (x.article_id === null || typeof x.article_id === "string") &&
    (x.status === "accepted" || x.status === "rejected")
  );
}
/** What a run reads of the head: enough that no later use of it can throw. */
const HEAD = z.looseObject({
  pipeline_version: z.string(),
  rules_hash: z.string(),
  row_counts: z.record(z.string(), z.number()),
  output_files: z.array(z.object({ path: z.string(), bytes: z.number(), sha256: z.string() })),
  run: z.looseObject({ started_at: z.string() }),
});

/** A check of input entries one at a time: why they cannot be trusted, or null while every entry parses and names ascend. */
function inputChecker(): (entry: unknown) => string | null {
  let last: string | null = null;
  return (entry) => {
    if (!isInputEntry(entry)) return `an input entry is malformed: ${JSON.stringify(entry).slice(0, 120)}`;
    if (last !== null && !(entry.source_file > last)) return "input entries are out of order";
    last = entry.source_file;
    return null;
  };
}

/** A line's JSON, or a marker that it is not JSON. */
function jsonOrBad(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { malformed: text.slice(0, 80) };
  }
}

/**
 * The previous run's manifest, or null if there is none or it is damaged (then every input counts as changed,
 * and `warn` says why). As this module writes it, the head is read up to the inputs, the inputs are checked a
 * line at a time and left on disk; another layout (an older version's) is parsed whole.
 */
export async function readManifest(outDir: string, warn: (event: string, fields: Record<string, unknown>) => void = () => {}): Promise<{ head: ManifestHead; inputs: InputEntries } | null> {
  const path = join(outDir, MANIFEST);
  const damaged = (reason: string) => {
    warn("manifest damaged; treating every input as changed", { manifest: path, reason });
    return null;
  };
  try {
    // Lines of a missing file read as none, which would pass for a manifest cut short.
    await stat(path);
    const head: string[] = [];
    /** Where the reading is: in the head, in the inputs (an entry a line), after them, or past the closing brace. */
    let at: "head" | "inputs" | "after" | "end" | "whole" = "head";
    const check = inputChecker();
    for await (const line of fileLines(path)) {
      if (at === "head") {
        if (line === '  "inputs": []') at = "after";
        else if (line === INPUTS_OPEN) at = "inputs";
        else head.push(line);
      } else if (at === "inputs" && ENTRY_LINE.test(line)) {
        const why = check(jsonOrBad(line.endsWith(",") ? line.slice(0, -1) : line));
        if (why) return damaged(why);
      } else if (at === "inputs" && line === "  ]") at = "after";
      else if (at === "after" && line === "}") at = "end";
      else if (at === "inputs" && line === "    {") {
        // An entry over several lines: the whole-file layout of an older version.
        at = "whole";
        break;
      } else return damaged(`unexpected line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (at !== "whole") {
      if (at !== "end") return damaged("cut short");
      const parsed = HEAD.safeParse(jsonOrBad(`${head.join("\n")}\n  "inputs": []\n}`));
      if (!parsed.success) return damaged("the head is malformed");
      const { inputs: _, ...rest } = parsed.data as unknown as Manifest;
      return {
        head: rest,
        async *inputs() {
          let inside = false;
          for await (const line of fileLines(path)) {
            if (!inside) inside = line === INPUTS_OPEN;
            else if (ENTRY_LINE.test(line)) yield JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line) as InputEntry;
            else break;
          }
        },
      };
    }
    const whole = jsonOrBad(await readFile(path, "utf8"));
    const parsed = HEAD.extend({ inputs: z.array(z.unknown()) }).safeParse(whole);
    if (!parsed.success) return damaged("not a manifest this pipeline wrote");
    for (const entry of parsed.data.inputs) {
      const why = check(entry);
      if (why) return damaged(why);
    }
    const { inputs, ...rest } = parsed.data as unknown as Manifest;
    return {
      head: rest,
      async *inputs() {
        yield* inputs;
      },
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    return damaged((err as Error).message);
  }
}

/** Written last, by rename, so a reader never sees a half-written manifest: the head as indented JSON, then an input per line. */
export async function writeManifest(outDir: string, head: ManifestHead, inputs: InputEntries): Promise<void> {
  const tmp = join(outDir, `.${MANIFEST}.${process.pid}.tmp`);
  const out = await open(tmp, "w");
  try {
    const text = JSON.stringify({ ...head, inputs: [] }, null, 2);
    let buffer = `${text.slice(0, text.lastIndexOf('  "inputs": []'))}${INPUTS_OPEN}`;
    let first = true;
    for await (const entry of inputs()) {
      buffer += `${first ? "" : ","}\n    ${JSON.stringify(entry)}`;
      first = false;
      if (buffer.length >= 1 << 20) {
        await out.write(buffer);
        buffer = "";
      }
    }
    await out.write(`${buffer}${first ? "]" : "\n  ]"}\n}\n`);
    // On disk before the rename makes it the manifest: a power loss must not leave an empty one.
    await out.sync();
  } catch (err) {
    await out.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  await rename(tmp, join(outDir, MANIFEST));
}

/**
 * New, changed, unchanged and removed input files compared with the previous run, by file name and hash.
 * Both lists are in file-name order, as runs list their inputs, so one walk along them compares them.
 */
export async function compareInputs(prev: InputEntries | undefined, now: InputEntries): Promise<Manifest["articles"]> {
  const counts = { new: 0, changed: 0, unchanged: 0, removed: 0 };
  const before = (prev ?? (async function* () {}))()[Symbol.asyncIterator]();
  const step = async () => {
    const r = await before.next();
    return r.done ? null : r.value;
  };
  let p = await step();
  let last = "";
  for await (const i of now()) {
    if (i.source_file < last) throw new Error(`inputs out of order: ${i.source_file} after ${last}`);
    last = i.source_file;
    while (p && p.source_file < i.source_file) {
      counts.removed++;
      p = await step();
    }
    if (p && p.source_file === i.source_file) {
      counts[p.sha256 === i.sha256 ? "unchanged" : "changed"]++;
      p = await step();
    } else counts.new++;
  }
  for (; p; p = await step()) counts.removed++;
  return counts;
}

/** Input entries as a run takes them in: on disk, a JSON line each (after `flush`, read back in that order). */
export class InputLog {
  private buffer = "";
  private made = false;
  /** Entries added, and of them accepted. */
  count = 0;
  accepted = 0;

  constructor(private readonly path: string) {}

  async add(entry: InputEntry): Promise<void> {
    this.buffer += `${JSON.stringify(entry)}\n`;
    this.count++;
    if (entry.status === "accepted") this.accepted++;
    if (this.buffer.length >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.made || this.buffer) await appendFile(this.path, this.buffer);
    this.made = true;
    this.buffer = "";
  }

  readonly entries: InputEntries = async function* (this: InputLog) {
    for await (const line of fileLines(this.path)) yield JSON.parse(line) as InputEntry;
  }.bind(this);
}

/** Counts of QA rows by check and outcome (failed, else severity), taken a chunk at a time. */
export class QaTally {
  private readonly counts: Manifest["qa_summary"] = {};

  add(rows: readonly QaCheck[]): void {
    for (const q of rows) {
      const c = (this.counts[q.check] ??= {});
      const k = q.passed === false ? "failed" : q.severity;
      c[k] = (c[k] ?? 0) + 1;
    }
  }

  summary(): Manifest["qa_summary"] {
    return Object.fromEntries(Object.entries(this.counts).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

/**
 * The previous output is still what its manifest describes: every file present with its size and sha256 (read
 * whole: a file changed at the same size must be republished, and hashing costs little next to a run).
 */
export async function outputIntact(outDir: string, m: ManifestHead): Promise<boolean> {
  if (m.output_files.length === 0) return false;
  for (const f of m.output_files) {
    const s = await stat(join(outDir, f.path)).catch(() => null);
    if (!s || s.size !== f.bytes) return false;
  }
  for (const f of m.output_files) if ((await fingerprint(outDir, f.path).catch(() => null))?.sha256 !== f.sha256) return false;
  return true;
}
