import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Dataset } from "../schema/tables.ts";
import { replaceDirAtomically } from "./atomic.ts";
import { toCsv, withBom } from "./csv.ts";
import { buildDataPackage, DEFAULT_LICENSES, toJson, type License, type Source } from "./datapackage.ts";
import { buildReadme } from "./dictionary.ts";
import { loadTable, openDatabase } from "./duckdb.ts";
import { fingerprint, fingerprintAll, type FileInfo } from "./files.ts";
import { copyToParquet } from "./parquet.ts";
import { csvPath, EXCEL_DIR, excelCsvPath, parquetPath } from "./paths.ts";
import { prepareTables, type PreparedTable } from "./rows.ts";
import { createViews } from "./views.ts";

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

/**
 * Validates the dataset and replaces `outDir` with its published form: per table a CSV, a
 * Parquet file and a spreadsheet CSV (excel/), plus dataset.duckdb (tables and views),
 * datapackage.json and README.md. Throws on an invalid row
 * (before anything is written) or on any write failure, leaving the previous `outDir` as it was.
 */
export async function publish(dataset: Dataset, outDir: string, info: PublishInfo): Promise<PublishReport> {
  const tables = prepareTables(dataset);
  const packageInfo = { ...info, licenses: info.licenses ?? DEFAULT_LICENSES };
  let files: FileInfo[] = [];
  await replaceDirAtomically(
    outDir,
    async (dir) => {
      await writeTables(dir, tables);
      const written = new Map<string, FileInfo>();
      for (const { def } of tables) {
        for (const path of [csvPath(def.name), parquetPath(def.name), excelCsvPath(def.name)]) written.set(path, await fingerprint(dir, path));
      }
      await writeFile(join(dir, "datapackage.json"), toJson(buildDataPackage(packageInfo, tables, written)));
      await writeFile(join(dir, "README.md"), buildReadme(packageInfo, tables));
      files = await fingerprintAll(dir);
    },
    PRESERVED,
  );
  return { files, rowCounts: Object.fromEntries(tables.map((t) => [t.def.name, t.rows.length])) };
}

async function writeTables(dir: string, tables: PreparedTable[]): Promise<void> {
  await mkdir(join(dir, EXCEL_DIR));
  const database = await openDatabase(join(dir, "dataset.duckdb"));
  try {
    for (const table of tables) {
      const csv = toCsv(table.columns, table.rows);
      await writeFile(join(dir, csvPath(table.def.name)), csv);
      await writeFile(join(dir, excelCsvPath(table.def.name)), withBom(csv));
      await loadTable(database.connection, table);
      await copyToParquet(database.connection, table.def.name, join(dir, parquetPath(table.def.name)));
    }
    await createViews(database.connection);
  } finally {
    await database.close();
  }
}
