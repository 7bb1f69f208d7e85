import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { DuckDBConnection, DuckDBDateValue, DuckDBValue } from "@duckdb/node-api";
import { Bool, DateDay, Field, Float64, Int64, makeBuilder, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct, Table, Utf8, type Data, type DataType } from "apache-arrow";
import type { SqlType } from "../schema/columns.ts";

const MS_PER_DAY = 86_400_000;

/** The Arrow type of each storage type: the logical types DuckDB gives these columns in Parquet. */
const ARROW_TYPE: Record<SqlType, () => DataType> = {
  VARCHAR: () => new Utf8(),
  DATE: () => new DateDay(),
  DOUBLE: () => new Float64(),
  BIGINT: () => new Int64(),
  BOOLEAN: () => new Bool(),
};

/** A DuckDB cell as the Arrow builder of its type takes it: a date as epoch milliseconds, the rest as DuckDB gives it. */
function arrowValue(sql: SqlType, value: DuckDBValue): unknown {
  if (value === null) return null;
  return sql === "DATE" ? (value as DuckDBDateValue).days * MS_PER_DAY : value;
}

function isSqlType(name: string): name is SqlType {
  return Object.hasOwn(ARROW_TYPE, name);
}

/** A query's columns as Arrow fields, all nullable like the OPTIONAL columns of DuckDB's Parquet files. */
function arrowSchema(names: string[], types: SqlType[]): Schema {
  return new Schema(names.map((name, i) => new Field(name, ARROW_TYPE[types[i]!](), true)));
}

/** A record batch of `length` rows from its columns' data (missing columns are all null). */
function batchOf(schema: Schema, length: number, children: Data[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

/**
 * The rows of a query as Arrow record batches of `batchRows` rows (the last one shorter), built from
 * DuckDB's chunks as they stream, so a table is never held whole.
 */
export async function* queryBatches(connection: DuckDBConnection, sql: string, batchRows: number): AsyncGenerator<RecordBatch, Schema> {
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const types = result.columnTypes().map((t, i) => {
    const name = t.toString();
    if (!isSqlType(name)) throw new Error(`arrow: column ${names[i]} has type ${name}, which the dataset does not use`);
    return name;
  });
  const schema = arrowSchema(names, types);
  const newBuilders = () => schema.fields.map((f) => makeBuilder({ type: f.type, nullValues: [null] }));
  let builders = newBuilders();
  let rows = 0;
  const flush = (): RecordBatch => {
    const children = builders.map((b) => b.finish().flush());
    const batch = batchOf(schema, rows, children);
    builders = newBuilders();
    rows = 0;
    return batch;
  };
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const columns = chunk.getColumns();
    for (let r = 0; r < chunk.rowCount; r++) {
      columns.forEach((values, c) => builders[c]!.append(arrowValue(types[c]!, values[r]!)));
      if (++rows === batchRows) yield flush();
    }
  }
  if (rows > 0) yield flush();
  return schema;
}

/** A query's result as one Arrow table, in the query's order. */
export async function queryTable(connection: DuckDBConnection, sql: string): Promise<Table> {
  const batches: RecordBatch[] = [];
  const iterator = queryBatches(connection, sql, Number.MAX_SAFE_INTEGER);
  for (let next = await iterator.next(); ; next = await iterator.next()) {
    if (next.done) return batches.length > 0 ? new Table(batches) : new Table(next.value);
    batches.push(next.value);
  }
}

/**
 * Writes a query's rows to an Arrow IPC file (Feather v2), streamed batch by batch. The writer adds no
 * timestamps and DuckDB streams one thread's rows in order, so the same rows give the same bytes.
 */
export async function writeArrowFile(connection: DuckDBConnection, sql: string, path: string, batchRows: number): Promise<void> {
  const writer = new RecordBatchFileWriter();
  const written = pipeline(writer.toNodeStream(), createWriteStream(path));
  const iterator = queryBatches(connection, sql, batchRows);
  let next = await iterator.next();
  let batches = 0;
  for (; !next.done; next = await iterator.next(), batches++) writer.write(next.value);
  // The writer writes the schema with the first batch, so an empty table gets an empty one.
  if (batches === 0) writer.write(batchOf(next.value, 0, []));
  writer.finish();
  await written;
}
