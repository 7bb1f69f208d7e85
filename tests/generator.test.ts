import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArticle, generateArticles, generateCorpus, MAX_BYTES, MIN_BYTES, mulberry32 } from "../bench/generate.ts";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { parseArticles } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";

const enc = new TextEncoder();
let gazetteer: Gazetteer;
const dirs: string[] = [];

beforeAll(async () => {
  gazetteer = buildGazetteer(await loadReference(new URL("../sources", import.meta.url).pathname));
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function corpusHash(n: number, seed: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gen-"));
  dirs.push(dir);
  await generateCorpus(dir, n, seed);
  const h = createHash("sha256");
  for (const name of (await readdir(dir)).sort()) h.update(name).update(await readFile(join(dir, name)));
  return h.digest("hex");
}

describe("corpus generator", () => {
  it("has a deterministic PRNG", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("gives identical bytes for the same seed, in memory and on disk", async () => {
    const x = [...generateArticles(7, 40)].map((a) => a.text);
    const y = [...generateArticles(7, 40)].map((a) => a.text);
    expect(y).toEqual(x);
    // An article does not depend on the ones before it.
    expect(generateArticle(7, 33).text).toBe(x[33]);
    expect(await corpusHash(30, 7)).toBe(await corpusHash(30, 7));
  });

  it("gives different articles for different seeds", async () => {
    const x = [...generateArticles(1, 20)].map((a) => a.text);
    const y = [...generateArticles(2, 20)].map((a) => a.text);
    expect(x.filter((t, i) => t === y[i])).toEqual([]);
    expect(new Set(x).size).toBe(20);
    expect(await corpusHash(10, 1)).not.toBe(await corpusHash(10, 2));
  });

  it("writes UTF-8 files of 1-10 KB with front matter the ingest accepts", () => {
    const arts = [...generateArticles(3, 400)];
    const sizes = arts.map((a) => enc.encode(a.text).length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_BYTES);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BYTES);
    // Spread over the range, not all one length.
    expect(sizes.filter((s) => s < 3000).length).toBeGreaterThan(40);
    expect(sizes.filter((s) => s > 7000).length).toBeGreaterThan(20);
    const { articles, rejected } = parseArticles(arts.map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) })), new Map());
    expect(rejected).toEqual([]);
    expect(articles).toHaveLength(400);
    expect(articles[5]!.meta.article_id).toBe("g3-0000005");
    expect(articles.filter((a) => a.meta.published_date !== null).length).toBeGreaterThan(350);
    expect(articles.every((a) => a.meta.title && a.meta.publisher && a.meta.url)).toBe(true);
    // Page chrome is there and recognised as such.
    expect(articles.filter((a) => (a.meta.n_chrome_chars ?? 0) > 0).length).toBeGreaterThan(100);
  });

  it("produces articles the extractor finds facts in, in all four tables", () => {
    const arts = [...generateArticles(5, 60)];
    const { articles } = parseArticles(arts.map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) })), new Map());
    const results = articles.map((a) => extractArticle(a, gazetteer));
    const facts = results.flatMap((r) => r.facts);
    expect(results.filter((r) => r.facts.length > 0).length).toBeGreaterThan(50);
    const tables = new Set(facts.map((f) => f.table));
    expect([...tables].sort()).toEqual(["aid_shipments", "contracts", "grants", "trade_flows"]);
    for (const f of facts) for (const e of f.evidence) expect(e.quote).toContain(e.value_text);
    // Chrome ("Latest news" lists) never yields facts: every quote lies in a prose segment.
    for (const [i, r] of results.entries()) {
      const prose = articles[i]!.segments.filter((s) => s.kind === "prose");
      for (const f of r.facts) for (const e of f.evidence) expect(prose.some((s) => e.char_start >= s.start && e.char_start < s.end)).toBe(true);
    }
  });
});
