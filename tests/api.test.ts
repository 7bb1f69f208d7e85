import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReadOnly, type ReadOnlyDb } from "../pipeline/report/db.ts";
import { TABLES } from "../pipeline/schema/tables.ts";
import { fileQuery } from "./fixtures/fileQuery.ts";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
let work: string;
let out: string;
let db: ReadOnlyDb;

/** Builds the dataset from the seeds with the CLI, as a user would. */
async function pipeline(dir: string): Promise<void> {
  await run(process.execPath, [tsx, join(root, "pipeline/cli.ts"), "--out", dir, "--no-report", "--cache", join(work, "cache")], { cwd: root });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "api-"));
  out = join(work, "out");
  await pipeline(out);
  db = await openReadOnly(join(out, "dataset.duckdb"));
}, 300_000);

afterAll(async () => {
  db?.close();
  await rm(work, { recursive: true, force: true });
});

describe("the package API, imported by its name from a script outside the repository", () => {
  it("computes Kazakhstan's exports to Afghanistan by year and aid tonnes by donor as the SQL views do", async () => {
    const user = join(work, "user");
    await mkdir(join(user, "node_modules"), { recursive: true });
    await symlink(root, join(user, "node_modules", "afghan-trade-dataset"), "dir");
    await copyFile(join(root, "tests/fixtures/apiUser.ts"), join(user, "script.mts"));
    const { stdout } = await run(process.execPath, [tsx, join(user, "script.mts"), out], { cwd: user });
    const got = JSON.parse(stdout);

    const annual = await db.rows(
      "SELECT year, value_usd, previous_value_usd, yoy_change_pct, stated_change_pct FROM v_annual_trade WHERE reporter_iso3 = 'KAZ' AND partner_iso3 = 'AFG' AND flow = 'export' AND commodity IS NULL ORDER BY year",
    );
    expect(annual).toEqual([{ year: 2022, value_usd: 978900000, previous_value_usd: null, yoy_change_pct: null, stated_change_pct: 110 }]);
    expect(got.exportsByYear).toEqual(annual.map((r) => ({ year: r.year, value_usd: r.value_usd })));
    expect(got.exportsGrowth).toEqual(annual.map((r) => ({ year: r.year, value: r.value_usd, previous_value: r.previous_value_usd, change_pct: r.yoy_change_pct, stated_change_pct: r.stated_change_pct })));

    const aid = await db.rows(
      "SELECT reporter_iso3 AS donor_iso3, sum(value) AS tonnes FROM v_series_points WHERE table_name = 'aid_shipments' AND measure = 'weight_tonnes' AND status = 'shipment' GROUP BY ALL ORDER BY ALL",
    );
    expect(aid).toEqual([{ donor_iso3: "KAZ", tonnes: 2220 }]);
    expect(got.aidTonnesByDonor).toEqual(aid);
    expect(got.aidSeries).toEqual(aid.map((r) => ({ reporter_iso3: r.donor_iso3, tonnes: r.tonnes })));

    expect(got.tables).toEqual(TABLES.map((t) => t.name));
  }, 120_000);
});

/** The Arrow type apache-arrow prints for each DuckDB type the dataset uses. */
const ARROW_OF_DUCKDB: Record<string, string> = { VARCHAR: "Utf8", DATE: "Date32<DAY>", DOUBLE: "Float64", BIGINT: "Int64", BOOLEAN: "Bool" };

describe("Arrow IPC files", () => {
  it("each <table>.arrow reads back with apache-arrow with its Parquet file's row count, columns and types", async () => {
    for (const { name } of TABLES) {
      const arrow = tableFromIPC(await readFile(join(out, `${name}.arrow`)));
      const parquet = join(out, `${name}.parquet`);
      const columns = await fileQuery(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${parquet}'))`);
      const [{ n }] = (await fileQuery(`SELECT count(*)::INTEGER AS n FROM read_parquet('${parquet}')`)) as [{ n: number }];
      expect({ name, rows: arrow.numRows, fields: arrow.schema.fields.map((f) => [f.name, String(f.type)]) }).toEqual({
        name,
        rows: n,
        fields: columns.map((c) => [c.column_name, ARROW_OF_DUCKDB[c.column_type as string] ?? `no Arrow type for ${c.column_type}`]),
      });
    }
    const trade = tableFromIPC(await readFile(join(out, "trade_flows.arrow")));
    expect(trade.numRows).toBeGreaterThan(0);
    const kazExports2022 = trade.toArray().find((r) => r.reporter_iso3 === "KAZ" && r.flow === "export" && r.period_start === Date.UTC(2022, 0, 1));
    expect(kazExports2022?.toJSON()).toMatchObject({ partner_iso3: "AFG", period_end: Date.UTC(2022, 11, 31), value_usd: 978900000, n_sources: 1n });
  });

  it("are listed in datapackage.json with their bytes and hash, and are byte-identical on a rerun", async () => {
    const pkg = JSON.parse(await readFile(join(out, "datapackage.json"), "utf8")) as { resources: { name: string; arrow: { path: string; bytes: number; hash: string } }[] };
    const sha = async (dir: string, path: string) => createHash("sha256").update(await readFile(join(dir, path))).digest("hex");
    expect(pkg.resources.map((r) => r.arrow.path)).toEqual(TABLES.map((t) => `${t.name}.arrow`));
    for (const { arrow } of pkg.resources) {
      expect(arrow.hash).toBe(`sha256:${await sha(out, arrow.path)}`);
      expect(arrow.bytes).toBe((await readFile(join(out, arrow.path))).length);
    }
    const again = join(work, "again");
    await pipeline(again);
    for (const { arrow } of pkg.resources) expect(await sha(again, arrow.path), arrow.path).toBe(await sha(out, arrow.path));
  }, 300_000);
});
