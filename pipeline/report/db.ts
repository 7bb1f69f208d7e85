import { access } from "node:fs/promises";
import { DuckDBInstance, type DuckDBConnection, type Json } from "@duckdb/node-api";

export type Value = Json;
export type Row = Record<string, Value>;

export interface QueryResult {
  columns: string[];
  /** DuckDB type of each column, e.g. VARCHAR, DOUBLE, DATE. */
  types: string[];
  rows: Value[][];
}

/** Statements and streamed queries on one connection. */
export interface SqlSession {
  run(sql: string): Promise<void>;
  /** Rows as JSON-shaped objects, a chunk at a time, for results too big to hold (64-bit integers stay text: cast them in the SQL). */
  stream(sql: string): AsyncIterable<Row[]>;
}

/** A SqlSession over a connection. */
export function sqlSession(connection: DuckDBConnection): SqlSession {
  return {
    run: async (sql) => {
      await connection.run(sql);
    },
    async *stream(sql) {
      yield* (await connection.stream(sql)).yieldRowObjectJson();
    },
  };
}

export interface ReadOnlyDb extends SqlSession {
  query(sql: string): Promise<QueryResult>;
  /** Rows as objects keyed by column name. */
  rows(sql: string): Promise<Row[]>;
  close(): void;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

/** DuckDB's JSON form writes 64-bit integers as text; counts are small, so they become numbers again. */
function integersAsNumbers(types: string[], row: Value[]): Value[] {
  return row.map((v, i) => (typeof v === "string" && INTEGER.test(types[i]!) && Number.isSafeInteger(Number(v)) ? Number(v) : v));
}

/**
 * Opens a published dataset.duckdb read-only, so a query can never change the published file and
 * several readers can share it. Values come back JSON-shaped: dates as ISO text, integers as numbers.
 */
export async function openReadOnly(path: string): Promise<ReadOnlyDb> {
  await access(path).catch(() => {
    throw new Error(`no published database at ${path}: run \`npm run pipeline\` first`);
  });
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  const query = async (sql: string): Promise<QueryResult> => {
    const reader = await connection.runAndReadAll(sql);
    const types = reader.columnTypes().map((t) => t.toString());
    return { columns: reader.columnNames(), types, rows: reader.getRowsJson().map((r) => integersAsNumbers(types, r)) };
  };
  return {
    query,
    async rows(sql) {
      const { columns, rows } = await query(sql);
      return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
    },
    ...sqlSession(connection),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
