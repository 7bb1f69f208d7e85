import type { DuckDBConnection, DuckDBDateValue } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { join } from "node:path";
import type { SqlType } from "../schema/columns.ts";
import { COUNTRY_LIST_SEPARATOR, FACT_TABLES, TABLES, columnsOf, countryColumns } from "../schema/tables.ts";
import { neutralizeFormula } from "./csv.ts";
import { DUCKDB_MEMORY_MB, quoteIdent, sqlString } from "./duckdb.ts";
import { fingerprint, type FileInfo } from "./files.ts";
import { WORKBOOK_PATH } from "./paths.ts";
import { FRICTIONLESS_TYPE } from "./sqlTypes.ts";

/**
 * dataset.xlsx: a "facts" sheet (every fact beside its quote, its article and its countries' names), then one
 * sheet per published table, typed from the schemas. Written row by row from dataset.duckdb with exceljs's
 * streaming writer, so memory does not grow with the tables.
 */

export const FACTS_SHEET = "facts";
/** The view the facts sheet shows, with a country name beside each code. */
const FACTS_VIEW = "v_facts_with_sources";

/** Excel's limits: rows in a sheet (the header included) and characters in a cell. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_CELL_CHARS = 32_767;

const DATE_FORMAT = "yyyy-mm-dd";
const MS_PER_DAY = 86_400_000;
/** Column widths in characters: the longest value or header plus a margin, within these bounds. */
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

interface SheetColumn {
  name: string;
  sql: SqlType;
  /** The SELECT expression; the column itself when absent. */
  expression?: string;
}

interface Sheet {
  name: string;
  columns: SheetColumn[];
  /** Width of each column, in characters. */
  widths: number[];
  /** The FROM (and WHERE) clauses that give its rows, queried one after another. */
  sources: string[];
}

/** Country-code columns of the fact tables, which the facts sheet names. */
const FACT_COUNTRY_COLUMNS = new Set(TABLES.filter((t) => (FACT_TABLES as readonly string[]).includes(t.name)).flatMap((t) => countryColumns(t).map((c) => c.name)));

/** A session variable (never stored in the database): the countries table as a map from code to name. */
const NAMES_VARIABLE = "country_names";

/** A country-code column's names, in the order of its codes (a list column's joined like its codes); a code without a name stays. */
const countryNames = (column: string) =>
  `array_to_string(list_transform(string_split(${quoteIdent(column)}, ${sqlString(COUNTRY_LIST_SEPARATOR)}), code -> coalesce(getvariable(${sqlString(NAMES_VARIABLE)})[code], code)), ${sqlString(`${COUNTRY_LIST_SEPARATOR} `)})`;

/** A column as wide as `chars` characters plus a margin, within MIN_WIDTH..MAX_WIDTH. */
const fit = (chars: number) => Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars) + 2);

/** Each column's width from its header and its longest value as text. */
async function columnWidths(connection: DuckDBConnection, table: string, columns: SheetColumn[]): Promise<number[]> {
  const longest = columns.map((c) => `max(length(CAST(${quoteIdent(c.name)} AS VARCHAR)))::INTEGER`).join(", ");
  const row = (await connection.runAndReadAll(`SELECT ${longest} FROM ${quoteIdent(table)}`)).getRows()[0] ?? [];
  return columns.map((c, i) => fit(Math.max(c.name.length, Number(row[i] ?? 0))));
}

async function tableSheets(connection: DuckDBConnection): Promise<Sheet[]> {
  const sheets: Sheet[] = [];
  for (const def of TABLES) {
    const columns = columnsOf(def);
    sheets.push({ name: def.name, columns, widths: await columnWidths(connection, def.name, columns), sources: [quoteIdent(def.name)] });
  }
  return sheets;
}

/** Bytes of rows one facts query may sort, a quarter of DuckDB's memory: DuckDB holds a sort's rows in memory whole. */
const FACTS_SORT_BYTES = (DUCKDB_MEMORY_MB << 20) / 4;
/** What a facts row takes beside its quote, for sizing the queries: some sixty cells. */
const FACTS_ROW_BYTES = 1024;

