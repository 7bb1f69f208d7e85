import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { tableToIPC, Type } from "apache-arrow";
import { escape, fromArrow, type ColumnTable } from "arquero";
import { DEFAULT_OUTPUT } from "../paths.ts";
import { queryTable } from "../publish/arrow.ts";
import { sqlString } from "../publish/duckdb.ts";
import { parquetPath } from "../publish/paths.ts";
import { TABLES, type Country, type Dataset as PublishedRows } from "../schema/tables.ts";

/** The row type of every published table, by name: the zod schemas' output (dates as ISO `YYYY-MM-DD` text). */
export type TableRows = { [T in keyof PublishedRows]: PublishedRows[T][number] } & { countries: Country };
export type TableName = keyof TableRows;

/** Every published table as an arquero table under its name. */
export type DatasetTables = { readonly [T in TableName]: ColumnTable };

export interface Dataset extends DatasetTables {
  /** The folder the tables were read from. */
  readonly dir: string;
  /** A table's rows as plain objects of its schema's row type. */
  rows<T extends TableName>(name: T): TableRows[T][];
}

const MS_PER_DAY = 86_400_000;

/** Days since the epoch as ISO text, the form the schemas, the CSV files and `npm run query` give dates in. */
const isoDay = (ms: number | null) => (ms === null ? null : new Date(Math.round(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10));

/**
 * Reads one Parquet file into an arquero table through Arrow: DuckDB reads the Parquet, its rows become an
 * Arrow table (publish/arrow.ts, the same conversion that writes the .arrow files), and arquero decodes that
 * as IPC bytes with flechette, which gives 64-bit integers as numbers where apache-arrow's vectors give
 * bigint. Date columns become ISO text, as in the row types.
 */
async function readParquet(connection: Awaited<ReturnType<DuckDBInstance["connect"]>>, path: string): Promise<ColumnTable> {
  const arrow = await queryTable(connection, `SELECT * FROM read_parquet(${sqlString(path)})`);
  const dates = arrow.schema.fields.filter((f) => f.typeId === Type.Date).map((f) => f.name);
  const table = fromArrow(tableToIPC(arrow, "stream"), { useDate: false });
  if (dates.length === 0) return table;
  return table.derive(Object.fromEntries(dates.map((name) => [name, escape((d: Record<string, number | null>) => isoDay(d[name] ?? null))])));
}

/**
 * Opens a published dataset folder (default `output/`): every table in the registry, read from its
 * `<table>.parquet`, as an arquero table under its name (`ds.trade_flows`, `ds.evidence`, ...).
 */
export async function openDataset(dir: string = DEFAULT_OUTPUT): Promise<Dataset> {
  const folder = resolve(dir);
  await access(join(folder, "datapackage.json")).catch(() => {
    throw new Error(`no published dataset in ${folder}: run \`npm run pipeline\` first`);
  });
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  const tables: Record<string, ColumnTable> = {};
  try {
    for (const { name } of TABLES) tables[name] = await readParquet(connection, join(folder, parquetPath(name)));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return {
    ...(tables as DatasetTables),
    dir: folder,
    rows: <T extends TableName>(name: T) => tables[name]!.objects() as TableRows[T][],
  };
}
