import { access } from "node:fs/promises";
import { DuckDBInstance, StatementType, type DuckDBConnection, type Json } from "@duckdb/node-api";

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
  /** Exactly one statement that only reads (a SELECT, in any of its forms, or an EXPLAIN), else an error saying why. */
  queryOne(sql: string): Promise<QueryResult>;
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
 * The database file alone, read-only: no other file read or written (COPY, ATTACH, read_text, EXPORT), no
 * extension installed or loaded (no network), a memory ceiling, and the settings locked so no SET undoes it.
 */
const READ_ONLY = {
  access_mode: "READ_ONLY",
  enable_external_access: "false",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
  memory_limit: "1GB",
  lock_configuration: "true",
};

const READING = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN]);

/**
 * Opens a published dataset.duckdb read-only, so a query can never change the published file or reach
 * any other, and several readers can share it. Values come back JSON-shaped: dates as ISO text, integers
 * as numbers.
 */
export async function openReadOnly(path: string): Promise<ReadOnlyDb> {
  await access(path).catch(() => {
    throw new Error(`no published database at ${path}: run \`npm run pipeline\` first`);
  });
  const instance = await DuckDBInstance.create(path, READ_ONLY);
  const connection = await instance.connect();
  const query = async (sql: string): Promise<QueryResult> => {
    const reader = await connection.runAndReadAll(sql);
    const types = reader.columnTypes().map((t) => t.toString());
    return { columns: reader.columnNames(), types, rows: reader.getRowsJson().map((r) => integersAsNumbers(types, r)) };
  };
  return {
    query,
    async queryOne(sql) {
      const statements = await connection.extractStatements(sql);
      if (statements.count !== 1) throw new Error(`expected exactly one SQL statement, got ${statements.count}`);
      const type = (await statements.prepare(0)).statementType;
      if (!READING.has(type)) throw new Error(`the database is read-only: only SELECT (and EXPLAIN) statements are allowed, not ${StatementType[type]}`);
      return query(sql);
    },
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
