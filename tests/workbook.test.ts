import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { publish } from "../pipeline/publish/publish.ts";
import { EXCEL_MAX_CELL_CHARS, writeWorkbook } from "../pipeline/publish/workbook.ts";
import { TABLES } from "../pipeline/schema/tables.ts";
import { DIGIT_ID, INFO, smallDataset } from "./fixtures/smallDataset.ts";

/** dataset.xlsx read back with exceljs: what LibreOffice's conversion does not show (panes, filters, bytes). */

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** The sheet's header names, in order. */
function header(sheet: ExcelJS.Worksheet): string[] {
  return (sheet.getRow(1).values as unknown[]).slice(1).map(String);
}

describe("dataset.xlsx", () => {
  let dir: string;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "workbook-test-"));
    await publish(smallDataset(), join(dir, "out"), INFO);
    workbook = await readWorkbook(join(dir, "out", "dataset.xlsx"));
  }, 120_000);

  afterAll(async () => {
    vi.useRealTimers();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is byte-identical when published again, at another time and from rows in another order", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-06-15T12:34:56Z"));
    const shuffled = smallDataset();
    shuffled.trade_flows.reverse();
    shuffled.evidence.reverse();
    try {
      await publish(shuffled, join(dir, "again"), INFO);
    } finally {
      vi.useRealTimers();
    }
    const [first, again] = [await readFile(join(dir, "out", "dataset.xlsx")), await readFile(join(dir, "again", "dataset.xlsx"))];
    expect(sha256(again)).toBe(sha256(first));
    expect(first.toString("latin1")).not.toContain("dcterms:created");
  }, 120_000);

  it("freezes and filters each sheet's header row, in bold", () => {
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(sheet.getRow(1).font).toMatchObject({ bold: true });
      expect(sheet.autoFilter).toBe(`A1:${sheet.getCell(1, header(sheet).length).address}`);
    }
    expect(header(workbook.getWorksheet("evidence")!)).toEqual(Object.keys(TABLES.find((t) => t.name === "evidence")!.schema.shape));
  });

  it("widens columns to their longest value, within bounds", () => {
    const evidence = workbook.getWorksheet("evidence")!;
    const column = (name: string) => evidence.getColumn(header(evidence).indexOf(name) + 1).width;
    expect(column("evidence_id")).toBe("evidence_id".length + 2);
    // The longest quote has 93 characters: the column stops at 60.
    expect(column("quote")).toBe(60);
    expect(column("article_id")).toBe("article_id".length + 2);
  });

  it("types each cell from its column's schema, with a date format on dates", () => {
    const trade = workbook.getWorksheet("trade_flows")!;
    const names = header(trade);
    const row = trade.getRows(2, trade.rowCount - 1)!.find((r) => r.getCell(1).value === DIGIT_ID)!;
    const cell = (name: string) => row.getCell(names.indexOf(name) + 1);
    expect(cell("quantity_tonnes").value).toBe(272.728);
    expect(cell("period_start").value).toEqual(new Date("2023-01-01T00:00:00Z"));
    expect(cell("period_start").numFmt).toBe("yyyy-mm-dd");
    expect(cell("needs_review").value).toBe(false);
    expect(cell("value_usd").value).toBeNull();
  });

  it("is left out, writing nothing, when a sheet would hold more rows than a spreadsheet opens", async () => {
    const instance = await DuckDBInstance.create(join(dir, "out", "dataset.duckdb"), { access_mode: "READ_ONLY" });
    const connection = await instance.connect();
    const elsewhere = await mkdtemp(join(dir, "limit-"));
    try {
      // The longest sheets have 16 rows below their header: facts (one per evidence row) and evidence.
      expect(await writeWorkbook(elsewhere, connection, 16)).toBeNull();
      expect(await readdir(elsewhere)).toEqual([]);
      expect(await writeWorkbook(elsewhere, connection, 17)).toMatchObject({ path: "dataset.xlsx" });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 120_000);

  it("cuts a text longer than a cell holds, which the CSV keeps whole", async () => {
    const dataset = smallDataset();
    const title = "Trade ".repeat(7000);
    dataset.articles[0]!.title = title;
    await publish(dataset, join(dir, "long"), INFO);
    const articles = (await readWorkbook(join(dir, "long", "dataset.xlsx"))).getWorksheet("articles")!;
    const cut = articles.getCell("B2").value as string;
    expect(cut).toHaveLength(EXCEL_MAX_CELL_CHARS);
    expect(cut).toBe(`${title.slice(0, EXCEL_MAX_CELL_CHARS - 1)}…`);
    expect(await readFile(join(dir, "long", "articles.csv"), "utf8")).toContain(title);
  }, 120_000);
});
