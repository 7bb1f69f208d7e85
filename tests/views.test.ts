import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../pipeline/publish/publish.ts";
import { VIEWS } from "../pipeline/publish/views.ts";
import { openReadOnly, type ReadOnlyDb } from "../pipeline/report/db.ts";
import { formatTextTable } from "../pipeline/report/textTable.ts";
import { TABLES } from "../pipeline/schema/tables.ts";
import { DIGIT_ID, emptyDataset, INFO, smallDataset } from "./fixtures/smallDataset.ts";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

let dir: string;
let db: ReadOnlyDb;
let emptyDb: ReadOnlyDb;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "views-test-"));
  await publish(smallDataset(), join(dir, "small"), INFO);
  await publish(emptyDataset(), join(dir, "empty"), INFO);
  db = await openReadOnly(join(dir, "small", "dataset.duckdb"));
  emptyDb = await openReadOnly(join(dir, "empty", "dataset.duckdb"));
});

afterAll(async () => {
  db.close();
  emptyDb.close();
  await rm(dir, { recursive: true, force: true });
});

describe("views in dataset.duckdb", () => {
  it("creates every view, documented with a comment", async () => {
    const views = await db.rows("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY view_name");
    expect(views.map((v) => v.view_name)).toEqual(VIEWS.map((v) => v.name).sort());
    for (const v of views) expect(v.comment).toBe(VIEWS.find((d) => d.name === v.view_name)!.description);
  });

  it("v_annual_trade: whole years only, turnover pair canonical, growth when the previous year exists", async () => {
    const rows = await db.rows("SELECT reporter_iso3, partner_iso3, flow, year, value_usd, previous_value_usd, yoy_change_pct, stated_change_pct, record_id FROM v_annual_trade");
    expect(rows).toEqual([
      { reporter_iso3: "AFG", partner_iso3: "KAZ", flow: "turnover", year: 2021, value_usd: 474300000, previous_value_usd: null, yoy_change_pct: null, stated_change_pct: null, record_id: "t21" },
      { reporter_iso3: "AFG", partner_iso3: "KAZ", flow: "turnover", year: 2022, value_usd: 987900000, previous_value_usd: 474300000, yoy_change_pct: 108.29, stated_change_pct: 110, record_id: "t22" },
      { reporter_iso3: "KAZ", partner_iso3: "AFG", flow: "export", year: 2022, value_usd: 978900000, previous_value_usd: null, yoy_change_pct: null, stated_change_pct: null, record_id: "x22" },
      { reporter_iso3: "KAZ", partner_iso3: "AFG", flow: "import", year: 2022, value_usd: 9100000, previous_value_usd: null, yoy_change_pct: null, stated_change_pct: null, record_id: "m22" },
    ]);
  });

  it("v_latest_series: the latest actual per series, undated figures placed at their article's date", async () => {
    const rows = await db.rows(`SELECT table_name, measure, unit, reporter_iso3, partner_iso3, status, value, CAST(as_of AS VARCHAR) AS as_of, n_values, record_id
      FROM v_latest_series WHERE table_name IN ('trade_flows', 'grants')`);
    expect(rows).toEqual([
      { table_name: "grants", measure: "grants_per_year", unit: "grants per year", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "current", value: 30, as_of: "2025-04-24", n_values: 1, record_id: "g1" },
      { table_name: "grants", measure: "institutions", unit: "institutions", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "current", value: 34, as_of: "2025-04-24", n_values: 1, record_id: "g3" },
      { table_name: "grants", measure: "students", unit: "students", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "current", value: 610, as_of: "2025-04-24", n_values: 1, record_id: "g3" },
      { table_name: "trade_flows", measure: "export", unit: "USD", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value: 978900000, as_of: "2022-12-31", n_values: 1, record_id: "x22" },
      { table_name: "trade_flows", measure: "export", unit: "tonnes", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value: 272.728, as_of: "2023-05-31", n_values: 1, record_id: DIGIT_ID },
      { table_name: "trade_flows", measure: "import", unit: "USD", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value: 9100000, as_of: "2022-12-31", n_values: 1, record_id: "m22" },
      // Four reported turnover figures, one series: the undated "$1 billion" of the 2025 article is the latest.
      { table_name: "trade_flows", measure: "turnover", unit: "USD", reporter_iso3: "AFG", partner_iso3: "KAZ", status: "reported", value: 1000000000, as_of: "2025-04-24", n_values: 4, record_id: "now" },
    ]);
  });

  it("v_series_points: a stated day stands in for a missing period; contracts split into first party and the rest", async () => {
    const rows = await db.rows(`SELECT record_id, measure, CAST(period_start AS VARCHAR) AS s, CAST(period_end AS VARCHAR) AS e, reporter_iso3, partner_iso3, value, qualifier
      FROM v_series_points WHERE table_name IN ('aid_shipments', 'contracts') ORDER BY record_id, measure`);
    expect(rows).toEqual([
      { record_id: "agg", measure: "value_usd", s: "2021-01-01", e: "2025-12-31", reporter_iso3: "KAZ", partner_iso3: "AFG", value: 12700000, qualifier: "approx" },
      { record_id: "c1", measure: "value_usd", s: "2024-10-24", e: "2024-10-24", reporter_iso3: "AFG", partner_iso3: "KAZ", value: 100000000, qualifier: "exact" },
      { record_id: "c2", measure: "value_usd", s: null, e: null, reporter_iso3: "AFG", partner_iso3: "KAZ", value: 4000000, qualifier: "exact" },
      { record_id: "s1", measure: "railcars", s: "2023-04-17", e: "2023-04-17", reporter_iso3: "KAZ", partner_iso3: "AFG", value: 36, qualifier: "at_least" },
      { record_id: "s1", measure: "weight_tonnes", s: "2023-04-17", e: "2023-04-17", reporter_iso3: "KAZ", partner_iso3: "AFG", value: 2200, qualifier: "at_least" },
      { record_id: "s2", measure: "weight_tonnes", s: "2022-08-01", e: "2022-08-31", reporter_iso3: "KAZ", partner_iso3: "AFG", value: 20, qualifier: "approx" },
    ]);
  });

  it("v_targets_vs_actuals: the $3 billion target against the latest whole-year or undated turnover, with country names", async () => {
    const rows = await db.rows(`SELECT table_name, measure, reporter_name, partner_name, status, actual_status, target_value, actual_value, actual_pct_of_target, target_record_id, actual_record_id,
        CAST(actual_first_published AS VARCHAR) AS published FROM v_targets_vs_actuals`);
    expect(rows).toEqual([
      { table_name: "grants", measure: "grants_per_year", reporter_name: "Kazakhstan", partner_name: "Afghanistan", status: "planned", actual_status: "current", target_value: 60, actual_value: 30, actual_pct_of_target: 50, target_record_id: "g2", actual_record_id: "g1", published: "2025-04-24" },
      { table_name: "trade_flows", measure: "turnover", reporter_name: "Afghanistan", partner_name: "Kazakhstan", status: "target", actual_status: "reported", target_value: 3000000000, actual_value: 1000000000, actual_pct_of_target: 33.3, target_record_id: "tgt", actual_record_id: "now", published: "2025-04-24" },
    ]);
  });

  it("v_facts_with_sources: every fact with its quote and article", async () => {
    const [count] = await db.rows("SELECT count(*) AS n, count(DISTINCT record_id) AS records FROM v_facts_with_sources");
    const data = smallDataset();
    expect(count).toEqual({ n: data.evidence.length, records: data.trade_flows.length + data.aid_shipments.length + data.contracts.length + data.grants.length });
    const [c1] = await db.rows("SELECT table_name, parties_iso3, place, value_usd, quote, value_text, title, publisher, url, CAST(published_date AS VARCHAR) AS published FROM v_facts_with_sources WHERE record_id = 'c1'");
    expect(c1).toEqual({
      table_name: "contracts",
      parties_iso3: "AFG;KAZ",
      place: "Алматы",
      value_usd: 100000000,
      quote: "signed contracts worth $100 million",
      value_text: "$100 million",
      title: '=HYPERLINK("http://evil.example/","Trade via Mazār-i-Sharīf")', // the database keeps the original text
      publisher: "Ariana News",
      url: "https://example.org/a3",
      published: "2024-10-31",
    });
  });

  it("works on an empty dataset", async () => {
    for (const view of VIEWS) expect(await emptyDb.rows(`SELECT * FROM ${view.name}`)).toEqual([]);
  });
});

