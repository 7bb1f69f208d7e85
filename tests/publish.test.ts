import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TABLES, columnsOf, type Dataset } from "../pipeline/schema/tables.ts";
import { ByteBuffer } from "../pipeline/publish/byteBuffer.ts";
import { appendRecord, csvHeader, formatCell, formatDouble, neutralizeFormula } from "../pipeline/publish/csv.ts";
import { compareCodePoints } from "../pipeline/publish/rows.ts";
import { epochDay } from "../pipeline/publish/sqlTypes.ts";
import { publish, type PublishInfo } from "../pipeline/publish/publish.ts";

// Lets one test make the final rename of the swap fail, to prove the old folder survives it.
const swapFault = vi.hoisted(() => ({ failInto: null as string | null }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (swapFault.failInto !== null && to === swapFault.failInto && from.includes(".tmp-")) {
        throw Object.assign(new Error("injected rename failure"), { code: "EIO" });
      }
      return actual.rename(from, to);
    },
  };
});

const INFO: PublishInfo = {
  name: "afghan-trade-test",
  title: "Test dataset",
  version: "0.0.1",
  sources: [{ title: "Seed articles", path: "seeds/", description: "Hand-made test rows" }],
};

const HASH = "a".repeat(64);

function emptyDataset(): Dataset {
  return {
    articles: [],
    trade_flows: [],
    aid_shipments: [],
    aid_items: [],
    contracts: [],
    grants: [],
    evidence: [],
    growth_rates: [],
    qa_checks: [],
    rejected: [],
    corrections_unmatched: [],
  };
}

/** Rows deliberately out of key order, so sorting is observable. */
function sampleDataset(): Dataset {
  return {
    ...emptyDataset(),
    articles: [
      {
        article_id: "a2",
        title: "=cmd|' /C calc'!A0",
        publisher: "Kabul Now",
        url: "https://example.org/a2",
        published_date: null,
        published_basis: null,
        source_file: "a2.txt",
        sha256: HASH,
        n_chars: 800,
        n_chrome_chars: null,
      },
      {
        article_id: "a1",
        title: "Trade via Mazār-e Sharīf grows",
        publisher: "Kazinform",
        url: "https://example.org/a1",
        published_date: "2023-08-04",
        published_basis: "registry",
        source_file: "a1.txt",
        sha256: HASH,
        n_chars: 1200,
        n_chrome_chars: 35,
      },
    ],
    trade_flows: [
      {
        record_id: "tf2",
        reporter_iso3: "AFG",
        partner_iso3: "KAZ",
        flow: "turnover",
        period_start: "2022-01-01",
        period_end: "2022-12-31",
        status: "reported",
        value_usd: 987900000,
        quantity_tonnes: null,
        commodity: null,
        value_original: null,
        currency_original: "USD",
        usd_rate: null,
        usd_rate_basis: null,
        usd_rate_year: null,
        qualifier: "exact",
        as_of: "2023-08-04",
        n_sources: 2,
        confidence: 0.92,
        needs_review: false,
        reviewed: false,
      },
      {
        record_id: "tf1",
        reporter_iso3: "KAZ",
        partner_iso3: "AFG",
        flow: "export",
        period_start: "2023-01-01",
        period_end: "2023-05-31",
        status: "reported",
        value_usd: null,
        quantity_tonnes: 272.728,
        commodity: "flour, wheat",
        value_original: null,
        currency_original: null,
        usd_rate: null,
        usd_rate_basis: null,
        usd_rate_year: null,
        qualifier: "approx",
        as_of: null,
        n_sources: 1,
        confidence: 0.65,
        needs_review: true,
        reviewed: false,
      },
    ],
    evidence: [
      {
        evidence_id: "e2",
        record_id: "tf2",
        table_name: "trade_flows",
        article_id: "a1",
        char_start: 10,
        char_end: 60,
        quote: 'Turnover via Mazār-e Sharīf, "the hub",\nreached $987.9 million',
        value_text: "$987.9 million",
        field: "value_usd",
        stated_value: 987900000,
        rule: "money.turnover",
        confidence: 0.9,
      },
      {
        evidence_id: "e1",
        record_id: "tf1",
        table_name: "trade_flows",
        article_id: "a2",
        char_start: 0,
        char_end: 30,
        quote: "272 tons 728 kilograms of flour",
        value_text: "-272 tons 728 kilograms",
        field: "quantity_tonnes",
        stated_value: -272.728,
        rule: "tonnes.compound",
        confidence: 0.75,
      },
    ],
  };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function query(sql: string, attach?: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    if (attach) await connection.run(`ATTACH '${attach}' AS ds (READ_ONLY)`);
    const result = await connection.run(sql);
    return (await result.getRowObjectsJS()) as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Minimal RFC 4180 reader for assertions (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") record.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), i++;
    else field += ch;
  }
  expect(field).toBe(""); // the text ends with a record terminator
  return records;
}

async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await listDir(dir)) {
    if (/\.(parquet|csv|json|md|xlsx)$/.test(name)) out[name] = sha256(await readFile(join(dir, name)));
  }
  return out;
}

