import { describe, expect, it } from "vitest";
import { combineConfidence } from "../pipeline/reconcile/confidence.ts";
import type { Dataset } from "../pipeline/schema/tables.ts";
import { build, file } from "./fixtures/build.ts";


const exact = file("exact", "2023-05-02", "Trade between Uzbekistan and Afghanistan reached $866.3 million in 2022.");
const rounded = file("rounded", "2023-06-10", "Uzbekistan's trade with Afghanistan amounted to almost $870 million in 2022.");
const unrelated = file("unrelated", "2024-02-01", "Pakistan sent 40 tons of humanitarian aid to Afghanistan. Trade between Iran and Afghanistan reached $2.1 billion in 2023.");

describe("cross-article reconcile", () => {
  it("merges a rounded restatement with the exact figure: one record, n_sources 2, each article's own stated value kept", async () => {
    const d = await build(exact, rounded);
    expect(d.trade_flows).toHaveLength(1);
    expect(d.trade_flows[0]).toMatchObject({ flow: "turnover", reporter_iso3: "AFG", partner_iso3: "UZB", value_usd: 866300000, n_sources: 2, qualifier: "exact" });
    const stated = d.evidence.filter((e) => e.field === "value_usd").map((e) => [e.article_id, e.stated_value, e.value_text]);
    expect(stated).toEqual(expect.arrayContaining([["exact", 866300000, "$866.3 million"], ["rounded", 870000000, "$870 million"]]));
    const perArticle = ["exact", "rounded"].map((id) => d.evidence.find((e) => e.article_id === id && e.field === "value_usd")!.confidence!);
    expect(d.trade_flows[0]!.confidence).toBe(combineConfidence(perArticle));
    expect(d.trade_flows[0]!.confidence).toBeGreaterThan(Math.max(...perArticle));
  });

  it("keeps record ids when an unrelated article is added", async () => {
    const before = await build(exact, rounded);
    const after = await build(exact, rounded, unrelated);
    const ids = (d: Dataset) => [...d.trade_flows, ...d.aid_shipments].map((r) => r.record_id);
    expect(ids(after)).toEqual(expect.arrayContaining(ids(before)));
    expect(after.trade_flows.find((r) => r.partner_iso3 === "UZB")!.record_id).toBe(before.trade_flows[0]!.record_id);
  });

  it("records a conflict when two articles give genuinely different values for one dated fact, keeping the most precise", async () => {
    const other = file("other", "2023-07-01", "Trade between Uzbekistan and Afghanistan was $640.5 million in 2022.");
    const d = await build(exact, other);
    expect(d.trade_flows).toHaveLength(1);
    expect(d.trade_flows[0]).toMatchObject({ value_usd: 866300000, n_sources: 2 });
    const conflict = d.qa_checks.find((q) => q.check === "conflict");
    expect(conflict).toMatchObject({ severity: "warning", passed: false, record_id: d.trade_flows[0]!.record_id });
    expect(conflict!.message).toMatch(/866300000.*exact.*640500000.*other|640500000.*other.*866300000.*exact/);
    expect(d.trade_flows[0]).toMatchObject({ needs_review: true, confidence: d.evidence.find((e) => e.article_id === "exact")!.confidence });
  });

  it("keeps two articles' different tonnages for one day's shipment apart, with a conflict row naming both", async () => {
    const a = file("ship-a", "2024-05-03", "On April 30, Uzbekistan delivered 250 tons of humanitarian aid to Afghanistan.");
    const b = file("ship-b", "2024-05-04", "On April 30, Uzbekistan delivered 320 tons of humanitarian aid to Afghanistan.");
    const d = await build(a, b);
    expect(d.aid_shipments.map((r) => [r.weight_tonnes, r.event_date, r.n_sources, r.needs_review]).sort()).toEqual([[250, "2024-04-30", 1, true], [320, "2024-04-30", 1, true]]);
    const conflict = d.qa_checks.find((q) => q.check === "conflict")!;
    for (const r of d.aid_shipments) expect(conflict.message).toContain(r.record_id);
    expect(conflict.message).toMatch(/250 tonnes.*320 tonnes|320 tonnes.*250 tonnes/);
    const one = await build(file("ship-c", "2024-05-04", "On April 30, Uzbekistan delivered 250 tons of humanitarian aid to Afghanistan. On April 30, Uzbekistan also delivered another 320 tons of humanitarian aid to Afghanistan."));
    expect(one.aid_shipments).toHaveLength(2);
  });

  it("gives distinct undated figures of one article distinct ids even when they round alike", async () => {
    const d = await build(file("twins", null, "Kazakhstan exported 1.31 million tons of flour to Afghanistan last year. Later Kazakhstan exported 1.34 million tons of flour to Afghanistan last year."));
    expect(d.trade_flows.map((r) => r.quantity_tonnes).sort()).toEqual([1310000, 1340000]);
    expect(new Set(d.trade_flows.map((r) => r.record_id)).size).toBe(2);
  });

  it("gives two same-day shipments of one article distinct ids", async () => {
    const d = await build(file("two-days", "2024-05-04", "On April 30, Uzbekistan delivered 250 tons of humanitarian aid to Afghanistan. On April 30, Uzbekistan also delivered another 320 tons of humanitarian aid to Afghanistan."));
    expect(d.aid_shipments.map((r) => r.weight_tonnes).sort()).toEqual([250, 320]);
    expect(new Set(d.aid_shipments.map((r) => r.record_id)).size).toBe(2);
  });

  it("does not merge undated figures across articles", async () => {
    const a = file("a", null, "Trade between Tajikistan and Afghanistan reached $40 million last year.");
    const b = file("b", null, "Trade between Tajikistan and Afghanistan reached $40 million last year.");
    const d = await build(a, b);
    expect(d.trade_flows).toHaveLength(2);
    expect(d.qa_checks.filter((q) => q.check === "unresolved_date")).toHaveLength(2);
    expect(d.qa_checks.filter((q) => q.check === "no_published_date").map((q) => q.article_id).sort()).toEqual(["a", "b"]);
  });

  it("converts other currencies at the period's annual rate, and says so when it had to use the nearest year", async () => {
    const d = await build(file("kzt", "2024-03-01", "Kazakhstan exported goods worth 46 billion tenge to Afghanistan in 2023.", ), file("kzt26", "2026-03-01", "Kazakhstan exported goods worth 50 billion tenge to Afghanistan in 2025."));
    const y2023 = d.trade_flows.find((r) => r.period_start === "2023-01-01")!;
    expect(y2023).toMatchObject({ currency_original: "KZT", value_original: 46000000000, usd_rate_basis: "annual_average" });
    expect(y2023.value_usd).toBeCloseTo(46e9 / 456.165, 0);
    const y2025 = d.trade_flows.find((r) => r.period_start === "2025-01-01")!;
    expect(y2025.usd_rate_basis).toBe("nearest_year");
    expect(d.qa_checks.find((q) => q.check === "fx_nearest_year" && q.record_id === y2025.record_id)!.message).toMatch(/no KZT rate for 2025; used 2024/);
  });

  it("leaves value_usd empty for an amount with no known rate, with a QA row", async () => {
    const d = await build(file("try", "2024-06-01", "Turkey's exports to Afghanistan reached 5 billion lira in 2023."));
    expect(d.trade_flows[0]).toMatchObject({ value_usd: null, currency_original: "TRY", value_original: 5e9, reporter_iso3: "TUR" });
    expect(d.qa_checks.some((q) => q.check === "unknown_currency" && q.record_id === d.trade_flows[0]!.record_id)).toBe(true);
  });

  it("uses the article's own conversion over the reference rate", async () => {
    const d = await build(file("own", "2025-01-10", "Over the past four years Kazakhstan sent humanitarian aid worth 5 billion tenge (about US$10.4 million) to Afghanistan."));
    expect(d.aid_shipments[0]).toMatchObject({ kind: "aggregate", value_usd: 10400000, value_original: 5e9, currency_original: "KZT", period_start: "2021-01-01", period_end: "2024-12-31" });
  });
});
