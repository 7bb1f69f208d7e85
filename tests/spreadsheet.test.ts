import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../pipeline/publish/publish.ts";
import { TABLES, columnsOf } from "../pipeline/schema/tables.ts";
import { DIGIT_ID, HOSTILE_TITLE, INFO, smallDataset } from "./fixtures/smallDataset.ts";

/**
 * Opens the published spreadsheet CSVs (excel/) in a real spreadsheet engine, LibreOffice Calc
 * headless, converts them to flat ODS and reads back each cell's type and value.
 */

const run = promisify(execFile);

function findSoffice(): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}
const SOFFICE = findSoffice();
if (!SOFFICE) console.warn("spreadsheet.test.ts: skipped, `soffice` not found (apt-get install -y --no-install-recommends libreoffice-calc)");

/**
 * LibreOffice CSV import options: comma, double quote, UTF-8 (76), from line 1, column types,
 * English (US) locale, quoted fields not forced to text, detect dates and special numbers, and
 * (13th token) evaluate formulas: the most dangerous setting a user can pick.
 */
const importOptions = (columnTypes = "") => `CSV:44,34,76,1,${columnTypes},1033,false,true,false,false,false,-1,true`;

interface Cell {
  type: string | null;
  /** office:value for numbers, office:date-value for dates, else the cell text. */
  value: string;
  formula?: string;
}

function decode(xml: string): string {
  return xml
    .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, n) => " ".repeat(Number(n ?? 1)))
    .replace(/<text:line-break\/>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);
}

const attr = (attrs: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1];

/** The first sheet of a flat ODS file as rows of cells, expanding repeated cells. */
function readFods(xml: string): Cell[][] {
  const body = xml.slice(xml.indexOf("<office:body>"));
  const rows: Cell[][] = [];
  for (const [, rowXml] of body.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const cells: Cell[] = [];
    for (const [, attrs = "", , inner = ""] of rowXml!.matchAll(/<table:table-cell([^>]*?)(\/>|>([\s\S]*?)<\/table:table-cell>)/g)) {
      const type = attr(attrs, "office:value-type") ?? null;
      const value = attr(attrs, "office:date-value") ?? attr(attrs, "office:value") ?? decode(inner.replace(/<\/text:p>\s*<text:p>/g, "\n")).trim();
      const formula = attr(attrs, "table:formula");
      const cell: Cell = { type, value: decode(value), ...(formula ? { formula } : {}) };
      for (let i = 0; i < Number(attr(attrs, "table:number-columns-repeated") ?? 1); i++) cells.push(cell);
    }
    rows.push(cells);
  }
  return rows;
}

/** Rows keyed by header name, by the first column's value. */
function byKey(rows: Cell[][]): Map<string, Record<string, Cell>> {
  const [header, ...data] = rows;
  const names = header!.map((c) => c.value);
  return new Map(data.map((r) => [r[0]!.value, Object.fromEntries(names.map((n, i) => [n, r[i] ?? { type: null, value: "" }]))]));
}

