import { factTable } from "../schema/tables.ts";
import type { ExtractedFact, FxRate, Money } from "../types.ts";
import { toUsd, type UsdConversion } from "./currency.ts";

/** The columns one conversion fills: merging takes them all from one mention, never a mix of mentions. */
export const MONEY_COLUMNS = ["value_usd", "value_original", "currency_original", "usd_rate", "usd_rate_basis", "usd_rate_year"] as const;

/** The year whose exchange rate applies: the period's end, else the event day, else publication. */
function fxYear(f: ExtractedFact, published: string | null): number | null {
  const iso = (f.fields.period_end as string | null) ?? (f.fields.event_date as string | null) ?? published;
  return iso ? Number(iso.slice(0, 4)) : null;
}

/**
 * The money columns of a fact (for tables that have them, empty when the fact states no money). value_usd
 * is in whole dollars: no source states cents, and a converted amount has no more precision than its rate.
 * The rate columns describe a conversion, so they stay empty for an amount stated in USD.
 */
function moneyColumns(money: Money | null, conv: UsdConversion | null): Record<(typeof MONEY_COLUMNS)[number], string | number | null> {
  const converted = conv !== null && conv.usd !== null && conv.basis !== "usd";
  return {
    value_usd: conv?.usd == null ? null : Math.round(conv.usd),
    value_original: money?.amount ?? null,
    currency_original: money?.currency ?? null,
    usd_rate: converted ? conv.rate : null,
    usd_rate_basis: converted ? conv.basis : null,
    usd_rate_year: converted ? conv.rateYear : null,
  };
}

/**
 * Non-directional pairs in the one canonical order the tables, views and report share (the table's rule,
 * e.g. a turnover's two countries alphabetically, a contract's parties sorted and without repeats).
 */
export function canonicalPairs(f: ExtractedFact): Record<string, unknown> | null {
  return factTable(f.table).canonical?.(f.fields) ?? null;
}

/** Whether a table has the money columns normalize fills (grants have none). */
const hasMoney = (table: string) => MONEY_COLUMNS.every((c) => c in factTable(table).schema.shape);

/**
 * Money → USD in base units, keeping what the article wrote (value_original, currency_original) and the
 * rate used; non-directional pairs in canonical order. Evidence for value_usd gets this article's own USD figure.
 */
export function normalizeFacts(facts: ExtractedFact[], published: Map<string, string | null>, fx: FxRate[]): ExtractedFact[] {
  return facts.map((f) => normalizeFact(f, published.get(f.article_id) ?? null, fx));
}

// Copies use Object.assign: V8 takes a slow path for `{ ...o, more }` and for properties added to a spread copy.
function normalizeFact(f: ExtractedFact, published: string | null, fx: FxRate[]): ExtractedFact {
  const pairs = canonicalPairs(f);
  if (!hasMoney(f.table)) return pairs ? Object.assign({}, f, { fields: Object.assign({}, f.fields, pairs) }) : f;
  const money = f.money;
  if (!money) return Object.assign({}, f, { fields: Object.assign({}, f.fields, pairs, moneyColumns(null, null)) });
  const conv = toUsd(money, fxYear(f, published), fx);
  const fields = Object.assign({}, f.fields, pairs, moneyColumns(money, conv));
  const notes = conv.problem
    ? [...f.notes, { check: conv.usd === null ? "unknown_currency" : "fx_nearest_year", severity: "warning" as const, message: `${money.amount} ${money.currency ?? "(no currency)"}: ${conv.problem}` }]
    : f.notes;
  const evidence = f.evidence.map((e) => (e.field === "value_usd" ? { ...e, stated_value: fields.value_usd as number | null } : e));
  return Object.assign({}, f, { fields, evidence, notes });
}
