import { beforeAll, describe, expect, it } from "vitest";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { RULES } from "../pipeline/extract/rules/catalog.ts";
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
  it.each(rule.matches.map((m) => [m.text, m] as const))("matches: %s", (_text, ex) => {
    const facts = factsOf(ex.text, ex.published);
    const hit = facts.find((f) => f.table === rule.table && f.evidence.some((e) => e.rule === id));
    expect(hit, `no ${rule.table} fact with rule ${id}; got ${JSON.stringify(facts.map((f) => [f.table, f.evidence.map((e) => e.rule)]))}`).toBeDefined();
    for (const [k, v] of Object.entries(ex.expect ?? {})) {
      const actual = k === "qualifier" ? hit!.qualifier : hit!.fields[k];
      expect(actual, `${k} of ${ex.text}`).toEqual(v);
    }
    for (const e of hit!.evidence) expect(e.quote).toContain(e.value_text);
  });
  it.each(rule.rejects.map((m) => [m.text, m] as const))("rejects: %s", (_text, ex) => {
    const facts = factsOf(ex.text, ex.published);
    expect(facts.filter((f) => f.table === rule.table && f.evidence.some((e) => e.rule === id))).toEqual([]);
  });
});
