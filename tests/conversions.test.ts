import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trade as tradeNotebook } from "../notebooks/trade.ts";
import { grants as grantsNotebook } from "../notebooks/grants.ts";
import { openDataset, type Dataset as OpenedDataset } from "../pipeline/api/dataset.ts";
import { normalizeFacts } from "../pipeline/normalize/normalize.ts";
import { lastDigitHalfUnit, roundToUncertainty } from "../pipeline/normalize/precision.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { openReadOnly, type ReadOnlyDb, type Row } from "../pipeline/report/db.ts";
import { fileQuery } from "./fixtures/fileQuery.ts";
import type { Notebook, TableBlock } from "../pipeline/report/types.ts";
import { memorySource, stagedInMemory } from "../pipeline/run.ts";
import type { Dataset } from "../pipeline/schema/tables.ts";
import type { ExtractedFact, FxRate, Money, Qualifier, StatedChange } from "../pipeline/types.ts";
import { emptyDataset, INFO } from "./fixtures/smallDataset.ts";

/**
 * Recorded conversions, rounding to the inputs' precision, one order for non-directional pairs, the countries
 * table and the grants qualifier: hand-made facts (no extraction) through normalize → reconcile → derive →
 * publish, then read back from the tables, the views and the report's notebooks.
 */

const FX: FxRate[] = [
  { currency: "KGS", year: 2023, units_per_usd: 87.8, source: "test kgs" },
  { currency: "KZT", year: 2022, units_per_usd: 460.165, source: "test kzt" },
  { currency: "KZT", year: 2023, units_per_usd: 456.165, source: "test kzt" },
];
const REFERENCE = { fx: FX, places: [], agencies: [], countryAliases: [] };
const PUBLISHED = "2024-03-01";

/** The article the facts are said to come from; its body is never read, since the facts are stated. */
const ARTICLE = { source_file: "a1.txt", bytes: new TextEncoder().encode(`---\nid: a1\ntitle: Article a1\npublisher: Test\npublished: ${PUBLISHED}\n---\nA body the stated facts stand in for.\n`) };

interface FactSpec {
  table: ExtractedFact["table"];
  fields: Record<string, string | number | null>;
  money?: Money;
  valueText: string;
  field: string;
  qualifier?: Qualifier;
  changes?: StatedChange[];
}

function fact(spec: FactSpec, article_id = "a1"): ExtractedFact {
  const quote = `The article says ${spec.valueText}.`;
  return {
    table: spec.table,
    article_id,
    fields: spec.fields,
    money: spec.money ?? null,
    qualifier: spec.qualifier ?? "exact",
    evidence: [{ char_start: 0, char_end: quote.length, quote, value_text: spec.valueText, field: spec.field, stated_value: spec.money ? null : Number(spec.fields[spec.field]), rule: "test", confidence: 0.9 }],
    aid_items: [],
    changes: spec.changes ?? [],
    notes: [],
  };
}

const YEAR_2023 = { period_start: "2023-01-01", period_end: "2023-12-31" };
const tradeFields = (flow: string, reporter: string, partner: string, period = YEAR_2023, status = "reported") => ({ flow, reporter_iso3: reporter, partner_iso3: partner, ...period, status, commodity: null, quantity_tonnes: null });
const aidFields = (kind: string, extra: Record<string, string | number | null> = {}) => ({ donor_iso3: "KAZ", recipient_iso3: "AFG", kind, event_date: null, period_start: null, period_end: null, weight_tonnes: null, railcars: null, transport_mode: null, items: null, channel: null, place: null, ...extra });

