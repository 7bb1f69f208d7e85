import type { ExtractedFact, FxRate } from "../types.ts";
import { toUsd } from "./currency.ts";

/** The year whose exchange rate applies: the period's end, else the event day, else publication. */
function fxYear(f: ExtractedFact, published: string | null): number | null {
  const iso = (f.fields.period_end as string | null) ?? (f.fields.event_date as string | null) ?? published;
  return iso ? Number(iso.slice(0, 4)) : null;
}

/**
 * Money → USD in base units, keeping what the article wrote (value_original, currency_original) and
 * how the USD figure was obtained. Evidence for value_usd gets this article's own USD figure.
 */
export function normalizeFacts(facts: ExtractedFact[], published: Map<string, string | null>, fx: FxRate[]): ExtractedFact[] {
  return facts.map((f) => {
    const fields = { ...f.fields };
    if (f.table !== "grants") {
      fields.value_usd = null;
      fields.value_original = null;
      fields.currency_original = null;
      if (f.table === "trade_flows") fields.usd_rate_basis = null;
    }
    if (!f.money) return { ...f, fields };
    const conv = toUsd(f.money, fxYear(f, published.get(f.article_id) ?? null), fx);
    fields.value_usd = conv.usd === null ? null : Number(conv.usd.toPrecision(12));
    fields.value_original = f.money.amount;
    fields.currency_original = f.money.currency;
    if (f.table === "trade_flows") fields.usd_rate_basis = conv.basis;
    const notes = conv.problem
      ? [...f.notes, { check: conv.usd === null ? "unknown_currency" : "fx_nearest_year", severity: "warning" as const, message: `${f.money.amount} ${f.money.currency ?? "(no currency)"}: ${conv.problem}` }]
      : f.notes;
    const evidence = f.evidence.map((e) => (e.field === "value_usd" ? { ...e, stated_value: fields.value_usd as number | null } : e));
    return { ...f, fields, evidence, notes };
  });
}
