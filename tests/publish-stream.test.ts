import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLES, type Dataset, type Evidence, type TradeFlow } from "../pipeline/schema/tables.ts";
import { snapshot } from "./fixtures/snapshot.ts";
import { publish, type ChunkedRows, type PublishDataset, type PublishInfo } from "../pipeline/publish/publish.ts";
import { rowGroupRows } from "../pipeline/publish/parquet.ts";

const INFO: PublishInfo = { name: "stream-test", title: "Streaming test", version: "0.0.1", sources: [] };

function evidenceRow(i: number): Evidence {
  return {
    evidence_id: `e${String(i).padStart(4, "0")}`,
    record_id: `tf${i % 7}`,
    table_name: "trade_flows",
    article_id: `a${i % 3}`,
    char_start: i,
    char_end: i + 40,
    // Quotes, commas, newlines and formula-like text, so chunk boundaries fall between odd records.
    quote: i % 5 === 0 ? `Line ${i},\n"quoted" Mazār-e Sharīf` : `plain quote ${i}`,
    value_text: i % 4 === 0 ? `-${i} tonnes` : `${i} tonnes`,
    field: "quantity_tonnes",
    stated_value: i % 6 === 0 ? null : i / 7,
    rule: "tonnes.simple",
    confidence: i % 2 === 0 ? 0.5 : null,
  };
}

function tradeRow(i: number): TradeFlow {
  return {
    record_id: `tf${i}`,
    reporter_iso3: "KAZ",
    partner_iso3: "AFG",
    flow: "export",
    period_start: "2023-01-01",
    period_end: "2023-12-31",
    status: "reported",
    value_usd: i * 1000.5,
    quantity_tonnes: null,
    commodity: i % 2 === 0 ? "" : null,
    value_original: null,
    currency_original: null,
    usd_rate: null,
    usd_rate_basis: null,
    usd_rate_year: null,
    qualifier: "exact",
    as_of: null,
    n_sources: 1,
    // Both sides of the review threshold, so its booleans cross chunk boundaries too.
    confidence: i % 3 === 0 ? 0.6 : 0.9,
    needs_review: i % 3 === 0,
    reviewed: false,
  };
}

function arrayDataset(): Dataset {
  return {
    articles: [],
    trade_flows: Array.from({ length: 7 }, (_, i) => tradeRow(i)),
    aid_shipments: [],
    aid_items: [],
    contracts: [],
    grants: [],
    evidence: Array.from({ length: 300 }, (_, i) => evidenceRow(i)),
    growth_rates: [],
    qa_checks: [],
    rejected: [],
    corrections_unmatched: [],
  };
}

/** Chunks of the given sizes, each shuffled (reversed) so publish must sort within a chunk. */
function chunked(rows: readonly Record<string, unknown>[], sizes: number[]): ChunkedRows & { yielded: number } {
  const source = {
    yielded: 0,
    async *chunks() {
      let start = 0;
      for (const size of sizes) {
        source.yielded++;
        yield rows.slice(start, start + size).reverse();
        start += size;
      }
      expect(start).toBe(rows.length);
    },
  };
  return source;
}


