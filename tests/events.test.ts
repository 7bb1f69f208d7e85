import { describe, expect, it } from "vitest";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { parseArticles, type RawFile } from "../pipeline/ingest/article.ts";
import { normalizeFacts } from "../pipeline/normalize/normalize.ts";
import { EVENT_WINDOW_DAYS } from "../pipeline/reconcile/events.ts";
import { partitionKey, withPublished } from "../pipeline/reconcile/keys.ts";
import { mergeFacts } from "../pipeline/reconcile/merge.ts";
import type { Dataset } from "../pipeline/schema/tables.ts";
import type { ExtractedFact } from "../pipeline/types.ts";
import { build, file } from "./fixtures/build.ts";
import { reference } from "./fixtures/extract.ts";


/** The facts of some articles as reconcile takes them, for merging by hand. */
function factsOf(...files: RawFile[]): ExtractedFact[] {
  const { articles } = parseArticles(files, new Map());
  const published = new Map(articles.map((a) => [a.meta.article_id, a.meta.published_date]));
  const gazetteer = buildGazetteer(reference);
  return normalizeFacts(articles.flatMap((a) => extractArticle(a, gazetteer).facts), published, reference.fx).map((f) => withPublished(f, published.get(f.article_id) ?? null));
}

const sources = (d: Dataset, record_id: string) => [...new Set(d.evidence.filter((e) => e.record_id === record_id).map((e) => e.article_id))].sort();
const conflicts = (d: Dataset) => d.qa_checks.filter((q) => q.check === "conflict");

const convoyDated = file("tkm-1", "2024-03-05", "On March 3, Turkmenistan dispatched a convoy of 130 tons of humanitarian aid to Afghanistan, including flour and medicines.");
const convoyLater = file("tkm-2", "2024-03-08", "Turkmenistan has sent 130 tonnes of humanitarian aid to Afghanistan, the foreign ministry said.");
const forumDated = file("forum-1", "2023-11-16", "On November 14, Uzbek and Afghan companies signed supply agreements worth over $12 million at a business forum in Kabul.");
const forumUndated = file("forum-2", "2023-11-20", "Uzbekistan and Afghanistan signed agreements worth $12.3 million at the Kabul business forum, the chamber of commerce said.");
const dealAlmaty = file("deal-1", "2022-05-20", "Kazakhstan and Afghanistan signed contracts worth $100 million in Almaty.");
const dealAstana = file("deal-2", "2023-06-02", "Kazakhstan and Afghanistan signed contracts worth $100 million in Astana.");

describe("one event told by two articles", () => {
  it("merges a 130 t convoy from one donor reported days apart (one article dates it, one does not) into one record", async () => {
    const d = await build(convoyDated, convoyLater);
    expect(d.aid_shipments).toHaveLength(1);
    const r = d.aid_shipments[0]!;
    expect(r).toMatchObject({ donor_iso3: "TKM", recipient_iso3: "AFG", kind: "shipment", weight_tonnes: 130, event_date: "2024-03-03", n_sources: 2, as_of: "2024-03-05", needs_review: false });
    expect(sources(d, r.record_id)).toEqual(["tkm-1", "tkm-2"]);
    expect(d.evidence.filter((e) => e.field === "weight_tonnes").map((e) => [e.article_id, e.stated_value]).sort()).toEqual([["tkm-1", 130], ["tkm-2", 130]]);
    expect(conflicts(d)).toEqual([]);
  });

  it("merges a 4,000 t flour shipment told twice with days three days apart", async () => {
    const d = await build(
      file("uzb-1", "2024-06-09", "On June 7, Uzbekistan sent 4,000 tons of flour as humanitarian aid to Afghanistan."),
      file("uzb-2", "2024-06-12", "On June 10, Uzbekistan sent 4,000 tonnes of flour as humanitarian aid to Afghanistan, officials said."),
    );
    expect(d.aid_shipments).toHaveLength(1);
    expect(d.aid_shipments[0]).toMatchObject({ donor_iso3: "UZB", weight_tonnes: 4000, event_date: "2024-06-07", n_sources: 2, as_of: "2024-06-09" });
    expect(sources(d, d.aid_shipments[0]!.record_id)).toEqual(["uzb-1", "uzb-2"]);
  });

  it("merges 'over $12 million' (dated) and '$12.3 million' (undated) signed at one forum into one contract with the precise value", async () => {
    const d = await build(forumDated, forumUndated);
    expect(d.contracts).toHaveLength(1);
    const r = d.contracts[0]!;
    expect(r).toMatchObject({ parties_iso3: "AFG;UZB", status: "signed", value_usd: 12300000, qualifier: "exact", event_date: "2023-11-14", place: "Kabul", n_sources: 2, as_of: "2023-11-16" });
    expect(d.evidence.filter((e) => e.field === "value_usd").map((e) => [e.article_id, e.stated_value]).sort()).toEqual([["forum-1", 12000000], ["forum-2", 12300000]]);
  });

  it("merges the same way whichever article comes first, and in parts split by merge key", async () => {
    const facts = factsOf(convoyDated, convoyLater, forumDated, forumUndated, dealAlmaty, dealAstana);
    const whole = mergeFacts(facts);
    expect(mergeFacts([...facts].reverse())).toEqual(whole);
    const parts = new Map<string, ExtractedFact[]>();
    for (const f of facts) parts.set(partitionKey(f), [...(parts.get(partitionKey(f)) ?? []), f]);
    expect(parts.size).toBeGreaterThan(2);
    const apart = [...parts.values()].map(mergeFacts);
    expect(apart.flatMap((m) => m.records).sort((a, b) => (a.record_id < b.record_id ? -1 : 1))).toEqual(whole.records);
    expect(apart.flatMap((m) => m.qa).map((q) => q.check_id).sort()).toEqual(whole.qa.map((q) => q.check_id).sort());
  });
});

