import { z } from "zod";
import { TABLES, columnsOf, type Column, type Dataset, type TableDef } from "../schema/tables.ts";
import { epochDay } from "./sqlTypes.ts";

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** A table ready for every writer: validated rows in canonical order. */
export interface PreparedTable {
  def: TableDef;
  columns: Column[];
  rows: Row[];
}

/**
 * Validates every table of the dataset against its schema and puts rows in canonical order.
 * Invalid rows are programming errors upstream, so the first one throws (table name + zod message).
 */
export function prepareTables(dataset: Dataset): PreparedTable[] {
  return TABLES.map((def) => {
    const input: unknown = (dataset as unknown as Record<string, unknown>)[def.name];
    if (!Array.isArray(input)) throw new Error(`publish: dataset has no array for table ${def.name}`);
    const columns = columnsOf(def);
    const rows = input.map((raw, i) => validateRow(def, columns, raw, i));
    const order = [...def.primaryKey, ...columns.map((c) => c.name).filter((n) => !def.primaryKey.includes(n))];
    rows.sort((a, b) => compareRows(a, b, order));
    assertUniqueKeys(def, rows);
    return { def, columns, rows };
  });
}

function validateRow(def: TableDef, columns: Column[], raw: unknown, index: number): Row {
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`publish: table ${def.name}, row ${index} fails its schema:\n${z.prettifyError(parsed.error)}`);
  }
  const row = parsed.data as Row;
  for (const column of columns) {
    const value = row[column.name];
    if (column.sql === "DATE" && typeof value === "string" && epochDay(value) === null) {
      throw new Error(`publish: table ${def.name}, row ${index}: ${column.name} "${value}" is not a calendar date`);
    }
  }
  return row;
}

function assertUniqueKeys(def: TableDef, sorted: Row[]): void {
  // Rows are sorted by key first, so duplicates are neighbours.
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (def.primaryKey.every((k) => compareCells(prev[k] ?? null, cur[k] ?? null) === 0)) {
      const key = def.primaryKey.map((k) => `${k}=${JSON.stringify(cur[k])}`).join(", ");
      throw new Error(`publish: table ${def.name} has a duplicate primary key (${key})`);
    }
  }
}

function compareRows(a: Row, b: Row, order: string[]): number {
  for (const name of order) {
    const c = compareCells(a[name] ?? null, b[name] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

/** Total, locale-independent order: nulls first, then by value. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares strings by Unicode code point (= UTF-8 byte order, as DuckDB sorts), not UTF-16 code unit:
 * surrogates (U+D800..DFFF) are lifted above U+E000..FFFF so astral characters sort last.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return liftSurrogate(x) - liftSurrogate(y);
  }
  return a.length - b.length;
}

function liftSurrogate(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
