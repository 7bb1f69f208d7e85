import { FACT_TABLES, factTable, type FactTable } from "../schema/tables.ts";

export type { RowOf } from "../schema/tables.ts";

/** The numbers scoring compares (within tolerance), each fact table's amount columns; a match needs at least one of them on both sides. */
export const AMOUNT_FIELDS = Object.fromEntries(FACT_TABLES.map((t): [string, readonly string[]] => [t, Object.keys(factTable(t).amounts)])) as Record<FactTable, readonly string[]>;

/** Identifying fields shown in reports next to the amounts (not all of them are scored), from each entry's eval.keys. */
export const KEY_FIELDS = Object.fromEntries(FACT_TABLES.map((t) => [t, factTable(t).eval.keys])) as Record<FactTable, readonly string[]>;

/** Key fields then amounts, with nulls kept: the compact view of a gold fact or a record. */
export function describeFields(table: FactTable, obj: object): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of [...KEY_FIELDS[table], ...AMOUNT_FIELDS[table]]) out[f] = src[f] ?? null;
  return out;
}