describe("events kept apart", () => {
  it("keeps two $100 million deals in different places a year apart as two records, with a conflict row naming both when their keys collide", async () => {
    const d = await build(dealAlmaty, dealAstana);
    expect(d.contracts.map((r) => [r.place, r.value_usd, r.n_sources, r.as_of, r.needs_review]).sort()).toEqual([["Almaty", 100000000, 1, "2022-05-20", true], ["Astana", 100000000, 1, "2023-06-02", true]]);
    const [conflict, ...more] = conflicts(d);
    expect(more).toEqual([]);
    for (const r of d.contracts) expect(conflict!.message).toContain(r.record_id);
    expect(conflict).toMatchObject({ table_name: "contracts", severity: "warning", passed: false });
  });

  it("raises no conflict for two such deals whose keys differ (one dated)", async () => {
    const d = await build(file("deal-3", "2022-05-20", "On May 18, Kazakhstan and Afghanistan signed contracts worth $100 million in Almaty."), dealAstana);
    expect(d.contracts).toHaveLength(2);
    expect(conflicts(d)).toEqual([]);
    expect(d.contracts.every((r) => !r.needs_review)).toBe(true);
  });

  it("keeps one donor's like convoys apart beyond the window, with no conflict when each article dates its own", async () => {
    const d = await build(
      file("tkm-3", "2024-03-05", "On March 3, Turkmenistan dispatched 130 tons of humanitarian aid to Afghanistan."),
      file("tkm-4", "2024-05-20", "On May 18, Turkmenistan dispatched 130 tons of humanitarian aid to Afghanistan."),
    );
    expect(d.aid_shipments.map((r) => [r.event_date, r.n_sources]).sort()).toEqual([["2024-03-03", 1], ["2024-05-18", 1]]);
    expect(conflicts(d)).toEqual([]);
  });

  it("keeps a like convoy in two places within the window apart, with a conflict row", async () => {
    const d = await build(
      file("tkm-5", "2024-03-05", "On March 3, Turkmenistan dispatched 130 tons of humanitarian aid to Afghanistan through Torghundi."),
      file("tkm-6", "2024-03-07", "On March 5, Turkmenistan delivered 130 tons of humanitarian aid to Afghanistan in Herat."),
    );
    expect(d.aid_shipments).toHaveLength(2);
    const [conflict, ...more] = conflicts(d);
    expect(more).toEqual([]);
    expect(conflict!.message).toMatch(/different places/);
    for (const r of d.aid_shipments) expect(conflict!.message).toContain(r.record_id);
  });

  it("keeps a figure below 'over $12 million' apart from it, with a conflict row for the same day", async () => {
    const d = await build(forumDated, file("forum-3", "2023-11-15", "On November 14, Uzbekistan and Afghanistan signed agreements worth $11.7 million in Kabul."));
    expect(d.contracts.map((r) => r.value_usd).sort()).toEqual([11700000, 12000000]);
    expect(conflicts(d)).toHaveLength(1);
    // Same parties, day and rounded figure: the ids would collide, and that is the conflict named.
    expect(conflicts(d)[0]!.message).toMatch(/same key, date and rounded figure/);
  });

  it("keeps different figures for days within the window apart, with a conflict row", async () => {
    const d = await build(forumDated, file("forum-4", "2023-11-18", "On November 16, Uzbekistan and Afghanistan signed agreements worth $30 million in Kabul."));
    expect(d.contracts.map((r) => r.value_usd).sort()).toEqual([12000000, 30000000]);
    expect(conflicts(d).map((q) => q.message)).toEqual([expect.stringMatching(new RegExp(`different figures for days within ${EVENT_WINDOW_DAYS} days`))]);
  });

  it("keeps one article's two convoys of one figure on different days apart, and raises nothing", async () => {
    const d = await build(file("tkm-7", "2024-03-20", "On March 3, Turkmenistan dispatched 130 tons of humanitarian aid to Afghanistan. On March 10, Turkmenistan dispatched another 130 tons of humanitarian aid to Afghanistan."));
    expect(d.aid_shipments.map((r) => r.event_date).sort()).toEqual(["2024-03-03", "2024-03-10"]);
    expect(conflicts(d)).toEqual([]);
  });
});

describe("as_of", () => {
  it("is the earliest source's publication date on every fact table, and null when no source is dated", async () => {
    const d = await build(
      file("p-1", "2024-02-10", "Trade between Tajikistan and Afghanistan reached $61.4 million in 2023. Tajikistan provides 40 scholarships a year to Afghan students."),
      file("p-2", "2024-01-25", "Trade between Tajikistan and Afghanistan reached $61.4 million in 2023."),
      file("p-3", null, "Iran sent 75 tons of humanitarian aid to Afghanistan."),
    );
    expect(d.trade_flows.map((r) => [r.n_sources, r.as_of])).toEqual([[2, "2024-01-25"]]);
    expect(d.grants.map((r) => r.as_of)).toEqual(["2024-02-10"]);
    expect(d.aid_shipments.map((r) => [r.donor_iso3, r.as_of])).toEqual([["IRN", null]]);
  });
});
