import { beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { ExtractPool, workerExecArgv } from "../pipeline/extract/pool.ts";
import { parseArticle, type RawFile } from "../pipeline/ingest/article.ts";
import { readInputs } from "../pipeline/ingest/read.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import type { RegistryEntry } from "../pipeline/ingest/registry.ts";
import { articleLines, readArticleLines } from "../pipeline/ops/factlines.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";
import type { Reference } from "../pipeline/types.ts";

const enc = new TextEncoder();
let reference: Reference;
let seeds: RawFile[];
const generated = (): RawFile[] => [...generateArticles(11, 100)].map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) }));

/** What the same steps give in-process: the pool must give exactly this. */
function local(files: RawFile[]): string[] {
  const g = buildGazetteer(reference);
  return files.map((f) => articleLines(parseArticle(f, new Map()), (a) => extractArticle(a, g), reference.fx));
}

beforeAll(async () => {
  reference = await loadReference(DEFAULT_SOURCES);
  seeds = await readInputs(`${new URL("..", import.meta.url).pathname}seeds`);
});

describe("ExtractPool.runFiles", () => {
  it("parses and extracts raw files in workers into the article lines the in-process steps give, in input order", async () => {
    const files = [...generated(), { source_file: "empty.md", bytes: new Uint8Array() }];
    const seen: number[] = [];
    const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, batchArticles: 9, onProgress: (done, total) => (expect(total).toBe(files.length), seen.push(done)) });
    try {
      const lines = await pool.runFiles(files, new Map());
      // The bytes were copied to the workers, not moved: a job lost with a worker out of memory is sent again.
      expect(files[0]!.bytes.byteLength).toBeGreaterThan(0);
      expect(lines).toEqual(local([...generated(), { source_file: "empty.md", bytes: new Uint8Array() }]));
      expect(seen.at(-1)).toBe(files.length);
      const parsed = lines.map(readArticleLines);
      expect(parsed.at(-1)).toEqual({ rejected: "empty file" });
      const articles = parsed.filter((p) => "meta" in p);
      expect(articles).toHaveLength(100);
      const first = articles.find((p) => p.facts.length > 0)!;
      expect(JSON.parse(first.facts[0]!.key)[0]).toMatch(/^(trade_flows|aid_shipments|contracts|grants)$/);
      expect(JSON.parse(first.facts[0]!.json).article_id).toBe(first.meta.article_id);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("runs small inputs and threads: 1 in-process, with the same lines", async () => {
    const expected = local(seeds);
    for (const opts of [{}, { threads: 1, inProcessBelow: 0 }]) {
      const pool = new ExtractPool(reference, opts);
      try {
        expect(await pool.runFiles(seeds.map((f) => ({ ...f, bytes: Uint8Array.from(f.bytes) })), new Map())).toEqual(expected);
        expect(await pool.runFiles([], new Map())).toEqual([]);
      } finally {
        await pool.close();
      }
    }
  }, 60_000);

  it("keeps one pool across several calls (chunks of a corpus), and refuses work once closed", async () => {
    const expected = local(generated());
    const files = generated();
    const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, batchArticles: 16 });
    try {
      const a = await pool.runFiles(files.slice(0, 70), new Map());
      const b = await pool.runFiles(files.slice(70), new Map());
      expect([...a, ...b]).toEqual(expected);
    } finally {
      await pool.close();
    }
    await expect(pool.runFiles(generated().slice(0, 1), new Map())).rejects.toThrow(/closed/);
  }, 60_000);

  it("reports a file that fails, naming it", async () => {
    const files = [...generated().slice(0, 3), { source_file: "broken.md", bytes: enc.encode("Kazakhstan sent aid to Afghanistan.\n") }];
    // A registry row whose article id is not text: parsing the file throws in the worker.
    const registry = new Map([["broken.md", { article_id: {} } as unknown as RegistryEntry]]);
    const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, batchArticles: 2 });
    try {
      await expect(pool.runFiles(files, registry)).rejects.toThrow(new RegExp(files[3]!.source_file));
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe("workerExecArgv", () => {
  it("drops tsx's loader, heap sizes and --expose-gc (a worker refuses them), keeps the rest", () => {
    const tsx = "/p/node_modules/tsx/dist/loader.mjs";
    expect(
      workerExecArgv(["--require", "/p/node_modules/tsx/dist/preflight.cjs", "--import", `file://${tsx}`, "--max-old-space-size=512", "--expose-gc", "--max_semi_space_size", "16", "--enable-source-maps", "--import", "/p/other.mjs"]),
    ).toEqual(["--enable-source-maps", "--import", "/p/other.mjs"]);
  });
});
