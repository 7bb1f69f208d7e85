import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TABLES, columnsOf } from "../schema/tables.ts";
import { replaceDirAtomically } from "./atomic.ts";
import { canonicalChunks, type PublishDataset } from "./chunks.ts";
import { CountryCodes } from "./countries.ts";
import { buildDataPackage, DEFAULT_LICENSES, toJson, type License, type Source } from "./datapackage.ts";
import { buildReadme } from "./dictionary.ts";
import { writeArrowFile } from "./arrow.ts";
import { appendRow, createTable, openDatabase, quoteIdent } from "./duckdb.ts";
import { fingerprint, fingerprintAll, type FileInfo } from "./files.ts";
import { copyToParquet, rowGroupRows } from "./parquet.ts";
import { REVIEW_QUEUE_FILE, writeReviewQueue } from "./reviewQueue.ts";
import { sqlSession } from "../report/db.ts";
import { arrowPath, parquetPath, WORKBOOK_PATH } from "./paths.ts";
import type { PublishedTable } from "./rows.ts";
import { writeTableCsv } from "./tableCsv.ts";
import { createViews } from "./views.ts";
import { writeWorkbook } from "./workbook.ts";

export type { ChunkedRows, PublishDataset } from "./chunks.ts";

export interface PublishInfo {
  name: string;
  title: string;
  version: string;
  sources: Source[];
  /** Defaults to CC-BY-4.0. */
  licenses?: License[];
}

export interface PublishReport {
  /** Every file publish wrote (not `report/`), by name. */
  files: FileInfo[];
  rowCounts: Record<string, number>;
}

/** Subfolder of the output folder that another stage owns; publish carries it over untouched. */
const PRESERVED = ["report"];

/** Staging subfolder for DuckDB's spills, removed before the swap. */
const SCRATCH_DIR = ".scratch";

/**
 * Validates the dataset and replaces `outDir` with its published form (publishInto), swapped in by rename.
 * Throws on an invalid row, a duplicate key, chunks out of order or any write failure, always before the swap,
 * leaving the previous `outDir` as it was. The scheduled run publishes with publishInto and its own flip instead.
 */
export async function publish(dataset: PublishDataset, outDir: string, info: PublishInfo): Promise<PublishReport> {
  let report: PublishReport = { files: [], rowCounts: {} };
  await replaceDirAtomically(
    outDir,
    async (dir) => {
      report = await publishInto(dataset, dir, info);
    },
    PRESERVED,
  );
  return report;
}

/**
 * Writes the dataset's published form into the empty folder `dir`: per table a CSV, a Parquet file and an Arrow IPC file,
 * plus dataset.duckdb (tables and views), dataset.xlsx (a sheet per table), review_queue.csv,
 * datapackage.json and README.md. Tables are streamed chunk by chunk, so memory follows the largest chunk (an
 * array is one chunk).
 */
export async function publishInto(dataset: PublishDataset, dir: string, info: PublishInfo): Promise<PublishReport> {
  const packageInfo = { ...info, licenses: info.licenses ?? DEFAULT_LICENSES };
  const written = new Map<string, FileInfo>();
  const tables = await writeTables(dir, dataset, written);
  await writeFile(join(dir, "datapackage.json"), toJson(buildDataPackage(packageInfo, tables, written)));
  await writeFile(join(dir, "README.md"), buildReadme(packageInfo, tables));
  const files = await fingerprintAll(dir, written);
  return { files, rowCounts: Object.fromEntries(tables.map((t) => [t.def.name, t.rowCount])) };
}

/**
 * Writes every table's files and dataset.duckdb, recording the table files' fingerprints in `written`: each
 * row goes to the CSVs and, through DuckDB's appender, into the database, whose table is then exported to
 * Parquet.
 */
async function writeTables(dir: string, dataset: PublishDataset, written: Map<string, FileInfo>): Promise<PublishedTable[]> {
  const scratch = join(dir, SCRATCH_DIR);
  await mkdir(scratch);
  const tables: PublishedTable[] = [];
  try {
    const database = await openDatabase(join(dir, "dataset.duckdb"), join(scratch, "duckdb"));
    const { connection } = database;
    try {
      // One transaction for the whole load: DuckDB then writes full row groups straight into the file
      // instead of committing every piece through its write-ahead log, which is several times slower.
      await connection.run("BEGIN TRANSACTION");
      const countries = new CountryCodes();
      for (const def of TABLES) {
        const table = { def, columns: columnsOf(def) };
        await createTable(connection, table);
        // The countries table is last in TABLES: it is built from the codes every table before it used.
        const input = def.name === "countries" ? countries.rows() : (dataset as Record<string, unknown>)[def.name];
        const rows = countries.observe(def, canonicalChunks(def, table.columns, input));
        const appender = await connection.createAppender(def.name);
        const { rowCount, widestRow, csv } = await writeTableCsv(dir, table, rows, (row) => appendRow(appender, table, row));
        appender.closeSync();
        written.set(csv.path, csv);
        const parquet = parquetPath(def.name);
        const arrow = arrowPath(def.name);
        await copyToParquet(connection, def.name, join(dir, parquet), rowGroupRows(widestRow));
        await writeArrowFile(connection, `SELECT * FROM ${quoteIdent(def.name)}`, join(dir, arrow), rowGroupRows(widestRow));
        for (const path of [parquet, arrow]) written.set(path, await fingerprint(dir, path));
        tables.push({ ...table, rowCount });
      }
      await connection.run("COMMIT");
      await createViews(connection);
      const workbook = await writeWorkbook(dir, connection);
      if (workbook) written.set(WORKBOOK_PATH, workbook);
      written.set(REVIEW_QUEUE_FILE, await writeReviewQueue(dir, sqlSession(connection)));
    } catch (error) {
      database.discard();
      throw error;
    }
    await database.close();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return tables;
}