describe.skipIf(!SOFFICE)("published CSVs in LibreOffice Calc", () => {
  let dir: string;
  const sheets = new Map<string, Map<string, Record<string, Cell>>>();

  async function convert(files: string[], options: string, outDir: string): Promise<void> {
    await mkdir(outDir, { recursive: true });
    const profile = pathToFileURL(join(dir, "lo-profile")).href;
    await run(SOFFICE!, ["--headless", "--norestore", `-env:UserInstallation=${profile}`, `--infilter=${options}`, "--convert-to", "fods", "--outdir", outDir, ...files], { timeout: 120_000 });
  }

  const sheet = async (outDir: string, name: string) => readFods(await readFile(join(outDir, `${name}.fods`), "utf8"));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spreadsheet-test-"));
    const out = join(dir, "output");
    await publish(smallDataset(), out, INFO);
    // A control file: the same headlines without the leading ', to show formulas really are evaluated.
    const articles = await readFile(join(out, "excel", "articles.csv"), "utf8");
    await writeFile(join(dir, "unprotected.csv"), articles.replace(/,("?)'=/g, ",$1="));
    const names = ["articles", "trade_flows", "aid_shipments", "contracts"];
    await convert([...names.map((n) => join(out, "excel", `${n}.csv`)), join(dir, "unprotected.csv")], importOptions(), join(dir, "auto"));
    for (const name of [...names, "unprotected"]) sheets.set(name, byKey(await sheet(join(dir, "auto"), name)));
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads the header without the byte order mark", () => {
    const articles = sheets.get("articles")!;
    expect([...articles.values()][0]!.article_id).toBeDefined();
    expect(articles.get("a1")!.title).toEqual({ type: "string", value: "Kazakhstan delivers humanitarian aid to Afghan people" });
  });

  it("keeps hostile headlines as text, never formulas", () => {
    const articles = sheets.get("articles")!;
    expect(articles.get("a3")!.title).toEqual({ type: "string", value: `'${HOSTILE_TITLE}` });
    expect(articles.get("a4")!.title).toEqual({ type: "string", value: "'=1+1" });
    // Control: without the ' the same cells become live formulas.
    const unprotected = sheets.get("unprotected")!;
    expect(unprotected.get("a4")!.title).toMatchObject({ type: "float", value: "2", formula: "of:=1+1" });
    expect(unprotected.get("a3")!.title!.formula).toMatch(/^of:=HYPERLINK/);
  });

  it("reads dates as dates, amounts as numbers, codes and names as text", () => {
    const articles = sheets.get("articles")!;
    expect(articles.get("a1")!.published_date).toEqual({ type: "date", value: "2023-04-18" });
    expect(articles.get("a4")!.published_date!.value).toBe(""); // null stays empty
    const trade = sheets.get("trade_flows")!;
    expect(trade.get("t22")!.value_usd).toEqual({ type: "float", value: "987900000" });
    expect(trade.get("t22")!.period_end).toEqual({ type: "date", value: "2022-12-31" });
    expect(trade.get("t22")!.reporter_iso3).toEqual({ type: "string", value: "AFG" });
    expect(trade.get("t22")!.partner_iso3).toEqual({ type: "string", value: "KAZ" });
    const aid = sheets.get("aid_shipments")!;
    expect(aid.get("s1")!.place).toEqual({ type: "string", value: "Mazār-i-Sharīf" });
    expect(aid.get("s1")!.event_date).toEqual({ type: "date", value: "2023-04-17" });
    expect(aid.get("s1")!.weight_tonnes).toEqual({ type: "float", value: "2200" });
    expect(aid.get("agg")!.value_original).toEqual({ type: "float", value: "6400000000" });
    expect(aid.get("agg")!.currency_original).toEqual({ type: "string", value: "KZT" });
    expect(sheets.get("contracts")!.get("c1")!.place).toEqual({ type: "string", value: "Алматы" });
  });

  it("turns a digits-only id into a number unless the id columns are imported as Text", async () => {
    // Type detection alone: the hazard the output README warns about.
    const flour = [...sheets.get("trade_flows")!.values()].find((r) => r.commodity!.value === "flour, wheat")!;
    expect(flour.record_id).toEqual({ type: "float", value: "806000000000001" });
    expect(flour.quantity_tonnes).toEqual({ type: "float", value: "272.728" });
    // The remedy: text columns as Text (2), dates as YMD (5), numbers as Standard (1), from the schema.
    const table = TABLES.find((t) => t.name === "trade_flows")!;
    const types = columnsOf(table).map((c, i) => `${i + 1}/${c.sql === "VARCHAR" ? 2 : c.sql === "DATE" ? 5 : 1}`).join("/");
    const out = join(dir, "typed");
    await convert([join(dir, "output", "excel", "trade_flows.csv")], importOptions(types), out);
    const typed = byKey(await sheet(out, "trade_flows"));
    expect(typed.get(DIGIT_ID)!.record_id).toEqual({ type: "string", value: DIGIT_ID });
    expect(typed.get(DIGIT_ID)!.quantity_tonnes).toEqual({ type: "float", value: "272.728" });
    expect(typed.get(DIGIT_ID)!.period_start).toEqual({ type: "date", value: "2023-01-01" });
  }, 120_000);
});