/**
 * The facts sheet's queries: one per fact table (in the view's order) and range of record ids, the ranges cut where
 * their evidence reaches FACTS_SORT_BYTES, so that each query sorts no more than that.
 */
async function factsSources(connection: DuckDBConnection): Promise<string[]> {
  const starts = await connection.runAndReadAll(`WITH records AS (
  SELECT table_name, record_id, sum(strlen(quote)) + count(*) * ${FACTS_ROW_BYTES} AS bytes FROM evidence GROUP BY table_name, record_id
), parts AS (
  SELECT table_name, record_id, floor(sum(bytes) OVER (PARTITION BY table_name ORDER BY record_id) / ${FACTS_SORT_BYTES}) AS part FROM records
)
SELECT table_name, min(record_id) FROM parts GROUP BY table_name, part ORDER BY table_name, part`);
  const bounds = new Map<string, string[]>();
  for (const [table, start] of starts.getRows() as [string, string][]) bounds.set(table, [...(bounds.get(table) ?? []), sqlString(start)]);
  return [...FACT_TABLES].sort().flatMap((table) => {
    // The first range starts nowhere, to take in facts without evidence.
    const cuts = (bounds.get(table) ?? []).slice(1);
    return [null, ...cuts].map((from, k) => {
      const where = [`table_name = ${sqlString(table)}`, ...(from ? [`record_id >= ${from}`] : []), ...(cuts[k] ? [`record_id < ${cuts[k]}`] : [])];
      return `${quoteIdent(FACTS_VIEW)} WHERE ${where.join(" AND ")}`;
    });
  });
}

/**
 * The facts sheet: the view's columns as DuckDB types them (from the tables' schemas), each country code followed by
 * its name, as wide as the same columns of the table sheets (the view's rows come from those tables).
 */
async function factsSheet(connection: DuckDBConnection, tables: Sheet[]): Promise<Sheet> {
  await connection.run(`SET VARIABLE ${NAMES_VARIABLE} = (SELECT map(list(iso3), list(coalesce(name, iso3))) FROM countries)`);
  const described = await connection.runAndReadAll(`DESCRIBE ${quoteIdent(FACTS_VIEW)}`);
  const columns = described.getRowObjectsJson().flatMap(({ column_name, column_type }): SheetColumn[] => {
    const name = String(column_name);
    if (!(String(column_type) in FRICTIONLESS_TYPE)) throw new Error(`${FACTS_VIEW}.${name}: no cell type for ${String(column_type)}`);
    const column = { name, sql: column_type as SqlType };
    return FACT_COUNTRY_COLUMNS.has(name) ? [column, { name: name.replace(/_iso3$/, "_name"), sql: "VARCHAR", expression: countryNames(name) }] : [column];
  });
  const widest = new Map<string, number>();
  for (const sheet of tables) sheet.columns.forEach((c, i) => widest.set(c.name, Math.max(widest.get(c.name) ?? 0, sheet.widths[i]!)));
  // A country's name is as wide as the countries table's names.
  const source = (c: SheetColumn) => (c.expression ? "name" : c.name);
  const widths = columns.map((c) => Math.max(fit(c.name.length), widest.get(source(c)) ?? 0));
  return { name: FACTS_SHEET, columns, widths, sources: await factsSources(connection) };
}

const selectList = (columns: SheetColumn[]) => columns.map((c) => `${c.expression ?? quoteIdent(c.name)} AS ${quoteIdent(c.name)}`).join(", ");

type XlsxCell = string | number | boolean | Date | null;

/** A DuckDB value as the cell of its column type; text through the CSVs' formula guard, cut at Excel's limit. */
function toCell(value: unknown, sql: SqlType): XlsxCell {
  if (value === null || value === undefined) return null;
  switch (sql) {
    case "VARCHAR": {
      const text = neutralizeFormula(value as string);
      return text.length > EXCEL_MAX_CELL_CHARS ? `${text.slice(0, EXCEL_MAX_CELL_CHARS - 1)}…` : text;
    }
    case "DATE":
      return new Date((value as DuckDBDateValue).days * MS_PER_DAY);
    case "BIGINT":
      return Number(value as bigint);
    case "DOUBLE":
    case "BOOLEAN":
      return value as number | boolean;
  }
}

