import { beforeAll, describe, expect, it } from "vitest";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { RULES } from "../pipeline/extract/rules/index.ts";
import { readdirSync, readFileSync } from "node:fs";
import { articleFromText } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { normalizeFacts } from "../pipeline/normalize/normalize.ts";
import type { ExtractedFact } from "../pipeline/types.ts";

let gazetteer: Gazetteer;
let fx: Awaited<ReturnType<typeof loadReference>>["fx"];
beforeAll(async () => {
  const ref = await loadReference(new URL("../sources", import.meta.url).pathname);
  gazetteer = buildGazetteer(ref);
  fx = ref.fx;
});

function factsOf(text: string, published = "2024-06-15"): ExtractedFact[] {
  const { facts } = extractArticle(articleFromText("example", text, published), gazetteer);
  return normalizeFacts(facts, new Map([["example", published]]), fx);
}

describe.each(RULES.map((r) => [r.id, r] as const))("rule %s", (id, rule) => {
  it.each(rule.examples.must.map((m) => [m.text, m] as const))("must: %s", (_text, ex) => {
    const facts = factsOf(ex.text, ex.published);
    const hit = facts.find((f) => f.table === rule.table && f.evidence.some((e) => e.rule === id));
    expect(hit, `no ${rule.table} fact with rule ${id}; got ${JSON.stringify(facts.map((f) => [f.table, f.evidence.map((e) => e.rule)]))}`).toBeDefined();
    for (const [k, v] of Object.entries(ex.expect ?? {})) {
      const actual = k === "qualifier" ? hit!.qualifier : hit!.fields[k];
      expect(actual, `${k} of ${ex.text}`).toEqual(v);
    }
    for (const e of hit!.evidence) expect(e.quote).toContain(e.value_text);
  });
  it.each(rule.examples.mustNot.map((m) => [m.text, m] as const))("must not: %s", (_text, ex) => {
    const facts = factsOf(ex.text, ex.published);
    expect(facts.filter((f) => f.table === rule.table && f.evidence.some((e) => e.rule === id))).toEqual([]);
    if (ex.notValue !== undefined) {
      const amounts = facts.filter((f) => f.table === rule.table).flatMap((f) => [f.money?.amount, ...Object.values(f.fields)]);
      expect(amounts, `no ${rule.table} fact carries ${ex.notValue}`).not.toContain(ex.notValue);
    }
  });
});

describe("the rule registry", () => {
  const ids = new Set(RULES.map((r) => r.id));

  it("has one entry per id, each placing rule or part of one, each with an example it must match", () => {
    expect(ids.size).toBe(RULES.length);
    for (const r of RULES) {
      if (r.partOf !== undefined) expect(RULES.find((p) => p.id === r.partOf)?.match, `${r.id} is part of a placing rule`).toBeDefined();
      else expect(r.match && r.produce, `${r.id} places numbers`).toBeTruthy();
      // A rule that takes numbers to make no fact (a price, a restated total) shows instead a number it keeps out.
      if (r.examples.must.length === 0) expect(r.examples.mustNot.filter((e) => e.notValue !== undefined).length, `${r.id} has an example`).toBeGreaterThan(0);
    }
  });

  it("is the only source of the rule ids that evidence carries (every example and seed article)", () => {
    const seeds = new URL("../seeds/", import.meta.url).pathname;
    const texts = [
      ...RULES.flatMap((r) => [...r.examples.must, ...r.examples.mustNot].map((e) => e.text)),
      ...readdirSync(seeds).filter((f) => f.endsWith(".txt")).map((f) => readFileSync(seeds + f, "utf8")),
    ];
    const emitted = new Set(texts.flatMap((t) => factsOf(t).flatMap((f) => f.evidence.map((e) => e.rule))));
    expect(emitted.size).toBeGreaterThan(10);
    expect([...emitted].filter((id) => !ids.has(id))).toEqual([]);
  });
});
