import type { SqlType } from "../schema/columns.ts";

/** Frictionless Table Schema field type for each storage type. */
export const FRICTIONLESS_TYPE: Record<SqlType, "string" | "date" | "number" | "integer" | "boolean"> = {
  VARCHAR: "string",
  DATE: "date",
  DOUBLE: "number",
  BIGINT: "integer",
  BOOLEAN: "boolean",
};

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 for an ISO date, or null when it is not a real calendar day.
 * The schema's regex accepts 2023-02-30; DuckDB would silently roll that over, so we reject it.
 */
export function epochDay(iso: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC maps years 0..99 to 1900..1999, so compare the full year too.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / MS_PER_DAY;
}
