/**
 * Money → USD, following the dataset contract's order of preference:
 * an amount already in USD, else the article's own USD equivalent, else the
 * reference annual-average rate (sources/fx_annual_usd.csv) for the period's year.
 * Pure: the FX table is passed in.
 */
import { lexicon } from "../extract/lexicon.ts";
import type { FxRate, Money } from "../types.ts";
import { lastDigitHalfUnit, roundToUncertainty } from "./precision.ts";

export type UsdBasis = "usd" | "stated" | "annual_average" | "nearest_year";

export interface UsdConversion {
  usd: number | null;
  basis: UsdBasis | null;
  /** Units of the money's own currency per USD: usd = amount / rate for a reference rate; a stated one is the article's two figures' ratio, as precise as they were written. */
  rate: number | null;
  /** Year of the reference rate used; null unless a reference rate was used. */
  rateYear: number | null;
  /** Citation of the rate: the FX row's source, or "stated in article". */
  source: string | null;
  /** Why the result is missing or weaker than asked (for a QA row); null when clean. */
  problem: string | null;
}

/**
 * Iranian news often quotes tomans, a unit of account worth 10 rials that is not an
 * ISO 4217 currency. We carry it as the pseudo-code "IRT" and price it off the IRR row.
 */
export const IRR_PER_TOMAN = 10;

const NO_CONVERSION = { usd: null, basis: null, rate: null, rateYear: null, source: null } as const;

/** The rate row for `year`, else the nearest year with a rate (ties: the earlier year). */
function pickRate(rates: FxRate[], year: number): FxRate | undefined {
  let best: FxRate | undefined;
  for (const r of rates) {
    const d = Math.abs(r.year - year);
    const bestD = best ? Math.abs(best.year - year) : Infinity;
    if (d < bestD || (d === bestD && best !== undefined && r.year < best.year)) best = r;
  }
  return best;
}

function latestRate(rates: FxRate[]): FxRate | undefined {
  return rates.reduce<FxRate | undefined>((a, b) => (a === undefined || b.year > a.year ? b : a), undefined);
}

/**
 * The rate an article's two figures imply ("6.4 billion tenge (approximately US$12.7 million)" → 500), to
 * the precision they were written with: each is read as exact to its last non-zero digit.
 */
function statedRate(amount: number, statedUsd: number): number {
  const rate = amount / statedUsd;
  const relative = lastDigitHalfUnit(amount) / Math.abs(amount) + lastDigitHalfUnit(statedUsd) / Math.abs(statedUsd);
  return roundToUncertainty(rate, Math.abs(rate) * relative);
}

/** Converts `money` to USD; `year` is the year of the period the amount refers to. */
export function toUsd(money: Money, year: number | null, fx: FxRate[]): UsdConversion {
  const { amount, currency } = money;
  if (currency === "USD") {
    return { usd: amount, basis: "usd", rate: 1, rateYear: null, source: null, problem: null };
  }
  if (money.statedUsd !== undefined) {
    const rate = money.statedUsd === 0 || amount === 0 ? null : statedRate(amount, money.statedUsd);
    return { usd: money.statedUsd, basis: "stated", rate, rateYear: null, source: "stated in article", problem: null };
  }
  if (currency === null) return { ...NO_CONVERSION, problem: "amount has no currency" };

  const lookup = currency === "IRT" ? "IRR" : currency;
  const unitsPerLookup = currency === "IRT" ? IRR_PER_TOMAN : 1;
  const rates = fx.filter((r) => r.currency === lookup);
  const row = year === null ? latestRate(rates) : pickRate(rates, year);
  if (!row) return { ...NO_CONVERSION, problem: `no FX rate for currency ${currency}` };

  // Rate in the money's own unit (tomans per USD for IRT), so usd = amount / rate holds.
  const rate = roundToUncertainty(row.units_per_usd / unitsPerLookup, 0);
  let problem: string | null = null;
  if (year === null) problem = `period year unknown; used the latest ${lookup} rate (${row.year})`;
  else if (row.year !== year) problem = `no ${lookup} rate for ${year}; used ${row.year}`;
  return {
    usd: amount / rate,
    basis: row.year === year ? "annual_average" : "nearest_year",
    rate,
    rateYear: row.year,
    source: row.source,
    problem,
  };
}

/** A currency form as the lexicon lists it: where it is written and what it means. */
export interface CurrencyForm {
  form: string;
  code: string;
  /** Written before the number ("$5", "Rs 5"), after it ("5 tenge"), or either ("5 KZT", "KZT 5"). */
  position: "prefix" | "suffix" | "both";
  /** Whether only this exact case is the currency ("KGS", not "kgs" = kilograms). */
  exactCase: boolean;
  /** ISO3 of a country → the code the form means in a story about it ("rupees" about India = INR). */
  byCountry: Record<string, string>;
}

/** Every currency form of sources/lexicon/currencies.csv, read once. */
export const CURRENCY_FORMS: readonly CurrencyForm[] = lexicon("currencies").map((r) => ({
  form: r.form!,
  code: r.code!,
  position: r.position as CurrencyForm["position"],
  exactCase: r.case === "exact",
  byCountry: Object.fromEntries((r.by_country ?? "").split(";").filter(Boolean).map((p) => p.split(":") as [string, string])),
}));

/** Lower case, one apostrophe form, single spaces, no trailing full stop ("Rs." → "rs"). */
function wordKey(word: string): string {
  return word.trim().toLowerCase().replace(/[‘’ʻʼ`]/g, "'").replace(/\s+/g, " ").replace(/\.$/, "");
}

const BY_KEY = new Map<string, CurrencyForm>();
for (const f of CURRENCY_FORMS) if (!BY_KEY.has(wordKey(f.form))) BY_KEY.set(wordKey(f.form), f);

/**
 * ISO 4217 code for a currency word or symbol (case-insensitive), or null.
 * `countryHint` (ISO3 of the country the amount is about) settles shared words:
 * rupee → INR for IND, manat → AZN for AZE, som → UZS for UZB.
 */
export function currencyFromWord(word: string, countryHint?: string | null): string | null {
  const f = BY_KEY.get(wordKey(word));
  if (!f) return null;
  return (countryHint ? f.byCountry[countryHint] : undefined) ?? f.code;
}
