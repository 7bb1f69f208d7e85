import type { Column } from "../schema/tables.ts";
import type { SqlType } from "../schema/columns.ts";
import type { Cell, Row } from "./rows.ts";

/**
 * RFC 4180 record separator. csv-stringify is not used because it leaves a bare LF unquoted
 * when the record delimiter is CRLF; this writer quotes any field holding CR or LF.
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
  const [mantissa = "", exponent = "0"] = Math.abs(value).toExponential(14).split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  const point = Number(exponent) + 1;
  const sign = value < 0 ? "-" : "";
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
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

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** A whole table as CSV: header of column names, one record per row, every record ending in CRLF. */
export function toCsv(columns: Column[], rows: Row[]): string {
  const lines = [columns.map((c) => quote(c.name)).join(",")];
  for (const row of rows) {
    lines.push(
      columns
        .map((c) => {
          const value = row[c.name] ?? null;
          // An empty string is quoted so it stays distinguishable from null (the bare empty cell).
          return value === "" ? '""' : quote(formatCell(value, c.sql));
        })
        .join(","),
    );
  }
  return lines.join(CSV_LINE_END) + CSV_LINE_END;
}

/**
 * The spreadsheet variant: the same CSV behind a UTF-8 byte order mark. Excel opens a CSV without
 * one in the system's legacy code page, which garbles names like Mazār-e Sharīf; data tools, on
 * the other hand, may read a BOM as part of the first header, so the main CSVs go without.
 */
export function withBom(csv: string): string {
  return `\uFEFF${csv}`;
}
