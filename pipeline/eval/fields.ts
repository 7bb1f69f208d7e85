import type { AidShipment, Contract, FactTable, Grant, TradeFlow } from "../schema/tables.ts";

/** Row type of each fact table, so eval code can stay generic over the four tables. */
export interface RowOf {
  trade_flows: TradeFlow;
  aid_shipments: AidShipment;
  contracts: Contract;
  grants: Grant;
}

/** The numbers scoring compares (within tolerance); a match needs at least one of them on both sides. */
export const AMOUNT_FIELDS = {
  trade_flows: ["value_usd", "quantity_tonnes"],
  aid_shipments: ["weight_tonnes", "value_usd", "railcars"],
  contracts: ["value_usd", "quantity_tonnes", "n_contracts"],
  grants: ["grants_per_year", "students", "institutions"],
} as const satisfies { [T in FactTable]: readonly (keyof RowOf[T])[] };

/** Identifying fields shown in reports next to the amounts (not all of them are scored). */
export const KEY_FIELDS = {
  trade_flows: ["flow", "reporter_iso3", "partner_iso3", "period_start", "period_end", "status", "commodity"],
  aid_shipments: ["donor_iso3", "recipient_iso3", "kind", "event_date", "period_start", "period_end"],
  contracts: ["parties_iso3", "status", "commodity"],
  grants: ["donor_iso3", "recipient_iso3", "status"],
} as const satisfies { [T in FactTable]: readonly (keyof RowOf[T])[] };

/** Key fields then amounts, with nulls kept: the compact view of a gold fact or a record. */
export function describeFields(table: FactTable, obj: object): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of [...KEY_FIELDS[table], ...AMOUNT_FIELDS[table]]) out[f] = src[f] ?? null;
  return out;
}
