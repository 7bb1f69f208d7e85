import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent, sqlString } from "./duckdb.ts";

/**
 * Writes a loaded table to Parquet with zstd. Column types come from the DuckDB table, and the
 * single-threaded connection keeps row order and bytes identical between runs.
 */
export async function copyToParquet(connection: DuckDBConnection, table: string, path: string): Promise<void> {
  await connection.run(`COPY ${quoteIdent(table)} TO ${sqlString(path)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
}
