import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import type { Row, TableColumns } from "./rows.ts";

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface Database {
  connection: DuckDBConnection;
  /** Checkpoints (so no .wal file is left beside the database) and closes. */
  close(): Promise<void>;
  /** Closes without a checkpoint, after a failure: the file is thrown away, and an open transaction would refuse one. */
  discard(): void;
}

/**
 * DuckDB's memory limit. It fills whatever it is given and takes about as much again beside it (CSV
 * reading, Parquet writing, allocator slack): publishing 100,000 articles at 128 MB peaked ~250 MB above the
 * process's base, at 64 MB ~160 MB, no slower (measured on a replay of its load). Parquet row groups are
 * sized from it (parquet.ts).
 */
export const DUCKDB_MEMORY_MB = 64;

/**
 * Opens (creating) a DuckDB file. One thread, so exports from it are byte-for-byte reproducible;
 * a memory limit and a spill folder (`tempDir`, which the caller removes) so that a big table
 * goes to disk rather than into RAM.
 */
export async function openDatabase(path: string, tempDir: string): Promise<Database> {
  const instance = await DuckDBInstance.create(path, { threads: "1", memory_limit: `${DUCKDB_MEMORY_MB}MB`, temp_directory: tempDir });
  const connection = await instance.connect();
  const discard = () => {
    connection.closeSync();
    instance.closeSync();
  };
  return {
    connection,
    discard,
    async close() {
      try {
        await connection.run("CHECKPOINT");
      } finally {
        discard();
      }
    },
  };
}

/**
 * Creates the table with typed columns and documents it with COMMENTs, while it is empty (altering
 * a table that holds rows costs far more). Keys are stated in the table comment, not declared: the
 * publisher has already checked them (validate.ts), and DuckDB holds a declared key's index in memory
 * whole, ~80 bytes a row, which at archive size was the largest thing a run held (and made loading 2×
 * slower).
 */
export async function createTable(connection: DuckDBConnection, table: TableColumns): Promise<void> {
  const { def, columns } = table;
  const name = quoteIdent(def.name);
  const definitions = columns.map((c) => `${quoteIdent(c.name)} ${c.sql}${c.required ? " NOT NULL" : ""}`);
  await connection.run(`CREATE TABLE ${name} (${definitions.join(", ")})`);
  await connection.run(`COMMENT ON TABLE ${name} IS ${sqlString(tableComment(table))}`);
  for (const column of columns) {
    await connection.run(`COMMENT ON COLUMN ${name}.${quoteIdent(column.name)} IS ${sqlString(column.description)}`);
  }
}

/** Appends a validated row to a table created by createTable, cell by cell in its column types. */
export function appendRow(appender: DuckDBAppender, { columns }: TableColumns, row: Row): void {
  for (const { name, sql } of columns) {
    const value = row[name] ?? null;
    if (value === null) appender.appendNull();
    else if (sql === "DOUBLE") appender.appendDouble(value as number);
    else if (sql === "BIGINT") appender.appendBigInt(BigInt(value as number));
    else if (sql === "BOOLEAN") appender.appendBoolean(value as boolean);
    // VARCHAR as is; an ISO date cast by DuckDB.
    else appender.appendVarchar(value as string);
  }
  appender.endRow();
}

function tableComment({ def }: TableColumns): string {
  const parts = [def.description, `Primary key: (${def.primaryKey.join(", ")}).`];
  for (const fk of def.foreignKeys) {
    parts.push(`Foreign key: (${fk.fields.join(", ")}) references ${fk.reference.resource} (${fk.reference.fields.join(", ")}).`);
  }
  return parts.join(" ");
}
