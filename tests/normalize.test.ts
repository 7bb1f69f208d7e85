import { describe, expect, it } from "vitest";
import { IRR_PER_TOMAN, currencyFromWord, toUsd } from "../pipeline/normalize/currency.ts";
import { canonicalUnit, sumTonnes, toTonnes } from "../pipeline/normalize/units.ts";
import type { FxRate } from "../pipeline/types.ts";

const fx: FxRate[] = [
  { currency: "KZT", year: 2022, units_per_usd: 460.165, source: "WDI kaz" },
  { currency: "KZT", year: 2023, units_per_usd: 456.165, source: "WDI kaz" },
  { currency: "KZT", year: 2024, units_per_usd: 468.9625, source: "WDI kaz" },
  { currency: "IRR", year: 2023, units_per_usd: 42000, source: "WDI irn" },
  { currency: "TJS", year: 2020, units_per_usd: 10.32, source: "WDI tjk" },
  { currency: "TJS", year: 2022, units_per_usd: 11.03, source: "WDI tjk" },
];

describe("toUsd", () => {
  it("keeps USD amounts as they are", () => {
    expect(toUsd({ amount: 987_900_000, currency: "USD" }, 2022, fx)).toEqual({
      usd: 987_900_000, basis: "usd", rate: 1, rateYear: null, source: null, problem: null,
    });
  });

  it("prefers the article's own USD equivalent over the reference rate", () => {
    const r = toUsd({ amount: 6.4e9, currency: "KZT", statedUsd: 12.7e6 }, 2025, fx);
    expect(r.usd).toBe(12_700_000);
    expect(r.basis).toBe("stated");
    // 503.9... from "6.4 billion" (± 0.05 billion) and "US$12.7 million" (± 0.05 million): 500 is all they say.
    expect(r.rate).toBe(500);
    expect(r.source).toBe("stated in article");
    expect(r.problem).toBeNull();
  });

  it("uses the annual average of the period's year", () => {
    const r = toUsd({ amount: 6.4e9, currency: "KZT" }, 2023, fx);
    expect(r.usd).toBe(6.4e9 / 456.165);
    expect(r.usd).toBeCloseTo(14_030_011.07, 1);
    expect(r).toMatchObject({ basis: "annual_average", rate: 456.165, rateYear: 2023, source: "WDI kaz", problem: null });
  });

  it("falls back to the nearest year with a rate and says so", () => {
    const r = toUsd({ amount: 6.4e9, currency: "KZT" }, 2026, fx);
    expect(r.usd).toBe(6.4e9 / 468.9625);
    expect(r).toMatchObject({ basis: "nearest_year", rateYear: 2024, problem: "no KZT rate for 2026; used 2024" });
  });

  it("breaks a tie between nearest years towards the earlier one", () => {
    const r = toUsd({ amount: 1000, currency: "TJS" }, 2021, fx);
    expect(r).toMatchObject({ basis: "nearest_year", rateYear: 2020, rate: 10.32, problem: "no TJS rate for 2021; used 2020" });
  });

  it("uses the latest rate when the period's year is unknown", () => {
    const r = toUsd({ amount: 1000, currency: "KZT" }, null, fx);
    expect(r.usd).toBe(1000 / 468.9625);
    expect(r).toMatchObject({ basis: "nearest_year", rateYear: 2024, problem: "period year unknown; used the latest KZT rate (2024)" });
  });

  it("returns null with a problem for a currency with no rates", () => {
    expect(toUsd({ amount: 5, currency: "XYZ" }, 2023, fx)).toEqual({
      usd: null, basis: null, rate: null, rateYear: null, source: null, problem: "no FX rate for currency XYZ",
    });
    expect(toUsd({ amount: 5, currency: "KZT" }, 2023, [])).toMatchObject({ usd: null, problem: "no FX rate for currency KZT" });
  });

  it("returns null with a problem when the amount has no currency", () => {
    expect(toUsd({ amount: 5, currency: null }, 2023, fx)).toMatchObject({ usd: null, basis: null, problem: "amount has no currency" });
  });

  it("prices tomans as ten rials", () => {
    expect(IRR_PER_TOMAN).toBe(10);
    const r = toUsd({ amount: 4_200_000, currency: "IRT" }, 2023, fx);
    expect(r.usd).toBe(1000);
    expect(r).toMatchObject({ basis: "annual_average", rate: 4200, rateYear: 2023, source: "WDI irn" });
    expect(toUsd({ amount: 42_000_000, currency: "IRR" }, 2023, fx).usd).toBe(1000);
  });
});