async function duckRows(dir: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH '${join(dir, "dataset.duckdb")}' AS ds (READ_ONLY)`);
    return (await (await connection.run(sql)).getRowsJS()) as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("publish with chunked tables", () => {
  let root: string;
  let arrayOut: string;
  let arraySnapshot: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "publish-stream-"));
    arrayOut = join(root, "array");
    await publish(arrayDataset(), arrayOut, INFO);
    arraySnapshot = await snapshot(arrayOut);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes the same bytes as the array form", async () => {
    const rows = arrayDataset();
    const evidence = chunked(rows.evidence, [1, 0, 64, 100, 135]);
    const dataset: PublishDataset = { ...rows, evidence, trade_flows: chunked(rows.trade_flows, [3, 4]) };
    const out = join(root, "chunked");
    const report = await publish(dataset, out, INFO);

    expect(evidence.yielded).toBe(5);
    expect(report.rowCounts).toMatchObject({ evidence: 300, trade_flows: 7, articles: 0 });
    const chunkedSnapshot = await snapshot(out);
    expect(Object.keys(chunkedSnapshot)).toHaveLength(2 + 2 + TABLES.length * 3); // README, datapackage, review queue, workbook, every table × (csv, parquet, arrow)
    expect(chunkedSnapshot).toEqual(arraySnapshot);
    for (const file of report.files.filter((f) => f.path in chunkedSnapshot)) expect(file.sha256).toBe(chunkedSnapshot[file.path]);

    const contents = `SELECT * FROM ds.evidence`;
    const [arrayRows, chunkedRows] = [await duckRows(arrayOut, contents), await duckRows(out, contents)];
    expect(chunkedRows).toEqual(arrayRows);
    expect(chunkedRows).toHaveLength(300);
    expect(chunkedRows[0]?.[0]).toBe("e0000");
    expect(chunkedRows[299]?.[0]).toBe("e0299");
  });

  it("rejects a chunk that starts before the previous one ended, leaving the old output as it was", async () => {
    const rows = arrayDataset().evidence;
    // e0100..e0199 arrive before e0000..e0099.
    const disordered = { async *chunks() { yield rows.slice(100, 200); yield rows.slice(0, 100); yield rows.slice(200); } };
    await expect(publish({ ...arrayDataset(), evidence: disordered }, arrayOut, INFO)).rejects.toThrow(
      /evidence: chunks are out of order, \(evidence_id="e0000"\) comes after \(evidence_id="e0199"\)/,
    );
    expect(await snapshot(arrayOut)).toEqual(arraySnapshot);
    expect((await readdir(root)).sort()).toEqual(["array", "chunked"]);
  });

  it("rejects a primary key repeated across a chunk boundary", async () => {
    const rows = arrayDataset().evidence;
    const repeated = { async *chunks() { yield rows.slice(0, 10); yield [{ ...rows[9]!, quote: "again" }, ...rows.slice(10)]; } };
    await expect(publish({ ...arrayDataset(), evidence: repeated }, arrayOut, INFO)).rejects.toThrow(
      /evidence has a duplicate primary key \(evidence_id="e0009"\)/,
    );
    expect(await snapshot(arrayOut)).toEqual(arraySnapshot);
  });

  it("names the table-wide row index of an invalid row in a later chunk", async () => {
    const rows = arrayDataset().evidence;
    const invalid = { async *chunks() { yield rows.slice(0, 10); yield [...rows.slice(10, 12), { ...rows[12]!, char_start: "twelve" }]; } };
    await expect(publish({ ...arrayDataset(), evidence: invalid }, arrayOut, INFO)).rejects.toThrow(
      /table evidence, row 12 fails its schema[\s\S]*char_start/,
    );
  });

  it("loads exact values into DuckDB and Parquet while the CSV guards formulas and rounds doubles", async () => {
    const dataset = arrayDataset();
    dataset.trade_flows = [
      { ...tradeRow(0), commodity: "=SUM(A1)", value_usd: -0, value_original: 4975903614.457831 },
      { ...tradeRow(1), commodity: 'say "hi",\r\nbye', value_usd: 1e-7, value_original: 1.5e21 },
      { ...tradeRow(2), commodity: "", value_usd: null, value_original: 0.1 + 0.2 },
    ];
    const out = join(root, "exact");
    await publish(dataset, out, INFO);
    const sql = `SELECT commodity, value_usd, 1 / value_usd, value_original FROM ds.trade_flows ORDER BY record_id`;
    expect(await duckRows(out, sql)).toEqual([
      ["=SUM(A1)", -0, -Infinity, 4975903614.457831],
      ['say "hi",\r\nbye', 1e-7, 1e7, 1.5e21],
      ["", null, null, 0.1 + 0.2],
    ]);
    const parquet = await duckRows(out, `SELECT commodity, value_original FROM '${join(out, "trade_flows.parquet")}' ORDER BY record_id`);
    expect(parquet).toEqual([["=SUM(A1)", 4975903614.457831], ['say "hi",\r\nbye', 1.5e21], ["", 0.1 + 0.2]]);
    const csv = (await readFile(join(out, "trade_flows.csv"), "utf8")).split("\r\n");
    expect(csv[1]).toBe("tf0,KAZ,AFG,export,2023-01-01,2023-12-31,reported,0,,'=SUM(A1),4975903614.45783,,,,,exact,1,,0.6,true,false");
    expect(csv[4]).toBe('tf2,KAZ,AFG,export,2023-01-01,2023-12-31,reported,,,"",0.3,,,,,exact,1,,0.9,false,false');
    expect(await readdir(out)).not.toContain(".scratch");
    await rm(out, { recursive: true, force: true });
  });
});

describe("Parquet row groups", () => {
  it("keep DuckDB's default for narrow tables and shrink by powers of two for wide ones", () => {
    expect(rowGroupRows(0)).toBe(122_880);
    expect(rowGroupRows(130)).toBe(122_880);
    expect(rowGroupRows(200)).toBe(65_536);
    expect(rowGroupRows(1300)).toBe(8192);
    expect(rowGroupRows(3700)).toBe(4096);
    expect(rowGroupRows(5_000_000)).toBe(1024);
  });

  it("are sized from the widest row, so long quotes in a long table do not exhaust DuckDB's memory", async () => {
    const root = await mkdtemp(join(tmpdir(), "row-groups-"));
    try {
      const dataset = arrayDataset();
      // 1,200 CJK characters: 3.6 KB of UTF-8 per quote, the widest an evidence row gets.
      const wide = "\u7cae\u98df".repeat(600);
      dataset.evidence = Array.from({ length: 9000 }, (_, i) => ({ ...evidenceRow(i), evidence_id: `e${String(i).padStart(5, "0")}`, quote: `${i} ${wide}` }));
      const out = join(root, "out");
      await publish(dataset, out, INFO);
      const groups = (file: string) => duckRows(out, `SELECT row_group_id, row_group_num_rows FROM parquet_metadata('${join(out, file)}') GROUP BY ALL ORDER BY 1`);
      expect(await groups("evidence.parquet")).toEqual([[0n, 4096n], [1n, 4096n], [2n, 808n]]);
      expect(await groups("trade_flows.parquet")).toEqual([[0n, 7n]]);
      expect(await duckRows(out, `SELECT count(*), min(length(quote)) FROM '${join(out, "evidence.parquet")}'`)).toEqual([[9000n, 1202n]]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
