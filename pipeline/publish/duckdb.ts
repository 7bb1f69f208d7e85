import { DuckDBInstance, dateValue, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import type { Column } from "../schema/tables.ts";
import type { Cell, PreparedTable } from "./rows.ts";
import { epochDay } from "./sqlTypes.ts";

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
}

/** Opens (creating) a DuckDB file. One thread, so exports from it are byte-for-byte reproducible. */
export async function openDatabase(path: string): Promise<Database> {
  const instance = await DuckDBInstance.create(path, { threads: "1" });
  const connection = await instance.connect();
  return {
    connection,
    async close() {
      try {
        await connection.run("CHECKPOINT");
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    },
  };
}

/**
 * Creates the table with typed columns, appends its rows and documents it with COMMENTs.
 * A PRIMARY KEY constraint is declared only when every key column is required, because DuckDB
 * forbids NULL in key columns (aid_items' key includes the nullable `unit`); the table comment
 * always states the logical key and foreign keys.
 */
export async function loadTable(connection: DuckDBConnection, table: PreparedTable): Promise<void> {
  const { def, columns, rows } = table;
  const name = quoteIdent(def.name);
  const definitions = columns.map((c) => `${quoteIdent(c.name)} ${c.sql}${c.required ? " NOT NULL" : ""}`);
  const keyIsRequired = def.primaryKey.every((k) => columns.find((c) => c.name === k)?.required);
  if (keyIsRequired) definitions.push(`PRIMARY KEY (${def.primaryKey.map(quoteIdent).join(", ")})`);
  await connection.run(`CREATE TABLE ${name} (${definitions.join(", ")})`);

  const appender = await connection.createAppender(def.name);
  try {
    for (const row of rows) {
      for (const column of columns) appendCell(appender, column, row[column.name] ?? null);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }

  await connection.run(`COMMENT ON TABLE ${name} IS ${sqlString(tableComment(table))}`);
  for (const column of columns) {
    await connection.run(`COMMENT ON COLUMN ${name}.${quoteIdent(column.name)} IS ${sqlString(column.description)}`);
  }
}

function tableComment({ def }: PreparedTable): string {
  const parts = [def.description, `Primary key: (${def.primaryKey.join(", ")}).`];
  for (const fk of def.foreignKeys) {
    parts.push(`Foreign key: (${fk.fields.join(", ")}) references ${fk.reference.resource} (${fk.reference.fields.join(", ")}).`);
  }
  return parts.join(" ");
}

function appendCell(appender: DuckDBAppender, column: Column, value: Cell): void {
  if (value === null) return appender.appendNull();
  switch (column.sql) {
    case "VARCHAR":
      return appender.appendVarchar(value as string);
    case "DOUBLE":
      return appender.appendDouble(value as number);
    case "BIGINT":
      return appender.appendBigInt(BigInt(value as number));
    case "BOOLEAN":
      return appender.appendBoolean(value as boolean);
    case "DATE": {
      const day = epochDay(value as string);
      if (day === null) throw new Error(`publish: ${column.name} "${String(value)}" is not a calendar date`);
      return appender.appendDate(dateValue(day));
    }
  }
}
