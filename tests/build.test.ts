import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { listInputs, readInputs, readRegistry } from "../pipeline/ingest/read.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { ExtractCache } from "../pipeline/ops/cache.ts";
import type { Logger } from "../pipeline/ops/log.ts";
import { Store } from "../pipeline/ops/store.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { buildFromInputs, chunkBounds, folderSource, runStages } from "../pipeline/run.ts";
import { snapshot } from "./fixtures/snapshot.ts";

const quiet: Logger = { info() {}, warn() {}, progress() {} };
const info = { name: "t", title: "t", version: "0.0.0", sources: [] };
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "build-test-"));
  const input = join(root, "in");
  await mkdir(input);
  for (const a of generateArticles(7, 150)) await writeFile(join(input, a.name), a.text);
  // The same article id in two files that fall in different chunks: the later file is rejected.
  const first = (await readdir(input)).sort()[0]!;
  await writeFile(join(input, `zz_${first}`), await readFile(join(input, first)));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the stages", () => {
  it("publish the same bytes from a folder on the worker pool, in small chunks and batches, as from files held in memory", async () => {
    const input = join(root, "in");
    const [registry, reference] = await Promise.all([readRegistry(DEFAULT_SOURCES), loadReference(DEFAULT_SOURCES)]);
    const scratch = await mkdtemp(join(root, "stage-"));
    const store = await Store.open(scratch);
    try {
      const files = await listInputs(input);
      // Batches of 40 facts or records: reconciliation and derivation cross many batch boundaries.
      const built = await runStages({ source: folderSource(input, files), registry, reference, cache: new ExtractCache(join(root, "cache"), "test"), store, scratch, log: quiet, sizes: { chunk: 16, batch: 40 } });
      // The listing is handed over and emptied, so it is not held through reconciliation and publishing.
      expect(files).toHaveLength(0);
      const inputs = [];
      for await (const i of built.inputs()) inputs.push(i);
      expect(inputs).toHaveLength(151);
      expect(inputs.filter((i) => i.status === "accepted")).toHaveLength(built.accepted);
      expect(built.rejected).toHaveLength(1);
      expect(built.rejected[0]!.reason).toMatch(/^duplicate article id/);
      expect(built.reextracted).toBe(151); // the duplicate is parsed and extracted too: ids are compared in file order afterwards
      await publish(built.dataset, join(root, "folder"), info);
    } finally {
      store.close();
    }

    const dataset = await buildFromInputs(await readInputs(input), registry, reference);
    expect(dataset.evidence.length).toBeGreaterThan(500);
    // Events resolved across articles, and events kept apart with a conflict row, go through both.
    expect(dataset.aid_shipments.some((r) => r.kind !== "aggregate" && r.n_sources > 1) || dataset.contracts.some((r) => r.n_sources > 1)).toBe(true);
    expect(dataset.qa_checks.some((q) => q.check === "conflict" && q.message.includes("records kept apart"))).toBe(true);
    await publish(dataset, join(root, "memory"), info);
    expect(await snapshot(join(root, "folder"))).toEqual(await snapshot(join(root, "memory")));
  }, 180_000);
});

describe("chunks of input", () => {
  it("close at a number of files or of bytes, whichever comes first", () => {
    expect(chunkBounds([1, 1, 1, 1, 1], 2, 100)).toEqual([0, 2, 4, 5]);
    expect(chunkBounds([40, 40, 40, 10, 10], 10, 100)).toEqual([0, 2, 5]);
  });

  it("hold a file bigger than the byte limit alone, and nothing when there are no files", () => {
    expect(chunkBounds([10, 500, 10], 10, 100)).toEqual([0, 1, 2, 3]);
    expect(chunkBounds([], 10, 100)).toEqual([0]);
  });
});
