import type { MergedRecord } from "../reconcile/merge.ts";
import { turnoverChecks } from "../reconcile/turnover.ts";
import { columnsOf, TABLES, type Dataset, type FactTable, type QaCheck } from "../schema/tables.ts";
import { deriveGrowth } from "./growth.ts";

export type RecordTables = Pick<Dataset, FactTable | "growth_rates"> & { qa: QaCheck[] };

function rowsOf(records: MergedRecord[], table: FactTable): Record<string, unknown>[] {
  const cols = columnsOf(TABLES.find((t) => t.name === table)!).map((c) => c.name);
  return records.filter((r) => r.table === table).map((r) => Object.fromEntries(cols.map((c) => [c, r.row[c] ?? null])));
}

/** The record tables' rows, growth rates, and the checks across records (turnover sums, then growth consistency). */
export function deriveRecords(records: MergedRecord[]): RecordTables {
  const { growth, qa } = deriveGrowth(records);
  return {
    trade_flows: rowsOf(records, "trade_flows") as Dataset["trade_flows"],
    aid_shipments: rowsOf(records, "aid_shipments") as Dataset["aid_shipments"],
    contracts: rowsOf(records, "contracts") as Dataset["contracts"],
    grants: rowsOf(records, "grants") as Dataset["grants"],
    growth_rates: growth,
    qa: [...turnoverChecks(records), ...qa],
  };
}

/**
 * Which records deriveRecords must see together. A dated trade flow meets others of its pair and commodity:
 * a growth series (flow, pair, commodity, unit) and a turnover sum (one pair and period, no commodity) never
 * leave that group. Any other record meets none, and is a group of its own. So the records of an archive can
 * be split by this key and each group derived apart, with the same rows as all at once.
 */
export function derivationGroup(r: MergedRecord): string {
  if (r.table !== "trade_flows" || r.row.period_start === null) return r.record_id;
  return JSON.stringify([[r.row.reporter_iso3, r.row.partner_iso3].sort(), r.row.commodity]);
}
