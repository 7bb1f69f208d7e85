import type { Column } from "../schema/tables.ts";
import type { SqlType } from "../schema/columns.ts";
import { ByteBuffer } from "./byteBuffer.ts";
import type { Cell, Row } from "./rows.ts";

/**
 * RFC 4180 record separator. The writer is the project's own, not csv-stringify: it appends each record to the
 * flush buffer and measures the record's exact width for the Parquet row groups in the same pass, which a
 * library taking whole records would need a second formatting pass for; it quotes any field holding CR or LF.
 */
export const CSV_LINE_END = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;

/** Spreadsheets execute text starting with = + - @ (or tab/CR before them); a leading ' makes it inert text. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Plain decimal with at most 15 significant digits (the digits a double reliably carries),
 * never an exponent: 987900000, 272.728, 0.0000001.
 */
export function formatDouble(value: number): string {
  if (value === 0) return "0";
  // The shortest round-trip form is already the 15-digit rounding when it has no more digits and no exponent.
  const shortest = String(value);
  if (fitsFifteenDigits(shortest)) return shortest;
  const [mantissa = "", exponent = "0"] = Math.abs(value).toExponential(14).split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  const point = Number(exponent) + 1;
  const sign = value < 0 ? "-" : "";
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function fitsFifteenDigits(shortest: string): boolean {
  let digits = 0;
  for (let i = 0; i < shortest.length; i++) {
    const unit = shortest.charCodeAt(i);
    if (unit === 0x65 /* e */) return false;
    // Leading zeros ("0.000123") are not significant.
    if (unit >= 0x30 && unit <= 0x39 && (digits > 0 || unit !== 0x30)) digits++;
  }
  return digits <= 15;
}

/** The text of one cell before CSV quoting; null becomes the empty cell. */
export function formatCell(value: Cell, sql: SqlType): string {
  if (value === null) return "";
  switch (sql) {
    case "VARCHAR":
      return neutralizeFormula(String(value));
    case "DOUBLE":
      return formatDouble(value as number);
    case "BIGINT":
      return String(value); // schema guarantees a safe integer, which String() never writes with an exponent
    case "BOOLEAN":
      return value ? "true" : "false";
    case "DATE":
      return String(value); // already validated ISO YYYY-MM-DD
  }
}

export function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** The exact text of a cell: no formula guard, every digit of a double. */
function exactCell(value: Cell, sql: SqlType): string {
  if (sql === "DOUBLE" && Object.is(value, -0)) return "-0"; // String(-0) drops the sign
  return String(value);
}

/** An empty string is quoted so it stays distinguishable from null (the bare empty cell). */
function field(value: Cell, text: string): string {
  return value === "" ? '""' : quote(text);
}

const COMMA = 0x2c;

export function csvHeader(columns: Column[]): string {
  return columns.map((c) => quote(c.name)).join(",") + CSV_LINE_END;
}

/**
 * Appends one record to `published` as the CSV files carry it. Returns the bytes the record takes written
 * with exact values (no formula guard, every digit of a double), which size the table's Parquet row groups
 * (parquet.ts); the two differ only in guarded text and long doubles, so most records are measured once.
 */
export function appendRecord(columns: Column[], row: Row, published: ByteBuffer): number {
  const start = published.length;
  let differs = false;
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) published.byte(COMMA);
    const { name, sql } = columns[i]!;
    const value = row[name] ?? null;
    if (value === null) continue;
    const text = formatCell(value, sql);
    published.text(field(value, text));
    if (!differs && (sql === "VARCHAR" || sql === "DOUBLE")) differs = exactCell(value, sql) !== text;
  }
  published.text(CSV_LINE_END);
  if (!differs) return published.length - start;
  let bytes = Buffer.byteLength(CSV_LINE_END) + columns.length - 1;
  for (const { name, sql } of columns) {
    const value = row[name] ?? null;
    if (value !== null) bytes += Buffer.byteLength(field(value, exactCell(value, sql)));
  }
  return bytes;
}