describe("workbook", () => {
  it("is listed in datapackage.json with its size, hash and sheets", async () => {
    const pkg = JSON.parse(await readFile(join(dir, "small", "datapackage.json"), "utf8"));
    const workbook = await readFile(join(dir, "small", "dataset.xlsx"));
    expect(pkg.workbook).toEqual({
      path: "dataset.xlsx",
      description: expect.stringContaining("facts sheet"),
      format: "xlsx",
      mediatype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      bytes: workbook.length,
      hash: `sha256:${createHash("sha256").update(workbook).digest("hex")}`,
      sheets: ["facts", ...TABLES.map((t) => t.name)],
    });
    expect(pkg.resources.some((r: Record<string, unknown>) => "excel" in r)).toBe(false);
  });

  it("is documented in the generated README, as are the views and the citation", async () => {
    const readme = await readFile(join(dir, "small", "README.md"), "utf8");
    expect(readme).toContain("- `dataset.xlsx`: the tables for spreadsheet programs, a sheet each after a `facts` sheet");
    expect(readme).toContain("Files: `trade_flows.parquet`, `trade_flows.arrow`, `trade_flows.csv`; sheet `trade_flows` of `dataset.xlsx`.");
    expect(readme).toContain("`value_text` \"2,000\" becomes the number 2000");
    for (const view of VIEWS) expect(readme).toContain(`| \`${view.name}\` |`);
    expect(readme).toContain("> Small test dataset. Dataset `small-test`, version 0.0.1. CC-BY-4.0.");
    expect(readme).toMatch(/Page chrome/);
    expect(readme).toMatch(/Unresolved dates stay null/);
  });
});