describe("csv cell policy", () => {
  it("neutralizes text that a spreadsheet would run as a formula", () => {
    for (const text of ["=cmd", "+1", "-2", "@SUM(A1)", "\tx", "\rx"]) expect(neutralizeFormula(text)).toBe(`'${text}`);
    for (const text of ["cmd=1", "Mazār-e Sharīf", "", " =x", "'quoted"]) expect(neutralizeFormula(text)).toBe(text);
  });

  it("never prefixes numbers or dates, only text", () => {
    expect(formatCell(-5, "DOUBLE")).toBe("-5");
    expect(formatCell(-3, "BIGINT")).toBe("-3");
    expect(formatCell("2023-01-01", "DATE")).toBe("2023-01-01");
    expect(formatCell("-5", "VARCHAR")).toBe("'-5");
    expect(formatCell(true, "BOOLEAN")).toBe("true");
    expect(formatCell(false, "BOOLEAN")).toBe("false");
    expect(formatCell(null, "VARCHAR")).toBe("");
  });

  it("writes doubles in plain decimal with at most 15 significant digits", () => {
    expect(formatDouble(987900000)).toBe("987900000");
    expect(formatDouble(272.728)).toBe("272.728");
    expect(formatDouble(0.1 + 0.2)).toBe("0.3");
    expect(formatDouble(1e-7)).toBe("0.0000001");
    expect(formatDouble(1.5e21)).toBe("1500000000000000000000");
    expect(formatDouble(-0.000123)).toBe("-0.000123");
    expect(formatDouble(-0)).toBe("0");
    expect(formatDouble(12.5)).toBe("12.5");
    expect(formatDouble(4975903614.457831)).toBe("4975903614.45783");
  });

  it("quotes fields per RFC 4180 and keeps empty text distinct from null", () => {
    const columns = [
      { name: "a", sql: "VARCHAR" as const, description: "" },
      { name: "b", sql: "DOUBLE" as const, description: "" },
    ];
    const published = new ByteBuffer();
    published.text(csvHeader(columns));
    for (const row of [{ a: 'say "hi", then\nleave', b: 1 }, { a: "", b: null }, { a: null, b: 2.5 }, { a: "bare\rcr", b: 0 }]) appendRecord(columns, row, published);
    expect(published.view().toString("utf8")).toBe('a,b\r\n"say ""hi"", then\nleave",1\r\n"",\r\n,2.5\r\n"bare\rcr",0\r\n');
  });
});

describe("helpers", () => {
  it("rejects impossible calendar dates", () => {
    expect(epochDay("1970-01-02")).toBe(1);
    expect(epochDay("2024-02-29")).not.toBeNull();
    expect(epochDay("2023-02-29")).toBeNull();
    expect(epochDay("2023-13-01")).toBeNull();
  });

  it("orders strings by code point, like DuckDB", () => {
    expect(compareCodePoints("a", "b")).toBeLessThan(0);
    expect(compareCodePoints("\u{1F600}", "\uFFFD")).toBeGreaterThan(0); // astral after BMP
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
  });
});

