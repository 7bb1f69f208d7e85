import { escape, type ColumnTable } from "arquero";
import type { Row } from "../pipeline/report/db.ts";

/** Helpers the notebooks share over the API's arquero tables. */

/** A table's rows as the report's blocks take them. */
export const rowsOf = (table: ColumnTable): Row[] => table.objects() as Row[];

/** Orders ascending with missing values last (arquero puts them first), e.g. undated figures after dated ones. */
export function orderNullsLast(table: ColumnTable, ...keys: (string | ((d: Row) => unknown))[]): ColumnTable {
  const value = (k: string | ((d: Row) => unknown)) => (typeof k === "string" ? (d: Row) => d[k] : k);
  return table.orderby(...keys.flatMap((k) => [escape((d: Row) => value(k)(d) == null), escape((d: Row) => value(k)(d))]));
}
