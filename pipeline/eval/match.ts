import { factTable, type FactTable, type GoldOf } from "../schema/tables.ts";
import { AMOUNT_FIELDS, type RowOf } from "./fields.ts";

/** Relative tolerance for amounts: absorbs rounding ("$987.9 million"), not different figures. */
export const DEFAULT_TOL = 0.005;

/** Whether a predicted record (with the article's own amounts) matches a gold fact. */
export function factMatches<T extends FactTable>(table: T, gold: GoldOf[T], pred: RowOf[T]): boolean {
  // The table's own rule for its key fields (schema/registry.ts), typed per entry.
  const keysAgree = factTable(table).eval.matches as (g: GoldOf[T], p: RowOf[T]) => boolean;
  return keysAgree(gold, pred) && amountsAgree(table, gold, pred, gold.tol ?? DEFAULT_TOL);
}

/** Every amount present on both sides agrees within `tol`, and at least one is present on both. */
export function amountsAgree(table: FactTable, gold: object, pred: object, tol: number): boolean {
  const g = gold as Record<string, unknown>;
  const p = pred as Record<string, unknown>;
  let shared = 0;
  for (const field of AMOUNT_FIELDS[table]) {
    const gv = g[field];
    const pv = p[field];
    if (typeof gv !== "number" || typeof pv !== "number") continue;
    shared++;
    if (!withinTolerance(gv, pv, tol)) return false;
  }
  return shared > 0;
}

/** Relative to the gold figure; the tiny slack keeps an exact boundary (0.5%) from failing on float error. */
export function withinTolerance(gold: number, pred: number, tol: number): boolean {
  return Math.abs(pred - gold) <= tol * Math.abs(gold) * (1 + 1e-9);
}