interface Archive {
  append(source: unknown, data: { name: string; date?: Date }): unknown;
}

/** 1980-01-01, the earliest time a zip entry can carry. */
const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1));

/**
 * exceljs's streaming writer with every zip entry stamped ZIP_EPOCH: archiver otherwise stamps each with the time it
 * is added, and exceljs has no option for it. The setter catches the archive the base constructor creates.
 */
class ReproducibleWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  set zip(archive: Archive) {
    const append = archive.append.bind(archive);
    archive.append = (source, data) => append(source, { ...data, date: ZIP_EPOCH });
    Object.defineProperty(this, "zip", { value: archive, writable: true });
  }
}

/** Writes one sheet. */
async function writeSheet(workbook: ExcelJS.Workbook, connection: DuckDBConnection, sheet: Sheet): Promise<void> {
  const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((c, i) => ({ width: sheet.widths[i], ...(c.sql === "DATE" ? { style: { numFmt: DATE_FORMAT } } : {}) }));
  worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  const header = worksheet.addRow(sheet.columns.map((c) => c.name));
  header.font = { bold: true };
  header.commit();
  for (const source of sheet.sources) {
    const result = await connection.stream(`SELECT ${selectList(sheet.columns)} FROM ${source}`);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const vectors = sheet.columns.map((_, c) => chunk.getColumnVector(c));
      for (let i = 0; i < chunk.rowCount; i++) worksheet.addRow(sheet.columns.map((c, j) => toCell(vectors[j]!.getItem(i), c.sql))).commit();
    }
  }
  worksheet.commit();
}

/**
 * The most rows any sheet would have. The facts sheet has a row per fact and evidence row (a fact without evidence
 * once), counted on the tables: counting the view would sort it, which took a minute at 100,000 articles.
 */
async function longestSheet(connection: DuckDBConnection): Promise<number> {
  const facts = FACT_TABLES.map((t) => `SELECT ${sqlString(t)} AS table_name, record_id FROM ${quoteIdent(t)}`).join(" UNION ALL ");
  const factRows = `(SELECT count(*) FROM (${facts}) f LEFT JOIN evidence e ON e.table_name = f.table_name AND e.record_id = f.record_id)`;
  const counts = [factRows, ...TABLES.map((t) => `(SELECT count(*) FROM ${quoteIdent(t.name)})`)].join(", ");
  return Number((await connection.runAndReadAll(`SELECT greatest(${counts})`)).getRows()[0]![0]);
}

/**
 * Writes dataset.xlsx from the loaded tables and views of `connection` and returns its fingerprint, or null, writing
 * nothing, when a sheet would hold more rows than a spreadsheet opens (`maxRows`, header included): such an archive
 * is for the Parquet, Arrow and DuckDB files, and writing it cell by cell took minutes at 100,000 articles. Rows come
 * in the tables' stored (canonical) order and the facts view's order, so the same data gives the same bytes.
 */
export async function writeWorkbook(dir: string, connection: DuckDBConnection, maxRows = EXCEL_MAX_ROWS): Promise<FileInfo | null> {
  if ((await longestSheet(connection)) + 1 > maxRows) return null;
  const workbook = new ReproducibleWorkbookWriter({ filename: join(dir, WORKBOOK_PATH), useStyles: true, useSharedStrings: false });
  // Without these, docProps/core.xml would carry the time of the run.
  Object.assign(workbook, { created: undefined, modified: undefined });
  const tables = await tableSheets(connection);
  for (const sheet of [await factsSheet(connection, tables), ...tables]) await writeSheet(workbook, connection, sheet);
  await workbook.commit();
  return fingerprint(dir, WORKBOOK_PATH);
}
