import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { QaCheck } from "../schema/tables.ts";

export interface InputEntry {
  source_file: string;
  sha256: string;
  bytes: number;
  /** Modification time when hashed: an unchanged size and time lets the next run trust `sha256` without reading the file. */
  mtime_ms?: number;
  article_id: string | null;
  status: "accepted" | "rejected";
}

/** `output/manifest.json`: what went into a run and what came out; the only output file with timestamps. */
export interface Manifest {
  pipeline_version: string;
  rules_hash: string;
  inputs: InputEntry[];
  articles: { new: number; changed: number; unchanged: number; removed: number };
  articles_reextracted: number;
  row_counts: Record<string, number>;
  qa_summary: Record<string, Record<string, number>>;
  output_files: { path: string; bytes: number; sha256: string }[];
  /** `peak_rss_mb`: the run's maximum resident set, worker threads included. */
  run: { started_at: string; finished_at: string; wall_s: number; stages_s: Record<string, number>; peak_rss_mb: number; republished: boolean };
}

export const MANIFEST = "manifest.json";

export async function readManifest(outDir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(outDir, MANIFEST), "utf8")) as Manifest;
  } catch {
    return null;
  }
}

/** Written last, by rename, so a reader never sees a half-written manifest. */
export async function writeManifest(outDir: string, m: Manifest): Promise<void> {
  const tmp = join(outDir, `.${MANIFEST}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(m, null, 2)}\n`);
  await rename(tmp, join(outDir, MANIFEST));
}

/** New, changed, unchanged and removed input files compared with the previous run, by file name and hash. */
export function compareInputs(prev: InputEntry[] | undefined, now: InputEntry[]): Manifest["articles"] {
  const before = new Map((prev ?? []).map((i) => [i.source_file, i.sha256]));
  const names = new Set(now.map((i) => i.source_file));
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  for (const i of now) {
    const h = before.get(i.source_file);
    if (h === undefined) added++;
    else if (h === i.sha256) unchanged++;
    else changed++;
  }
  const removed = [...before.keys()].filter((k) => !names.has(k)).length;
  return { new: added, changed, unchanged, removed };
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

/** The previous output is still what its manifest describes (every file present with its size). */
export async function outputIntact(outDir: string, m: Manifest): Promise<boolean> {
  if (m.output_files.length === 0) return false;
  for (const f of m.output_files) {
    const s = await stat(join(outDir, f.path)).catch(() => null);
    if (!s || s.size !== f.bytes) return false;
  }
  return true;
}
