import type { ExtractedFact, FxRate, Money } from "../types.ts";
import { toUsd, type UsdConversion } from "./currency.ts";

/** The year whose exchange rate applies: the period's end, else the event day, else publication. */
function fxYear(f: ExtractedFact, published: string | null): number | null {
  const iso = (f.fields.period_end as string | null) ?? (f.fields.event_date as string | null) ?? published;
  return iso ? Number(iso.slice(0, 4)) : null;
}

/** The money columns of a fact (all tables but grants have them, empty when the fact states no money). */
function moneyColumns(table: ExtractedFact["table"], money: Money | null, conv: UsdConversion | null): Record<string, string | number | null> {
  const columns: Record<string, string | number | null> = {
    value_usd: conv?.usd == null ? null : Number(conv.usd.toPrecision(12)),
    value_original: money?.amount ?? null,
    currency_original: money?.currency ?? null,
  };
  if (table === "trade_flows") columns.usd_rate_basis = conv?.basis ?? null;
  return columns;
}

/**
 * Money → USD in base units, keeping what the article wrote (value_original, currency_original) and
 * how the USD figure was obtained. Evidence for value_usd gets this article's own USD figure.
 */
export function normalizeFacts(facts: ExtractedFact[], published: Map<string, string | null>, fx: FxRate[]): ExtractedFact[] {
  return facts.map((f) => normalizeFact(f, published.get(f.article_id) ?? null, fx));
}

// Copies use Object.assign: V8 takes a slow path for `{ ...o, more }` and for properties added to a spread copy.
function normalizeFact(f: ExtractedFact, published: string | null, fx: FxRate[]): ExtractedFact {
  const money = f.money;
  if (!money) return f.table === "grants" ? f : Object.assign({}, f, { fields: Object.assign({}, f.fields, moneyColumns(f.table, null, null)) });
  const conv = toUsd(money, fxYear(f, published), fx);
  const fields = Object.assign({}, f.fields, moneyColumns(f.table, money, conv));
  const notes = conv.problem
    ? [...f.notes, { check: conv.usd === null ? "unknown_currency" : "fx_nearest_year", severity: "warning" as const, message: `${money.amount} ${money.currency ?? "(no currency)"}: ${conv.problem}` }]
    : f.notes;
  const evidence = f.evidence.map((e) => (e.field === "value_usd" ? { ...e, stated_value: fields.value_usd as number | null } : e));
  return Object.assign({}, f, { fields, evidence, notes });
}