const FACTS: ExtractedFact[] = [
  // "Kazakhstan–Afghanistan trade turnover reached 14 billion tenge in 2023": written KAZ first.
  fact({ table: "trade_flows", fields: tradeFields("turnover", "KAZ", "AFG"), money: { amount: 14e9, currency: "KZT" }, valueText: "14 billion tenge", field: "value_usd" }),
  // "Afghan imports from Kazakhstan rose 82.6% to $9.1 million in 2023" (no 2022 figure: an implied base).
  fact({ table: "trade_flows", fields: tradeFields("import", "AFG", "KAZ"), money: { amount: 9.1e6, currency: "USD" }, valueText: "$9.1 million", field: "value_usd", changes: [{ pct: 82.6, text: "82.6%", base_period_start: null, base_period_end: null }] }),
  // Aid valued in som at the 2023 average (87.8): 2,694,800,000 / 87.8 = 30692482.9... dollars.
  fact({ table: "aid_shipments", fields: aidFields("shipment", { event_date: "2023-05-10", weight_tonnes: 5000 }), money: { amount: 2_694_800_000, currency: "KGS" }, valueText: "5,000 tons", field: "weight_tonnes" }),
  fact({ table: "aid_shipments", fields: aidFields("aggregate", { period_start: "2021-01-01", period_end: "2023-12-31" }), money: { amount: 6.4e9, currency: "KZT", statedUsd: 12.7e6 }, valueText: "US$12.7 million", field: "value_usd", qualifier: "approx" }),
  fact({ table: "aid_shipments", fields: aidFields("pledge", { weight_tonnes: 1659 }), valueText: "1,659 tons", field: "weight_tonnes" }),
  // Parties written in the article's order, not sorted.
  fact({ table: "contracts", fields: { parties_iso3: "UZB;KAZ;AFG", seller_iso3: null, buyer_iso3: null, event_date: "2023-06-01", period_start: null, period_end: null, place: null, n_contracts: null, commodity: null, quantity_tonnes: null, status: "signed" }, money: { amount: 100e6, currency: "USD" }, valueText: "$100 million", field: "value_usd" }),
  // "More than 450 Afghan students study in Kazakhstan."
  fact({ table: "grants", fields: { donor_iso3: "KAZ", recipient_iso3: "AFG", program: null, grants_per_year: null, students: 450, institutions: null, period_start: null, period_end: null, status: "current" }, valueText: "More than 450", field: "students", qualifier: "at_least" }),
];

let dir: string;
let dataset: Dataset;
let db: ReadOnlyDb;
let ds: OpenedDataset;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conversions-test-"));
  dataset = await stagedInMemory({ source: memorySource([ARTICLE]), registry: new Map(), reference: REFERENCE, extract: () => ({ facts: FACTS, qa: [] }) });
  await publish(dataset, dir, INFO);
  db = await openReadOnly(join(dir, "dataset.duckdb"));
  ds = await openDataset(dir);
}, 60_000);

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

async function block(run: Notebook["run"], title: string): Promise<Row[]> {
  const blocks = (await run(ds, db)).flatMap((s) => s.blocks) as TableBlock[];
  return blocks.find((b) => b.kind === "table" && b.title === title)!.rows;
}

describe("precision helpers", () => {
  it("reads the precision a number was given with from its last non-zero digit", () => {
    expect(lastDigitHalfUnit(6.4e9)).toBe(5e7);
    expect(lastDigitHalfUnit(12_700_000)).toBe(50_000);
    expect(lastDigitHalfUnit(9.1)).toBeCloseTo(0.05, 12);
    expect(lastDigitHalfUnit(0)).toBe(0);
  });

  it("rounds to the coarsest power of ten the uncertainty allows, keeping at least the leading digit", () => {
    expect(roundToUncertainty(4983570.7, 28_800)).toBe(4_980_000);
    expect(roundToUncertainty(2.082858, 0.000325)).toBe(2.0829);
    expect(roundToUncertainty(503.937, 5.9)).toBe(500);
    expect(roundToUncertainty(0.1 + 0.2, 0)).toBe(0.3);
    expect(roundToUncertainty(7, 1000)).toBe(7);
  });
});

