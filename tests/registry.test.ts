/**
 * A fact table added only as a registry entry (schema/registry.ts) flows through corrections, reconcile,
 * derive and publish (Parquet, CSV, DuckDB and its views, datapackage, README) and eval, in memory and in the
 * archive build alike, with no other edit. Its facts come from `add` corrections: extraction rules for it would
 * be the one other thing a real table adds.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadCorrections } from "../pipeline/corrections/read.ts";
import { scoreCorpus } from "../pipeline/eval/score.ts";
import { parseGold } from "../pipeline/eval/gold.ts";
import { listInputs, readRegistry } from "../pipeline/ingest/read.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { ExtractCache } from "../pipeline/ops/cache.ts";
import { Store } from "../pipeline/ops/store.ts";
import type { Logger } from "../pipeline/ops/log.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { buildDataset, folderSource, runStages } from "../pipeline/run.ts";
import { FACT_TABLES, TABLES, type Dataset } from "../pipeline/schema/tables.ts";
import { snapshot } from "./fixtures/snapshot.ts";

vi.mock("../pipeline/schema/registry.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../pipeline/schema/registry.ts")>();
  const { z } = await import("zod");
  const { col } = await import("../pipeline/schema/columns.ts");
  const { amount } = await import("../pipeline/eval/rules.ts");
  const c = real.contracts.shape;
  const investments = {
    name: "investments",
    description: "Toy fact table: direct investment from one country into another, made or pledged.",
    schema: z.object({
      record_id: real.recordColumns.record_id(),
      investor_iso3: col.text("Investing country"),
      host_iso3: col.text("Country invested in"),
      sector: col.text("Sector invested in"),
      period_start: col.date("First day of the period"),
      period_end: col.date("Last day of the period"),
      value_usd: c.value_usd,
      value_original: c.value_original,
      currency_original: c.currency_original,
      usd_rate: c.usd_rate,
      usd_rate_basis: c.usd_rate_basis,
      usd_rate_year: c.usd_rate_year,
      status: col.requiredOneOf(["made", "pledged"], "made, or pledged"),
      qualifier: c.qualifier,
      ...real.recordColumns.provenance(),
    }),
    measures: { usd: "value_usd" },
    primaryMeasure: (f: { fields: Record<string, unknown> }) => ({ name: "usd", value: (f.fields.value_usd as number | null) ?? null }),
    key: ["investor_iso3", "host_iso3", "sector", "period_start", "period_end", "status"],
    datedConflict: "one_fact",
    amounts: { value_usd: "USD" },
    series: { pair: { from: "investor_iso3", to: "host_iso3" }, measure: null, status: "status", actual: ["made"], compares: { pledged: ["made"] }, commodity: "sector" },
    eval: {
      keys: ["investor_iso3", "host_iso3", "status"],
      gold: { status: z.enum(["made", "pledged"]), value_usd: amount },
      matches: (g: { status: string }, p: { status: string }) => g.status === p.status,
      describe: (v: (k: string) => string) => [v("status"), `${v("investor_iso3")}→${v("host_iso3")}`],
    },
  };
  return { ...real, FACT_TABLE_DEFS: [...real.FACT_TABLE_DEFS, investments] };
});

const quiet: Logger = { info() {}, warn() {}, progress() {} };
const info = { name: "t", title: "t", version: "0.0.0", sources: [] };
const SENTENCE = "Kazakhstan invested $100 million in Afghanistan's mining sector in 2024.";
const PLEDGE = "It has pledged $300 million more for the sector.";
const made = JSON.stringify({ investor_iso3: "KAZ", host_iso3: "AFG", sector: "mining", period_start: "2024-01-01", period_end: "2024-12-31", status: "made", value_usd: 100000000 });
const pledged = JSON.stringify({ investor_iso3: "KAZ", host_iso3: "AFG", sector: "mining", status: "pledged", value_usd: 300000000 });
const csvCell = (s: string) => `"${s.replaceAll('"', '""')}"`;

let root: string;
let input: string;
let sources: string;
type WithToy = Dataset & { investments: Record<string, unknown>[] };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "registry-test-"));
  input = join(root, "in");
  sources = join(root, "sources");
  await mkdir(input);
  await cp(DEFAULT_SOURCES, sources, { recursive: true });
  await writeFile(join(input, "a1.md"), `---\nid: a1\ntitle: One\npublished: 2025-02-01\n---\n${SENTENCE} ${PLEDGE}\n`);
  await writeFile(join(input, "a2.md"), `---\nid: a2\ntitle: Two\npublished: 2025-02-03\n---\nOfficials said ${SENTENCE}\n`);
  await writeFile(
    join(sources, "corrections", "corrections.csv"),
    [
      "id,action,article_id,table,quote,field,value,reason,reviewer,date",
      `t1,add,a1,investments,invested $100 million,,${csvCell(made)},toy,t,2026-01-01`,
      `t2,add,a2,investments,invested $100 million,,${csvCell(made)},toy,t,2026-01-01`,
      `t3,add,a1,investments,pledged $300 million,,${csvCell(pledged)},toy,t,2026-01-01`,
      `t4,set,a1,investments,pledged $300 million,value_usd,350000000,toy,t,2026-01-01`,
    ].join("\n") + "\n",
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("a fact table that is only a registry entry", () => {
  it("is a table with a schema, a datapackage resource and a README section", () => {
    expect(FACT_TABLES).toContain("investments");
    const def = TABLES.find((t) => t.name === "investments")!;
    expect(def.foreignKeys.map((k) => k.fields[0])).toEqual(["investor_iso3", "host_iso3"]);
    expect(TABLES.find((t) => t.name === "evidence")!.schema.shape.table_name.safeParse("investments").success).toBe(true);
  });

  it("is reconciled, published and scored the same in memory and in the archive build", async () => {
    const { dataset } = (await buildDataset({ input, sourcesDir: sources })) as { dataset: WithToy };
    expect(dataset.corrections_unmatched).toEqual([]);
    const rows = dataset.investments;
    expect(rows).toHaveLength(2);
    const madeRow = rows.find((r) => r.status === "made")!;
    expect(madeRow).toMatchObject({ investor_iso3: "KAZ", host_iso3: "AFG", sector: "mining", value_usd: 100000000, n_sources: 2, as_of: "2025-02-01", reviewed: true });
    expect(rows.find((r) => r.status === "pledged")).toMatchObject({ sector: "mining", value_usd: 350000000, n_sources: 1 });
    expect(dataset.evidence.filter((e) => e.table_name === ("investments" as string)).map((e) => e.rule).sort()).toEqual(["review:t1", "review:t2", "review:t3", "review:t4"]);
    expect(dataset.qa_checks.filter((q) => q.table_name === ("investments" as string))).toEqual([]);

    const memory = join(root, "memory");
    await publish(dataset, memory, info);
    const csv = await readFile(join(memory, "investments.csv"), "utf8");
    expect(csv.split("\r\n")[0]).toBe("record_id,investor_iso3,host_iso3,sector,period_start,period_end,value_usd,value_original,currency_original,usd_rate,usd_rate_basis,usd_rate_year,status,qualifier,n_sources,as_of,confidence,needs_review,reviewed");
    expect(csv).toContain(`${madeRow.record_id},KAZ,AFG,mining,2024-01-01,2024-12-31,100000000,100000000,USD,,,,made,exact,2,2025-02-01,1,false,true`);
    const pkg = JSON.parse(await readFile(join(memory, "datapackage.json"), "utf8"));
    const resource = pkg.resources.find((r: { name: string }) => r.name === "investments");
    expect(resource.schema.fields.map((f: { name: string }) => f.name)).toContain("sector");
    expect(resource.schema.primaryKey).toEqual(["record_id"]);
    expect(await readFile(join(memory, "README.md"), "utf8")).toContain("### investments");
    const countries = await readFile(join(memory, "countries.csv"), "utf8");
    expect(countries).toContain("KAZ,");

    const db = await DuckDBInstance.create(join(memory, "dataset.duckdb"), { access_mode: "READ_ONLY" });
    const connection = await db.connect();
    const query = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
    expect(await query("SELECT count(*)::INTEGER AS n FROM investments")).toEqual([{ n: 2 }]);
    expect(await query("SELECT count(*)::INTEGER AS n FROM v_facts WHERE table_name = 'investments'")).toEqual([{ n: 2 }]);
    expect(await query("SELECT measure, unit, reporter_iso3, partner_iso3, commodity, value, is_actual FROM v_series_points WHERE table_name = 'investments' ORDER BY value")).toEqual([
      { measure: "value_usd", unit: "USD", reporter_iso3: "KAZ", partner_iso3: "AFG", commodity: "mining", value: 100000000, is_actual: true },
      { measure: "value_usd", unit: "USD", reporter_iso3: "KAZ", partner_iso3: "AFG", commodity: "mining", value: 350000000, is_actual: false },
    ]);
    expect(await query("SELECT status, target_value, actual_value, actual_pct_of_target FROM v_targets_vs_actuals WHERE table_name = 'investments'")).toEqual([
      { status: "pledged", target_value: 350000000, actual_value: 100000000, actual_pct_of_target: 28.6 },
    ]);
    connection.closeSync();

    const gold = parseGold({ article_id: "a1", investments: [{ status: "made", value_usd: 100000000 }, { status: "pledged", value_usd: 300000000 }] });
    // Eval scores the figure the article states (the added 300 million), not the reviewer's corrected one.
    const report = scoreCorpus([gold], dataset);
    expect((report.tables as Record<string, { tp: number; fp: number; fn: number }>).investments).toMatchObject({ tp: 2, fp: 0, fn: 0 });

    const [registry, reference, corrections, files] = await Promise.all([readRegistry(sources), loadReference(sources), loadCorrections(sources), listInputs(input)]);
    const scratch = await mkdtemp(join(root, "stage-"));
    const store = await Store.open(scratch);
    const streamed = join(root, "streamed");
    try {
      const built = await runStages({ source: folderSource(input, files), registry, reference, corrections, cache: new ExtractCache(join(root, "cache"), "test"), store, scratch, log: quiet });
      await publish(built.dataset, streamed, info);
    } finally {
      store.close();
    }
    expect(await snapshot(streamed)).toEqual(await snapshot(memory));
  }, 120_000);
});
