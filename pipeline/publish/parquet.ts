import type { DuckDBConnection } from "@duckdb/node-api";
import { DUCKDB_MEMORY_MB, quoteIdent, sqlString } from "./duckdb.ts";

/** DuckDB's own row-group size, kept for tables narrow enough. */
const DEFAULT_ROW_GROUP_ROWS = 122_880;
/**
 * Bytes of rows a row group may take: a quarter of DuckDB's memory. DuckDB builds each Parquet row group in
 * memory whole, beyond what its buffer pool can spill: at the default size, 100,000 evidence rows with quotes
 * of 1,200 characters ran out of 128 MB (measured, with ASCII and with CJK text); at 64 MB, 8,192 rows of
 * 3.6 KB ran out and 4,096 fit.
 */
const ROW_GROUP_BYTES = (DUCKDB_MEMORY_MB << 20) / 4;
const MIN_ROW_GROUP_ROWS = 1024;

/**
 * Rows per Parquet row group for a table whose widest record takes `widestRowBytes` (as CSV): the default
 * when it fits ROW_GROUP_BYTES, else the largest power of two that does. A function of the data alone, so
 * the same rows give the same files.
 */
export function rowGroupRows(widestRowBytes: number): number {
  const fit = ROW_GROUP_BYTES / Math.max(1, widestRowBytes);
  if (fit >= DEFAULT_ROW_GROUP_ROWS) return DEFAULT_ROW_GROUP_ROWS;
  return Math.max(MIN_ROW_GROUP_ROWS, 2 ** Math.floor(Math.log2(fit)));
}

/**
 * Writes a loaded table to Parquet with zstd. Column types come from the DuckDB table, and the
 * single-threaded connection keeps row order and bytes identical between runs.
 */
export async function copyToParquet(connection: DuckDBConnection, table: string, path: string, rowGroup: number): Promise<void> {
  await connection.run(`COPY ${quoteIdent(table)} TO ${sqlString(path)} (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE ${rowGroup})`);
}