describe("currencyFromWord", () => {
  it.each([
    ["$", "USD"], ["US$", "USD"], ["usd", "USD"], ["Dollars", "USD"], ["US dollars", "USD"], ["U.S. dollar", "USD"],
    ["tenge", "KZT"], ["KZT", "KZT"], ["₸", "KZT"],
    ["som", "KGS"], ["soms", "KGS"], ["sum", "UZS"], ["soum", "UZS"], ["so'm", "UZS"], ["so‘m", "UZS"], ["UZS", "UZS"],
    ["manat", "TMT"], ["somoni", "TJS"],
    ["afghanis", "AFN"], ["Afghani", "AFN"], ["AFN", "AFN"], ["Af", "AFN"],
    ["rupees", "PKR"], ["Rs.", "PKR"], ["PKR", "PKR"], ["Indian rupees", "INR"],
    ["yuan", "CNY"], ["renminbi", "CNY"], ["RMB", "CNY"], ["CNY", "CNY"],
    ["rubles", "RUB"], ["Roubles", "RUB"], ["RUB", "RUB"],
    ["rials", "IRR"], ["IRR", "IRR"], ["toman", "IRT"], ["tomans", "IRT"],
    ["euro", "EUR"], ["€", "EUR"], ["EUR", "EUR"], ["lira", "TRY"], ["dirham", "AED"],
  ])("%s → %s", (word, code) => {
    expect(currencyFromWord(word)).toBe(code);
  });

  it("lets the country settle shared currency names", () => {
    expect(currencyFromWord("rupees", "IND")).toBe("INR");
    expect(currencyFromWord("Rs", "IND")).toBe("INR");
    expect(currencyFromWord("rupees", "PAK")).toBe("PKR");
    expect(currencyFromWord("PKR", "IND")).toBe("PKR");
    expect(currencyFromWord("manat", "AZE")).toBe("AZN");
    expect(currencyFromWord("manat", "TKM")).toBe("TMT");
    expect(currencyFromWord("som", "UZB")).toBe("UZS");
    expect(currencyFromWord("som", null)).toBe("KGS");
  });

  it("returns null for words that are not currencies", () => {
    expect(currencyFromWord("tons")).toBeNull();
    expect(currencyFromWord("pesos")).toBeNull();
    expect(currencyFromWord("")).toBeNull();
  });
});

describe("units", () => {
  it.each([
    ["t", 5, 5], ["ton", 5, 5], ["Tons", 2200, 2200], ["tonne", 5, 5], ["tonnes", 20, 20],
    ["metric tons", 1.3e6, 1.3e6], ["MT", 7, 7],
    ["kg", 728, 0.728], ["kilograms", 1500, 1.5], ["Kilogram", 1, 0.001],
  ])("toTonnes(%s)", (unit, amount, tonnes) => {
    expect(toTonnes(amount, unit)).toBe(tonnes);
  });

  it("returns null for units that are not masses", () => {
    expect(toTonnes(60_000, "liters")).toBeNull();
    expect(toTonnes(36, "wagons")).toBeNull();
    expect(toTonnes(3, "bananas")).toBeNull();
  });

  it("adds compound masses exactly", () => {
    expect(sumTonnes([{ amount: 272, unit: "tons" }, { amount: 728, unit: "kilograms" }])).toBe(272.728);
    expect(sumTonnes([{ amount: 0.1, unit: "t" }, { amount: 0.2, unit: "t" }])).toBe(0.3);
    expect(sumTonnes([{ amount: 1, unit: "t" }, { amount: 2, unit: "liters" }])).toBeNull();
  });

  it.each([
    ["tonnes", "t"], ["kg", "kg"], ["liters", "l"], ["litres", "l"], ["cubic meters", "m3"],
    ["pieces", "pcs"], ["units", "pcs"], ["sets", "sets"],
    ["wagons", "railcars"], ["railway cars", "railcars"], ["rail  cars", "railcars"], ["freight wagons", "railcars"],
    ["tank cars", "railcars"], ["carriages", "railcars"],
    ["trucks", "trucks"], ["lorries", "trucks"], ["containers", "containers"], ["head of cattle", "heads"],
    ["bags", "bags"], ["boxes", "boxes"], ["packages", "packages"],
    ["kWh", "kWh"], ["megawatt-hours", "MWh"], ["GWh", "GWh"],
  ])("canonicalUnit(%s) = %s", (word, unit) => {
    expect(canonicalUnit(word)).toBe(unit);
  });

  it("does not treat kinds of goods or vehicles as count units", () => {
    expect(canonicalUnit("items")).toBeNull();
    expect(canonicalUnit("vehicles")).toBeNull();
  });
});
