import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { deriveGrowth } from "../pipeline/derive/growth.ts";
import { derivationGroup, deriveRecords } from "../pipeline/derive/records.ts";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { parseArticles } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { normalizeFacts } from "../pipeline/normalize/normalize.ts";
import { factKey, partitionKey, withPublished } from "../pipeline/reconcile/keys.ts";
import { mergeFacts, type MergedRecord, type MergeResult } from "../pipeline/reconcile/merge.ts";
import { turnoverChecks } from "../pipeline/reconcile/turnover.ts";
import type { ExtractedFact } from "../pipeline/types.ts";

let facts: ExtractedFact[];
let whole: MergeResult;

beforeAll(async () => {
  const reference = await loadReference(new URL("../sources", import.meta.url).pathname);
  const gazetteer = buildGazetteer(reference);
  const enc = new TextEncoder();
  const files = [...generateArticles(11, 60)].map((a) => ({ source_file: a.name, bytes: enc.encode(a.text) }));
  // Events the generator rarely tells twice: one convoy reported by two outlets days apart, one of them undated.
  for (const [id, published, body] of [
    ["ev-1", "2024-03-05", "On March 3, Turkmenistan dispatched 130 tons of humanitarian aid to Afghanistan."],
    ["ev-2", "2024-03-08", "Turkmenistan has sent 130 tonnes of humanitarian aid to Afghanistan."],
  ]) files.push({ source_file: `${id}.md`, bytes: enc.encode(`---\nid: ${id}\npublished: ${published}\n---\n${body}\n`) });
  const { articles } = parseArticles(files, new Map());
  const published = new Map(articles.map((a) => [a.meta.article_id, a.meta.published_date]));
  facts = normalizeFacts(articles.flatMap((a) => extractArticle(a, gazetteer).facts), published, reference.fx).map((f) => withPublished(f, published.get(f.article_id) ?? null));
  whole = mergeFacts(facts);
});

/** Splits facts the way a caller bounding memory would: by a hash of their key. */
function split(parts: number): ExtractedFact[][] {
  const out: ExtractedFact[][] = Array.from({ length: parts }, () => []);
  for (const f of facts) out[partOf(partitionKey(f), parts)]!.push(f);
  return out;
}

const partOf = (key: string, parts: number) => createHash("sha256").update(key).digest().readUInt32BE(0) % parts;

const byJson = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("mergeFacts over key partitions", () => {
  it("works on a sample with merges across articles, conflicts, growth and turnover checks", () => {
    expect(facts.length).toBeGreaterThan(300);
    expect(whole.records.length).toBeLessThan(facts.length);
    expect(whole.records.some((r) => (r.row.n_sources as number) > 1)).toBe(true);
    expect(whole.qa.some((q) => q.check === "conflict")).toBe(true);
    const event = (r: MergedRecord) => r.table === "contracts" || (r.table === "aid_shipments" && r.row.kind !== "aggregate");
    expect(whole.records.some((r) => event(r) && (r.row.n_sources as number) > 1)).toBe(true);
    expect(whole.qa.some((q) => q.check === "conflict" && q.message.includes("records kept apart"))).toBe(true);
    expect(deriveGrowth(whole.records).growth.length).toBeGreaterThan(0);
    expect(turnoverChecks(whole.records).length).toBeGreaterThan(0);
    expect(new Set(whole.records.map((r) => r.record_id)).size).toBe(whole.records.length);
  });

  it("keys parts by the JSON of factKey", () => {
    for (const f of facts) expect(partitionKey(f)).toBe(JSON.stringify(factKey(f)));
  });

  it.each([2, 3, 7])("gives the same output split into %i parts as in one call", (n) => {
    const parts = split(n);
    expect(parts.every((p) => p.length > 0)).toBe(true);
    const merged = parts.map(mergeFacts);
    const records = merged.flatMap((m) => m.records).sort((a, b) => (a.record_id < b.record_id ? -1 : 1));
    expect(records).toEqual(whole.records);
    expect(byJson(merged.flatMap((m) => m.evidence))).toEqual(byJson(whole.evidence));
    expect(byJson(merged.flatMap((m) => m.aid_items))).toEqual(byJson(whole.aid_items));
    expect(byJson(merged.flatMap((m) => m.qa))).toEqual(byJson(whole.qa));
    expect(deriveGrowth(records)).toEqual(deriveGrowth(whole.records));
    expect(turnoverChecks(records)).toEqual(turnoverChecks(whole.records));
  });

  it("keeps records compact: no extracted fact is referenced from them", () => {
    for (const r of whole.records) expect(Object.keys(r).sort()).toEqual(["changes", "halfUnit", "record_id", "row", "table"]);
    expect(whole.records.some((r) => r.halfUnit.value_usd > 0)).toBe(true);
  });
});

describe("deriveRecords over derivation groups", () => {
  it.each([2, 5])("gives the same rows and checks split into %i groups as over all records", (n) => {
    const groups: MergedRecord[][] = Array.from({ length: n }, () => []);
    for (const r of whole.records) groups[partOf(derivationGroup(r), n)]!.push(r);
    expect(groups.filter((g) => g.some((r) => r.table === "trade_flows" && r.row.period_start !== null)).length).toBeGreaterThan(1);
    const apart = groups.map(deriveRecords);
    const all = deriveRecords(whole.records);
    expect(all.growth_rates.length).toBeGreaterThan(0);
    expect(all.qa.some((q) => q.check === "turnover_sum")).toBe(true);
    for (const key of Object.keys(all) as (keyof typeof all)[]) expect(byJson(apart.flatMap((d) => d[key] as unknown[]))).toEqual(byJson(all[key] as unknown[]));
  });

  it("keeps a pair's dated trade flows together, whichever way round the pair is written", () => {
    const flow = (reporter: string, partner: string, period_start: string | null, commodity: string | null = null) =>
      ({ record_id: "0123456789abcdef", table: "trade_flows", row: { reporter_iso3: reporter, partner_iso3: partner, period_start, commodity }, changes: [], halfUnit: { value_usd: 0, quantity_tonnes: 0 } }) as MergedRecord;
    expect(derivationGroup(flow("AFG", "KAZ", "2023-01-01"))).toBe(derivationGroup(flow("KAZ", "AFG", "2024-01-01")));
    expect(derivationGroup(flow("AFG", "KAZ", "2023-01-01", "flour"))).not.toBe(derivationGroup(flow("AFG", "KAZ", "2023-01-01")));
    expect(derivationGroup(flow("AFG", "KAZ", null))).toBe("0123456789abcdef");
  });
});
