import type { QueryResult, Value } from "./db.ts";

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

function show(value: Value): string {
  if (value === null) return "NULL";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value).replace(/\r?\n|\r/g, "⏎");
}

/** Length in code points, so non-ASCII names (Mazār-e Sharīf) do not skew the columns. */
const width = (text: string) => [...text].length;

/**
 * A query result as an aligned plain-text table: header, a rule, one line per row; numbers
 * right-aligned, everything else left-aligned; newlines inside values shown as ⏎.
 */
export function formatTextTable({ columns, types, rows }: QueryResult): string {
  const cells = rows.map((r) => r.map(show));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i]!))));
  const right = types.map((t) => NUMERIC.test(t));
  const pad = (text: string, i: number) => {
    const fill = " ".repeat(widths[i]! - width(text));
    return right[i] ? fill + text : text + fill;
  };
  const line = (r: string[]) => r.map(pad).join(" | ").trimEnd();
  const lines = [line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.map(line)];
  lines.push(`(${rows.length} ${rows.length === 1 ? "row" : "rows"})`);
  return lines.join("\n") + "\n";
}
