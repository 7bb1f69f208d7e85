import type { MergedRecord } from "../reconcile/merge.ts";
import { turnoverChecks } from "../reconcile/turnover.ts";
import { columnsOf, FACT_TABLES, factTable, TABLES, type Dataset, type FactTable, type QaCheck } from "../schema/tables.ts";
import { deriveGrowth } from "./growth.ts";

export type RecordTables = Pick<Dataset, FactTable | "growth_rates"> & { qa: QaCheck[] };

function rowsOf(records: MergedRecord[], table: FactTable): Record<string, unknown>[] {
  const cols = columnsOf(TABLES.find((t) => t.name === table)!).map((c) => c.name);
  return records.filter((r) => r.table === table).map((r) => Object.fromEntries(cols.map((c) => [c, r.row[c] ?? null])));
}

/** The record tables' rows, growth rates, and the checks across records (turnover sums, then growth consistency). */
export function deriveRecords(records: MergedRecord[]): RecordTables {
  const { growth, qa } = deriveGrowth(records);
  const rows = Object.fromEntries(FACT_TABLES.map((t) => [t, rowsOf(records, t)])) as Pick<Dataset, FactTable>;
  return { ...rows, growth_rates: growth, qa: [...turnoverChecks(records), ...qa] };
}

/**
 * Which records deriveRecords must see together: the group the table's rule puts a record in (a dated trade
 * flow meets others of its pair and commodity); any other record meets none, and is a group of its own. So
 * the records of an archive can be split by this key and each group derived apart, with the same rows as all at once.
 */
export function derivationGroup(r: MergedRecord): string {
  return factTable(r.table).derivationGroup?.(r.row) ?? r.record_id;
}
