import { beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { ExtractPool, extractAll, workerExecArgv } from "../pipeline/extract/pool.ts";
import { parseArticle, parseArticles } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { DEFAULT_SOURCES, readInputs, readRegistry } from "../pipeline/run.ts";
import { articleLines, readArticleLines } from "../pipeline/ops/factlines.ts";
import type { Article, ExtractResult, Reference } from "../pipeline/types.ts";

const enc = new TextEncoder();
let reference: Reference;
let seeds: Article[];
let generated: Article[];
let expectedSeeds: ExtractResult[];
let expectedGenerated: ExtractResult[];

function local(articles: Article[]): ExtractResult[] {
  const g = buildGazetteer(reference);
  return articles.map((a) => extractArticle(a, g));
}

beforeAll(async () => {
  reference = await loadReference(DEFAULT_SOURCES);
  const root = new URL("..", import.meta.url).pathname;
  ({ articles: seeds } = parseArticles(await readInputs(`${root}seeds`), await readRegistry(DEFAULT_SOURCES)));
  const files = [...generateArticles(11, 100)].map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) }));
  ({ articles: generated } = parseArticles(files, new Map()));
  expectedSeeds = local(seeds);
  expectedGenerated = local(generated);
});

describe("extractAll", () => {
  it("equals in-process extraction on the seeds, in workers", async () => {
    expect(seeds.length).toBeGreaterThan(0);
    const pooled = await extractAll(seeds, reference, { threads: 2, inProcessBelow: 0, batchArticles: 2 });
    expect(pooled).toEqual(expectedSeeds);
  }, 60_000);

  it("equals in-process extraction on generated articles, in input order", async () => {
    const seen: number[] = [];
    const pooled = await extractAll(generated, reference, { threads: 2, batchArticles: 7, onProgress: (done, total) => (expect(total).toBe(generated.length), seen.push(done)) });
    expect(seen.at(-1)).toBe(generated.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(pooled).toHaveLength(generated.length);
    expect(pooled).toEqual(expectedGenerated);
    pooled.forEach((r, i) => r.facts.forEach((f) => expect(f.article_id).toBe(generated[i]!.meta.article_id)));
  }, 60_000);

  it("parses and extracts raw files in workers into the article lines the in-process stages give", async () => {
    const raw = () => [...generateArticles(11, 100)].map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) }));
    const files = [...raw(), { source_file: "empty.md", bytes: new Uint8Array() }];
    const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, batchArticles: 9 });
    try {
      const lines = await pool.runFiles(files, new Map());
      expect(files[0]!.bytes.byteLength).toBe(0);
      const g = buildGazetteer(reference);
      const expected = [...raw(), { source_file: "empty.md", bytes: new Uint8Array() }].map((f) => articleLines(parseArticle(f, new Map()), (a) => extractArticle(a, g), reference.fx));
      expect(lines).toEqual(expected);
      const parsed = lines.map(readArticleLines);
      expect(parsed.at(-1)).toEqual({ rejected: "empty file" });
      const articles = parsed.filter((p) => "meta" in p);
      expect(articles.map((p) => p.meta.article_id)).toEqual(generated.map((a) => a.meta.article_id));
      expect(articles.reduce((n, p) => n + p.facts.length, 0)).toBe(expectedGenerated.reduce((n, r) => n + r.facts.length, 0));
      expect(articles[0]!.qa).toEqual(expectedGenerated[0]!.qa);
      const first = articles.find((p) => p.facts.length > 0)!.facts[0]!;
      expect(JSON.parse(first.key)[0]).toMatch(/^(trade_flows|aid_shipments|contracts|grants)$/);
      expect(JSON.parse(first.json).article_id).toBe(articles.find((p) => p.facts.length > 0)!.meta.article_id);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("hands each batch's results to the caller as they arrive, each at its articles' place, keeping none", async () => {
    for (const opts of [{ threads: 2, inProcessBelow: 0, batchArticles: 7 }, { threads: 1 }]) {
      const pool = new ExtractPool(reference, opts);
      try {
        const placed: ExtractResult[] = new Array(generated.length);
        const firsts: number[] = [];
        const kept = await pool.each(generated, (results, first) => {
          firsts.push(first);
          results.forEach((r, i) => (placed[first + i] = r));
        });
        expect(kept).toBeUndefined();
        expect(placed).toEqual(expectedGenerated);
        expect(firsts.sort((a, b) => a - b)).toEqual(opts.threads === 1 ? [0] : Array.from({ length: Math.ceil(generated.length / 7) }, (_, i) => i * 7));
      } finally {
        await pool.close();
      }
    }
  }, 60_000);

  it("runs small inputs and threads: 1 in-process, with the same results", async () => {
    expect(await extractAll(seeds, reference)).toEqual(expectedSeeds);
    expect(await extractAll(generated.slice(0, 80), reference, { threads: 1 })).toEqual(expectedGenerated.slice(0, 80));
    expect(await extractAll([], reference, { threads: 2, inProcessBelow: 0 })).toEqual([]);
  });

  it("keeps one pool across several runs (chunks of a corpus), and refuses work once closed", async () => {
    const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, batchArticles: 16 });
    try {
      const a = await pool.run(generated.slice(0, 70));
      const b = await pool.run(generated.slice(70));
      expect([...a, ...b]).toEqual(expectedGenerated);
    } finally {
      await pool.close();
    }
    await expect(pool.run(generated.slice(0, 1))).rejects.toThrow(/closed/);
  }, 60_000);

  it("reports an article that fails, naming it", async () => {
    const broken = { ...generated[3]!, segments: null } as unknown as Article;
    await expect(extractAll([generated[0]!, broken], reference, { threads: 2, inProcessBelow: 0 })).rejects.toThrow(new RegExp(generated[3]!.meta.article_id));
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
