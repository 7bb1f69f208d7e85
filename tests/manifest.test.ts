import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareInputs, InputLog, MANIFEST, readManifest, writeManifest, type InputEntries, type InputEntry, type ManifestHead } from "../pipeline/ops/manifest.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "manifest-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const head: ManifestHead = {
  pipeline_version: "1.2.3",
  rules_hash: "abc",
  articles: { new: 2, changed: 0, unchanged: 1, removed: 0 },
  articles_reextracted: 2,
  row_counts: { trade_flows: 7 },
  qa_summary: { conflict: { failed: 1 } },
  output_files: [{ path: "a.csv", bytes: 10, sha256: "f".repeat(64) }],
  run: { started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:00:01.000Z", wall_s: 1, stages_s: { read: 0.1 }, peak_rss_mb: 100, republished: true },
};

const entry = (source_file: string, sha: string, status: InputEntry["status"] = "accepted"): InputEntry => ({ source_file, sha256: sha.repeat(64), bytes: 5, mtime_ms: 1.5, article_id: status === "accepted" ? source_file.replace(/\..*/, "") : null, status });
const list = (entries: InputEntry[]): InputEntries => async function* () {
  yield* entries;
};
async function all(entries: InputEntries): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  for await (const e of entries()) out.push(e);
  return out;
}

describe("the manifest", () => {
  it("is one JSON document, its inputs last and one a line, read back head and inputs apart", async () => {
    const inputs = [entry("a.md", "1"), entry('b "quoted", {braced}.md', "2", "rejected"), entry("c — Kabul.txt", "3")];
    const out = join(dir, "round");
    await mkdir(out);
    await writeManifest(out, head, list(inputs));
    const text = await readFile(join(out, MANIFEST), "utf8");
    expect(JSON.parse(text)).toEqual({ ...head, inputs });
    expect(text.split("\n").filter((l) => l.startsWith('    {"source_file":'))).toHaveLength(3);
    const back = (await readManifest(out))!;
    expect(back.head).toEqual(head);
    expect(await all(back.inputs)).toEqual(inputs);
    expect(await all(back.inputs)).toEqual(inputs);
  });

  it("reads a manifest with no inputs, and one laid out as earlier versions wrote it", async () => {
    const empty = join(dir, "empty");
    await mkdir(empty);
    await writeManifest(empty, head, list([]));
    expect(JSON.parse(await readFile(join(empty, MANIFEST), "utf8"))).toEqual({ ...head, inputs: [] });
    expect(await all((await readManifest(empty))!.inputs)).toEqual([]);

    const old = join(dir, "old");
    await mkdir(old);
    const inputs = [entry("a.md", "1"), entry("b.md", "2")];
    const { pipeline_version, ...others } = head;
    await writeFile(join(old, MANIFEST), JSON.stringify({ pipeline_version, inputs, ...others }, null, 2));
    const back = (await readManifest(old))!;
    expect(back.head).toEqual(head);
    expect(await all(back.inputs)).toEqual(inputs);
  });

  it("is null when missing or unreadable", async () => {
    expect(await readManifest(join(dir, "none"))).toBeNull();
    const bad = join(dir, "bad");
    await mkdir(bad);
    await writeFile(join(bad, MANIFEST), '{\n  "pipeline_version": ');
    expect(await readManifest(bad)).toBeNull();
  });
});

describe("compareInputs", () => {
  it("counts new, changed, unchanged and removed files in one walk along two name-ordered lists", async () => {
    const prev = [entry("a.md", "1"), entry("b.md", "2"), entry("d.md", "4"), entry("f.md", "6"), entry("z.md", "9")];
    const now = [entry("a.md", "1"), entry("c.md", "3"), entry("d.md", "5"), entry("e.md", "5"), entry("f.md", "6")];
    expect(await compareInputs(list(prev), list(now))).toEqual({ new: 2, changed: 1, unchanged: 2, removed: 2 });
    expect(await compareInputs(undefined, list(now))).toEqual({ new: 5, changed: 0, unchanged: 0, removed: 0 });
    expect(await compareInputs(list(prev), list([]))).toEqual({ new: 0, changed: 0, unchanged: 0, removed: 5 });
  });
});

describe("InputLog", () => {
  it("gives back what was added, in order, across flushes, and counts the accepted", async () => {
    const log = new InputLog(join(dir, "inputs.ndjson"));
    await log.flush();
    expect(await all(log.entries)).toEqual([]);
    const entries = Array.from({ length: 9000 }, (_, i) => entry(`f${String(i).padStart(5, "0")}.md`, "a", i % 3 === 0 ? "rejected" : "accepted"));
    for (const e of entries) await log.add(e);
    await log.flush();
    expect(await all(log.entries)).toEqual(entries);
    expect([log.count, log.accepted]).toEqual([9000, 6000]);
  });
});