describe("publish", () => {
  let root: string;
  let out: string;
  let firstSnapshot: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "publish-test-"));
    out = join(root, "output");
    await publish(sampleDataset(), out, INFO);
    firstSnapshot = await snapshot(out);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes every file, and nothing else", async () => {
    const expected = TABLES.flatMap((t) => [`${t.name}.csv`, `${t.name}.parquet`, `${t.name}.arrow`]);
    expected.push("README.md", "datapackage.json", "dataset.duckdb", "dataset.xlsx", "review_queue.csv");
    expect(await listDir(out)).toEqual(expected.sort());
    expect(await listDir(root)).toEqual(["output"]);
  });

  it("types parquet columns from the schema", async () => {
    const describe = async (table: string) =>
      Object.fromEntries(
        (await query(`DESCRIBE SELECT * FROM '${join(out, `${table}.parquet`)}'`)).map((r) => [r.column_name, r.column_type]),
      );
    const trade = await describe("trade_flows");
    expect(trade).toMatchObject({
      record_id: "VARCHAR",
      period_start: "DATE",
      period_end: "DATE",
      value_usd: "DOUBLE",
      quantity_tonnes: "DOUBLE",
      n_sources: "BIGINT",
      confidence: "DOUBLE",
      needs_review: "BOOLEAN",
    });
    expect((await describe("articles")).published_date).toBe("DATE");
    expect((await describe("growth_rates")).consistent).toBe("BOOLEAN"); // empty table, still typed
    for (const table of TABLES) {
      const types = await describe(table.name);
      expect(types).toEqual(Object.fromEntries(columnsOf(table).map((c) => [c.name, c.sql])));
    }
  });

  it("stores values faithfully in parquet (full precision, original text, real dates)", async () => {
    const rows = await query(
      `SELECT record_id, value_usd, quantity_tonnes, CAST(period_end AS VARCHAR) AS period_end FROM '${join(out, "trade_flows.parquet")}'`,
    );
    expect(rows).toEqual([
      { record_id: "tf1", value_usd: null, quantity_tonnes: 272.728, period_end: "2023-05-31" },
      { record_id: "tf2", value_usd: 987900000, quantity_tonnes: null, period_end: "2022-12-31" },
    ]);
    const titles = await query(`SELECT title FROM '${join(out, "articles.parquet")}' ORDER BY article_id`);
    expect(titles.map((r) => r.title)).toEqual(["Trade via Mazār-e Sharīf grows", "=cmd|' /C calc'!A0"]);
  });

  it("has the same row counts in parquet, csv and dataset.duckdb", async () => {
    const dataset = sampleDataset();
    for (const table of TABLES) {
      // countries is not given: publish builds it from the codes the other tables use (AFG, KAZ).
      const expected = table.name === "countries" ? 2 : (dataset[table.name as keyof Dataset] as unknown[]).length;
      const [parquet] = await query(`SELECT count(*)::INTEGER AS n FROM '${join(out, `${table.name}.parquet`)}'`);
      const [duck] = await query(`SELECT count(*)::INTEGER AS n FROM ds."${table.name}"`, join(out, "dataset.duckdb"));
      const csvRecords = parseCsv(await readFile(join(out, `${table.name}.csv`), "utf8")).length - 1;
      expect({ table: table.name, parquet: parquet?.n, duck: duck?.n, csv: csvRecords }).toEqual({
        table: table.name,
        parquet: expected,
        duck: expected,
        csv: expected,
      });
    }
  });

  it("writes CSV headers from the schema and the expected cells, sorted by key", async () => {
    const bytes = await readFile(join(out, "trade_flows.csv"));
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const [header, ...records] = parseCsv(bytes.toString("utf8"));
    expect(header).toEqual(columnsOf(TABLES.find((t) => t.name === "trade_flows")!).map((c) => c.name));
    const byName = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    expect(byName.map((r) => r.record_id)).toEqual(["tf1", "tf2"]);
    expect(byName[0]).toMatchObject({
      period_start: "2023-01-01",
      period_end: "2023-05-31",
      value_usd: "",
      quantity_tonnes: "272.728",
      commodity: "flour, wheat",
      usd_rate_basis: "",
      qualifier: "approx",
      n_sources: "1",
      confidence: "0.65",
      needs_review: "true",
    });
    expect(byName[1]).toMatchObject({ value_usd: "987900000", quantity_tonnes: "", commodity: "", n_sources: "2", confidence: "0.92", needs_review: "false" });
    expect(bytes.toString("utf8").split("\r\n")[1]).toBe(
      'tf1,KAZ,AFG,export,2023-01-01,2023-05-31,reported,,272.728,"flour, wheat",,,,,,approx,1,,0.65,true,false',
    );
  });

  it("keeps non-ASCII text and embedded quotes/newlines intact in CSV", async () => {
    const [header, ...records] = parseCsv(await readFile(join(out, "evidence.csv"), "utf8"));
    const quote = header!.indexOf("quote");
    expect(records.map((r) => r[quote])).toEqual([
      "272 tons 728 kilograms of flour",
      'Turnover via Mazār-e Sharīf, "the hub",\nreached $987.9 million',
    ]);
  });

  it("neutralizes formulas in text cells only", async () => {
    const [aHeader, ...articles] = parseCsv(await readFile(join(out, "articles.csv"), "utf8"));
    const title = aHeader!.indexOf("title");
    expect(articles.map((r) => r[title])).toEqual(["Trade via Mazār-e Sharīf grows", "'=cmd|' /C calc'!A0"]);
    const [eHeader, ...evidence] = parseCsv(await readFile(join(out, "evidence.csv"), "utf8"));
    const e1 = evidence[0]!;
    expect(e1[eHeader!.indexOf("value_text")]).toBe("'-272 tons 728 kilograms");
    expect(e1[eHeader!.indexOf("stated_value")]).toBe("-272.728");
  });

  it("writes a header row for empty tables", async () => {
    for (const table of TABLES.filter((t) => ["aid_shipments", "growth_rates", "rejected"].includes(t.name))) {
      const text = await readFile(join(out, `${table.name}.csv`), "utf8");
      expect(text).toBe(columnsOf(table).map((c) => c.name).join(",") + "\r\n");
    }
  });

  it("documents tables and columns in dataset.duckdb", async () => {
    const db = join(out, "dataset.duckdb");
    const [column] = await query(
      `SELECT comment FROM duckdb_columns() WHERE database_name = 'ds' AND table_name = 'trade_flows' AND column_name = 'value_usd'`,
      db,
    );
    expect(column?.comment).toBe(columnsOf(TABLES.find((t) => t.name === "trade_flows")!).find((c) => c.name === "value_usd")?.description);
    const [table] = await query(`SELECT comment FROM duckdb_tables() WHERE database_name = 'ds' AND table_name = 'evidence'`, db);
    expect(table?.comment).toContain(`Primary key: (${TABLES.find((t) => t.name === "evidence")!.primaryKey.join(", ")}).`);
    // Keys are checked on publishing, not declared: a declared key's index would be held in memory whole.
    const keys = await query(`SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE database_name = 'ds' AND constraint_type = 'PRIMARY KEY'`, db);
    expect(keys[0]?.n).toBe(0);
    const required = await query(
      `SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE database_name = 'ds' AND table_name = 'trade_flows' AND constraint_type = 'NOT NULL'`,
      db,
    );
    expect(required[0]?.n).toBeGreaterThan(0);
    const [types] = await query(`SELECT typeof(published_date) AS t FROM ds.articles LIMIT 1`, db);
    expect(types?.t).toBe("DATE");
  });

  it("describes every file in datapackage.json with matching sizes and hashes", async () => {
    const pkg = JSON.parse(await readFile(join(out, "datapackage.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: INFO.name,
      title: INFO.title,
      version: INFO.version,
      licenses: [{ name: "CC-BY-4.0", title: "Creative Commons Attribution 4.0" }],
      sources: INFO.sources,
    });
    expect(pkg.resources.map((r: { name: string }) => r.name)).toEqual(TABLES.map((t) => t.name));
    for (const resource of pkg.resources) {
      for (const file of [resource, resource.parquet]) {
        const bytes = await readFile(join(out, file.path));
        expect(file.bytes).toBe(bytes.length);
        expect(file.hash).toBe(`sha256:${sha256(bytes)}`);
      }
      expect(resource).toMatchObject({ format: "csv", mediatype: "text/csv", encoding: "utf-8" });
      expect(resource.parquet.format).toBe("parquet");
    }
    const trade = pkg.resources.find((r: { name: string }) => r.name === "trade_flows");
    expect(trade.schema.primaryKey).toEqual(["record_id"]);
    const field = (name: string) => trade.schema.fields.find((f: { name: string }) => f.name === name);
    expect(field("period_start")).toMatchObject({ type: "date" });
    expect(field("value_usd")).toMatchObject({ type: "number", description: "Value in whole US dollars (base units, not millions); converted at usd_rate when the article used another currency" });
    expect(field("n_sources")).toMatchObject({ type: "integer", constraints: { required: true } });
    expect(field("flow").constraints).toEqual({ required: true, enum: ["export", "import", "turnover"] });
    expect(field("confidence")).toMatchObject({ type: "number", constraints: { required: true, minimum: 0, maximum: 1 } });
    expect(field("needs_review")).toMatchObject({ type: "boolean", constraints: { required: true } });
    const evidence = pkg.resources.find((r: { name: string }) => r.name === "evidence");
    expect(evidence.schema.foreignKeys).toEqual([{ fields: ["article_id"], reference: { resource: "articles", fields: ["article_id"] } }]);
    const text = await readFile(join(out, "datapackage.json"), "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "name"');
  });

  it("generates a README data dictionary", async () => {
    const readme = await readFile(join(out, "README.md"), "utf8");
    expect(readme).toContain("SELECT * FROM 'trade_flows.parquet'");
    expect(readme).toContain("### trade_flows");
    expect(readme).toContain("| `value_usd` | DOUBLE | Value in whole US dollars (base units, not millions); converted at usd_rate when the article used another currency |");
    expect(readme).toContain("| `trade_flows` | 2 |");
    expect(readme).toMatch(/qualifier/);
    expect(readme).toMatch(/Mirror-trade/);
    expect(readme).toContain("| `confidence` | DOUBLE, required | How sure the pipeline is of this record: per article, the evidence confidence of the record's main figure;");
    expect(readme).toMatch(/\| `needs_review` \| BOOLEAN, required \| True when confidence is below 0\.7 or the articles give different values/);
    expect(readme).toContain("each other\n  closes 0.25 × its confidence of the remaining doubt (0.9 and 0.9 give 0.92)");
    expect(readme).not.toMatch(/\d{4}-\d{2}-\d{2}T|\d{2}:\d{2}:\d{2}/);
  });

  it("is byte-for-byte reproducible", async () => {
    const again = join(root, "again");
    // Same rows in a different input order: the output must not depend on it.
    const shuffled = sampleDataset();
    shuffled.articles.reverse();
    shuffled.trade_flows.reverse();
    shuffled.evidence.reverse();
    const report = await publish(shuffled, again, INFO);
    try {
      const second = await snapshot(again);
      expect(Object.keys(second).length).toBe(TABLES.length * 2 + 4); // every table × (csv, parquet), README, datapackage, review_queue.csv, dataset.xlsx
      expect(second).toEqual(firstSnapshot);
      for (const file of report.files.filter((f) => f.path in second)) expect(file.sha256).toBe(second[file.path]);
      expect(report.rowCounts).toMatchObject({ articles: 2, trade_flows: 2, evidence: 2, aid_items: 0 });
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  it("replaces the folder, keeping report/ from the old one", async () => {
    const dir = join(root, "replace");
    await publish(sampleDataset(), dir, INFO);
    await mkdir(join(dir, "report"));
    await writeFile(join(dir, "report", "eval.md"), "scores");
    await writeFile(join(dir, "stale.csv"), "old output");
    await publish({ ...sampleDataset(), evidence: [] }, dir, INFO);
    expect(await readFile(join(dir, "report", "eval.md"), "utf8")).toBe("scores");
    expect(await listDir(dir)).not.toContain("stale.csv");
    const [n] = await query(`SELECT count(*)::INTEGER AS n FROM '${join(dir, "evidence.parquet")}'`);
    expect(n?.n).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves the previous output intact and no temp folder when a row is invalid", async () => {
    const before = await snapshot(out);
    const bad = sampleDataset();
    (bad.trade_flows[0] as { flow: string }).flow = "sideways";
    await expect(publish(bad, out, INFO)).rejects.toThrow(/trade_flows[\s\S]*flow/);
    const badDate = sampleDataset();
    badDate.trade_flows[0]!.period_end = "2022-02-30";
    await expect(publish(badDate, out, INFO)).rejects.toThrow(/trade_flows.*period_end/);
    const badConfidence = sampleDataset();
    badConfidence.trade_flows[1]!.confidence = 1.2;
    await expect(publish(badConfidence, out, INFO)).rejects.toThrow(/trade_flows, row 1[\s\S]*confidence/);
    const duplicate = sampleDataset();
    duplicate.articles[1]!.article_id = "a2";
    await expect(publish(duplicate, out, INFO)).rejects.toThrow(/articles.*duplicate primary key/);
    expect(await snapshot(out)).toEqual(before);
    expect(await listDir(root)).toEqual(["output"]);
  });

  it("leaves the previous output intact and no temp folder when the swap fails", async () => {
    const before = await snapshot(out);
    swapFault.failInto = out;
    try {
      await expect(publish({ ...sampleDataset(), evidence: [] }, out, INFO)).rejects.toThrow(/injected rename failure/);
    } finally {
      swapFault.failInto = null;
    }
    expect(await snapshot(out)).toEqual(before);
    expect(await listDir(root)).toEqual(["output"]);
  });

  it("publishes thousands of rows quickly", async () => {
    const big = emptyDataset();
    for (let i = 0; i < 5000; i++) {
      big.trade_flows.push({
        ...sampleDataset().trade_flows[0]!,
        record_id: `tf${String(i).padStart(5, "0")}`,
        value_usd: i * 1.5,
        period_start: "2020-01-01",
      });
    }
    const dir = join(root, "big");
    const started = performance.now();
    const report = await publish(big, dir, INFO);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(report.rowCounts.trade_flows).toBe(5000);
    const [n] = await query(`SELECT count(*)::INTEGER AS n, max(period_start)::VARCHAR AS d FROM '${join(dir, "trade_flows.parquet")}'`);
    expect(n).toEqual({ n: 5000, d: "2020-01-01" });
    await rm(dir, { recursive: true, force: true });
  }, 30_000);
});