describe("recorded conversions", () => {
  it("records the rate, its basis and its year beside every converted amount, and nothing for USD", () => {
    const aid = dataset.aid_shipments;
    expect(aid.find((r) => r.kind === "shipment")).toMatchObject({ value_usd: 30692483, value_original: 2_694_800_000, currency_original: "KGS", usd_rate: 87.8, usd_rate_basis: "annual_average", usd_rate_year: 2023 });
    expect(aid.find((r) => r.kind === "aggregate")).toMatchObject({ value_usd: 12_700_000, currency_original: "KZT", usd_rate: 500, usd_rate_basis: "stated", usd_rate_year: null });
    expect(dataset.trade_flows.find((r) => r.flow === "turnover")).toMatchObject({ value_usd: 30690649, usd_rate: 456.165, usd_rate_basis: "annual_average", usd_rate_year: 2023 });
    expect(dataset.trade_flows.find((r) => r.flow === "import")).toMatchObject({ value_usd: 9_100_000, currency_original: "USD", usd_rate: null, usd_rate_basis: null, usd_rate_year: null });
    expect(dataset.contracts[0]).toMatchObject({ value_usd: 100_000_000, usd_rate: null, usd_rate_basis: null });
  });

  it("falls back to the nearest year's rate and says which year", () => {
    const [f] = normalizeFacts([fact({ table: "trade_flows", fields: tradeFields("export", "KAZ", "AFG", { period_start: "2025-01-01", period_end: "2025-12-31" }), money: { amount: 1e9, currency: "KGS" }, valueText: "1 billion som", field: "value_usd" })], new Map(), FX);
    expect(f!.fields).toMatchObject({ value_usd: 11_389_522, usd_rate: 87.8, usd_rate_basis: "nearest_year", usd_rate_year: 2023 });
    expect(f!.notes.map((n) => n.check)).toEqual(["fx_nearest_year"]);
  });

  it("publishes whole dollars only, with the rate columns in DuckDB, Parquet and the data dictionary", async () => {
    for (const table of ["trade_flows", "aid_shipments", "contracts"]) {
      const [row] = await db.rows(`SELECT count(*) AS n, count(value_usd) AS with_value FROM ${table} WHERE value_usd <> round(value_usd)`);
      expect(row).toEqual({ n: 0, with_value: 0 });
    }
    expect(await db.rows("SELECT count(*) AS n FROM aid_shipments WHERE usd_rate IS NOT NULL")).toEqual([{ n: 2 }]);
    const parquet = await fileQuery(`SELECT value_usd, usd_rate, usd_rate_basis, usd_rate_year::INTEGER AS usd_rate_year FROM '${join(dir, "aid_shipments.parquet")}' WHERE currency_original = 'KGS'`);
    expect(parquet).toEqual([{ value_usd: 30692483, usd_rate: 87.8, usd_rate_basis: "annual_average", usd_rate_year: 2023 }]);
    const readme = await readFile(join(dir, "README.md"), "utf8");
    expect(readme).toMatch(/\| `usd_rate` \| DOUBLE \| Exchange rate used to convert value_original into value_usd, in units of currency_original per US dollar/);
    expect(readme).toMatch(/\| `usd_rate_basis` \| VARCHAR \| Where usd_rate comes from: .* One of: `stated`, `annual_average`, `nearest_year`\. \|/);
  });

  it("rounds derived growth to its inputs' precision: $9.1 million after +82.6% implies 4980000", () => {
    const implied = dataset.growth_rates.find((g) => g.method === "implied");
    expect(implied).toMatchObject({ measure: "import", value: 9_100_000, base_value: 4_980_000, stated_change_pct: 82.6, ratio: 1.826 });
  });
});

