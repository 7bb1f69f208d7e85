/**
 * Money → USD, following the dataset contract's order of preference:
 * an amount already in USD, else the article's own USD equivalent, else the
 * reference annual-average rate (sources/fx_annual_usd.csv) for the period's year.
 * Pure: the FX table is passed in.
 */
import type { FxRate, Money } from "../types.ts";

export type UsdBasis = "usd" | "stated" | "annual_average" | "nearest_year";

export interface UsdConversion {
  usd: number | null;
  basis: UsdBasis | null;
  /** Units of the money's own currency per USD, so that usd = amount / rate. */
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

/** Converts `money` to USD; `year` is the year of the period the amount refers to. */
export function toUsd(money: Money, year: number | null, fx: FxRate[]): UsdConversion {
  const { amount, currency } = money;
  if (currency === "USD") {
    return { usd: amount, basis: "usd", rate: 1, rateYear: null, source: null, problem: null };
  }
  if (money.statedUsd !== undefined) {
    const rate = money.statedUsd === 0 ? null : amount / money.statedUsd;
    return { usd: money.statedUsd, basis: "stated", rate, rateYear: null, source: "stated in article", problem: null };
  }
  if (currency === null) return { ...NO_CONVERSION, problem: "amount has no currency" };

  const lookup = currency === "IRT" ? "IRR" : currency;
  const unitsPerLookup = currency === "IRT" ? IRR_PER_TOMAN : 1;
  const rates = fx.filter((r) => r.currency === lookup);
  const row = year === null ? latestRate(rates) : pickRate(rates, year);
  if (!row) return { ...NO_CONVERSION, problem: `no FX rate for currency ${currency}` };

  // Rate in the money's own unit (tomans per USD for IRT), so usd = amount / rate holds.
  const rate = row.units_per_usd / unitsPerLookup;
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

/** Currency words and symbols as news English writes them, by ISO 4217 code ("IRT" = toman). */
const CURRENCY_WORDS: Record<string, string[]> = {
  USD: ["$", "us$", "usd", "dollar", "dollars", "us dollar", "us dollars", "u.s. dollar", "u.s. dollars"],
  KZT: ["tenge", "kzt", "₸", "kazakh tenge"],
  KGS: ["kgs", "kyrgyz som", "kyrgyz soms"],
  UZS: ["uzs", "sum", "sums", "soum", "soums", "so'm", "uzbek sum", "uzbek som", "uzbek soum"],
  TMT: ["tmt", "turkmen manat", "turkmen manats"],
  AZN: ["azn", "azerbaijani manat", "azerbaijani manats"],
  TJS: ["tjs", "somoni", "somonis"],
  AFN: ["afn", "af", "؋", "afghani", "afghanis"],
  PKR: ["pkr", "pakistani rupee", "pakistani rupees"],
  INR: ["inr", "₹", "indian rupee", "indian rupees"],
  CNY: ["cny", "rmb", "yuan", "renminbi", "chinese yuan"],
  RUB: ["rub", "₽", "ruble", "rubles", "rouble", "roubles", "russian ruble", "russian rubles", "russian rouble", "russian roubles"],
  IRR: ["irr", "rial", "rials", "iranian rial", "iranian rials"],
  IRT: ["toman", "tomans", "iranian toman", "iranian tomans"],
  EUR: ["eur", "€", "euro", "euros"],
  TRY: ["try", "₺", "lira", "liras", "turkish lira"],
  AED: ["aed", "dirham", "dirhams", "uae dirham", "uae dirhams"],
};

/**
 * Words several countries share: the default is the reading most common in this
 * region's news, overridden by the country the amount is about.
 */
const SHARED_WORDS: Record<string, { default: string; byCountry: Record<string, string> }> = {
  rupee: { default: "PKR", byCountry: { IND: "INR" } },
  rupees: { default: "PKR", byCountry: { IND: "INR" } },
  rs: { default: "PKR", byCountry: { IND: "INR" } },
  manat: { default: "TMT", byCountry: { AZE: "AZN" } },
  manats: { default: "TMT", byCountry: { AZE: "AZN" } },
  // Uzbek "so'm" is often transliterated "som", the Kyrgyz currency's name.
  som: { default: "KGS", byCountry: { UZB: "UZS" } },
  soms: { default: "KGS", byCountry: { UZB: "UZS" } },
};

const WORD_TO_CODE = new Map(Object.entries(CURRENCY_WORDS).flatMap(([code, words]) => words.map((w) => [w, code] as const)));

/** Lower case, one apostrophe form, single spaces, no trailing full stop ("Rs." → "rs"). */
function wordKey(word: string): string {
  return word.trim().toLowerCase().replace(/[‘’ʻʼ`]/g, "'").replace(/\s+/g, " ").replace(/\.$/, "");
}

/**
 * ISO 4217 code for a currency word or symbol (case-insensitive), or null.
 * `countryHint` (ISO3 of the country the amount is about) settles shared words:
 * rupee → INR for IND, manat → AZN for AZE, som → UZS for UZB.
 */
export function currencyFromWord(word: string, countryHint?: string | null): string | null {
  const key = wordKey(word);
  const shared = SHARED_WORDS[key];
  if (shared) return (countryHint ? shared.byCountry[countryHint] : undefined) ?? shared.default;
  return WORD_TO_CODE.get(key) ?? null;
}