describe("npm run query", () => {
  const query = (...args: string[]) => run("npx", ["tsx", "pipeline/query.ts", ...args], { cwd: root });

  it("prints an aligned text table", async () => {
    const { stdout } = await query("--db", join(dir, "small", "dataset.duckdb"), "SELECT flow, year, value_usd, yoy_change_pct FROM v_annual_trade WHERE flow = 'turnover'");
    expect(stdout).toBe(
      [
        "flow     | year | value_usd | yoy_change_pct",
        "---------+------+-----------+---------------",
        "turnover | 2021 | 474300000 |           NULL",
        "turnover | 2022 | 987900000 |         108.29",
        "(2 rows)",
        "",
      ].join("\n"),
    );
  }, 30_000);

  it("opens the database read-only", async () => {
    const failed = await query("--db", join(dir, "small", "dataset.duckdb"), "DELETE FROM trade_flows").then(() => null, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/read-only/i);
    expect((await db.rows("SELECT count(*) AS n FROM trade_flows"))[0]).toEqual({ n: 8 });
  }, 30_000);

  it("exits 2 on a usage error", async () => {
    const failed = await query().then(() => null, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("usage: npm run query");
  }, 30_000);
});

describe("formatTextTable", () => {
  it("pads by code point, right-aligns numbers and marks line breaks", () => {
    const text = formatTextTable({ columns: ["place", "n"], types: ["VARCHAR", "BIGINT"], rows: [["Mazār-i-Sharīf", 36], ["two\nlines", null]] });
    expect(text).toBe(["place          |    n", "---------------+-----", "Mazār-i-Sharīf |   36", "two⏎lines      | NULL", "(2 rows)", ""].join("\n"));
  });
});