describe("one canonical order for non-directional pairs", () => {
  it("stores a turnover pair and contract parties alphabetically", () => {
    expect(dataset.trade_flows.find((r) => r.flow === "turnover")).toMatchObject({ reporter_iso3: "AFG", partner_iso3: "KAZ" });
    expect(dataset.contracts[0]!.parties_iso3).toBe("AFG;KAZ;UZB");
  });

  it("reads the same pair from the table, the views and the report", async () => {
    const [table] = await db.rows("SELECT reporter_iso3, partner_iso3, record_id FROM trade_flows WHERE flow = 'turnover'");
    const [annual] = await db.rows("SELECT reporter_iso3, partner_iso3, reporter_name, partner_name, record_id FROM v_annual_trade WHERE flow = 'turnover'");
    const [point] = await db.rows("SELECT reporter_iso3, partner_iso3, record_id FROM v_series_points WHERE measure = 'turnover'");
    expect(table).toEqual({ reporter_iso3: "AFG", partner_iso3: "KAZ", record_id: table!.record_id });
    expect(annual).toEqual({ ...table, reporter_name: "Afghanistan", partner_name: "Kazakhstan" });
    expect(point).toEqual(table);
    const report = await block(tradeNotebook.run, "Annual trade");
    expect(report.filter((r) => r.record_id === table!.record_id).map((r) => r.series)).toEqual(["AFG–KAZ turnover"]);
  });

  it("refuses to publish a turnover pair in the other order", async () => {
    const reversed = { ...dataset.trade_flows.find((r) => r.flow === "turnover")!, reporter_iso3: "KAZ", partner_iso3: "AFG" };
    await expect(publish({ ...emptyDataset(), trade_flows: [reversed] }, join(dir, "reversed"), INFO)).rejects.toThrow(/turnover pair KAZ, AFG is not in alphabetical order/);
  });
});

describe("countries", () => {
  it("holds every code any table uses, parties lists included, with names and regions", async () => {
    expect(await db.rows("SELECT iso3, name, region, subregion FROM countries ORDER BY iso3")).toEqual([
      { iso3: "AFG", name: "Afghanistan", region: "Asia", subregion: "Southern Asia" },
      { iso3: "KAZ", name: "Kazakhstan", region: "Asia", subregion: "Central Asia" },
      { iso3: "UZB", name: "Uzbekistan", region: "Asia", subregion: "Central Asia" },
    ]);
  });

  it("is a Data Package resource that the fact tables' country columns reference", async () => {
    const pkg = JSON.parse(await readFile(join(dir, "datapackage.json"), "utf8")) as { resources: { name: string; schema: { primaryKey: string[]; foreignKeys: { fields: string[]; reference: { resource: string } }[] } }[] };
    const resource = (name: string) => pkg.resources.find((r) => r.name === name)!;
    expect(resource("countries").schema.primaryKey).toEqual(["iso3"]);
    const toCountries = (name: string) => resource(name).schema.foreignKeys.filter((k) => k.reference.resource === "countries").map((k) => k.fields[0]);
    expect(toCountries("trade_flows")).toEqual(["reporter_iso3", "partner_iso3"]);
    expect(toCountries("aid_shipments")).toEqual(["donor_iso3", "recipient_iso3"]);
    expect(toCountries("contracts")).toEqual(["seller_iso3", "buyer_iso3"]);
    expect(toCountries("grants")).toEqual(["donor_iso3", "recipient_iso3"]);
  });
});

describe("grants qualifier", () => {
  it("keeps 'more than 450 students' as at_least 450, in the table and the report", async () => {
    expect(dataset.grants[0]).toMatchObject({ students: 450, qualifier: "at_least" });
    const rows = await block(grantsNotebook.run, "Grants, students and institutions");
    expect(rows.map((r) => [r.students, r.qualifier])).toEqual([[450, "at_least"]]);
    const text = (await grantsNotebook.run(ds, db)).flatMap((s) => s.blocks).find((b) => b.kind === "text")!;
    expect(text).toMatchObject({ text: "Hosted by Kazakhstan, for students from Afghanistan (current): at least 450 students." });
  });
});

describe("v_targets_vs_actuals", () => {
  it("measures an aid pledge against delivered totals only, never against one shipment", async () => {
    const rows = await db.rows("SELECT table_name, status, target_value, actual_value, actual_record_id FROM v_targets_vs_actuals WHERE table_name = 'aid_shipments'");
    // The 5,000 t shipment is the only delivered tonnage: a single delivery, so the 1,659 t pledge has nothing to compare.
    expect(rows).toEqual([{ table_name: "aid_shipments", status: "pledge", target_value: 1659, actual_value: null, actual_record_id: null }]);
  });
});
