import type { Column, Dataset, TableDef } from "../schema/tables.ts";
import { canonicalOrder, type Row } from "./rows.ts";
import { rowValidator } from "./validate.ts";

/**
 * A table given in chunks, for tables too big to hold at once. Chunks come in canonical order:
 * every row of a chunk sorts at or after every row of the previous chunk; rows within a chunk
 * may be in any order. Rows are validated like array rows, so they need no static row type.
 */
export interface ChunkedRows {
  chunks(): AsyncIterable<readonly Record<string, unknown>[]>;
}

/** The dataset publish takes: each table as an array of rows (in any order) or in chunks. */
export type PublishDataset = { [K in keyof Dataset]: Dataset[K] | ChunkedRows };

/**
 * The table's rows validated and in canonical order, chunk by chunk (an array is one chunk).
 * Throws on an invalid row, a duplicate primary key, or a chunk that starts before the previous
 * one ended; only one chunk is held at a time.
 */
export async function* canonicalChunks(def: TableDef, columns: Column[], input: unknown): AsyncGenerator<Row[]> {
  const validate = rowValidator(def, columns);
  const order = canonicalOrder(def, columns);
  let previous: Row | undefined;
  let offset = 0;
  for await (const chunk of chunksOf(def, input)) {
    const rows = chunk.map((raw, i) => validate(raw, offset + i));
    offset += chunk.length;
    rows.sort(order.compareRows);
    for (const row of rows) {
      if (previous) {
        const c = order.compareKeys(previous, row);
        if (c === 0) throw new Error(`publish: table ${def.name} has a duplicate primary key (${describeKey(def, row)})`);
        if (c > 0) {
          throw new Error(
            `publish: table ${def.name}: chunks are out of order, (${describeKey(def, row)}) comes after (${describeKey(def, previous)})`,
          );
        }
      }
      previous = row;
    }
    yield rows;
  }
}

function chunksOf(def: TableDef, input: unknown): AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]> {
  if (Array.isArray(input)) return [input];
  if (typeof (input as Partial<ChunkedRows> | undefined)?.chunks === "function") return (input as ChunkedRows).chunks();
  throw new Error(`publish: dataset has neither an array nor chunks for table ${def.name}`);
}

function describeKey(def: TableDef, row: Row): string {
  return def.primaryKey.map((k) => `${k}=${JSON.stringify(row[k])}`).join(", ");
}
