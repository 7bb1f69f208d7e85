import type { Column, TableDef } from "../schema/tables.ts";

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** A table and its columns (derived from its schema), which every writer iterates over. */
export interface TableColumns {
  def: TableDef;
  columns: Column[];
}

/** A table as written: what the data package and the README describe. */
export interface PublishedTable extends TableColumns {
  rowCount: number;
}

/** The canonical order of a table's rows: primary key, then the remaining columns. */
export interface CanonicalOrder {
  compareRows(a: Row, b: Row): number;
  /** Compares the primary keys only; 0 means a duplicate key. */
  compareKeys(a: Row, b: Row): number;
}

export function canonicalOrder(def: TableDef, columns: Column[]): CanonicalOrder {
  const key = def.primaryKey;
  const rest = columns.map((c) => c.name).filter((n) => !key.includes(n));
  const compareKeys = (a: Row, b: Row) => compareBy(key, a, b);
  return {
    compareKeys,
    compareRows: (a, b) => compareKeys(a, b) || compareBy(rest, a, b),
  };
}

function compareBy(names: readonly string[], a: Row, b: Row): number {
  for (const name of names) {
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
