import { describe, expect, it } from "vitest";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { fiscalCalendarOf, scanPeriods } from "../pipeline/extract/periods.ts";
import { segmentBody } from "../pipeline/ingest/chrome.ts";

const q = (s: string) => scanQuantities(s).map((x) => ({ text: x.text, kind: x.kind, value: x.value, currency: x.currency, unit: x.unit, qualifier: x.qualifier, high: x.high }));
const p = (s: string, pub: string | null = "2023-08-04") => scanPeriods(s, pub).map((x) => ({ text: x.text, kind: x.kind, period: x.period, unresolved: x.unresolved }));

describe("number grammar", () => {
  it.each([
    ["$987.9 millions", "money", 987900000, "USD", null],
    ["USD 1 billion", "money", 1e9, "USD", null],
    ["US$12.7 million", "money", 12700000, "USD", null],
    ["a $4-million agreement", "money", 4e6, "USD", null],
    ["6.4 billion tenge", "money", 6.4e9, "KZT", null],
    ["45 million US dollars", "money", 45e6, "USD", null],
    ["$259.5mn", "money", 259500000, "USD", null],
    ["Rs 12 crore", "money", 12e7, "PKR", null],
    ["300 million afghanis", "money", 3e8, "AFN", null],
    ["USD1.5 billion", "money", 1.5e9, "USD", null],
    ["KZT6.4bn", "money", 6.4e9, "KZT", null],
    ["Rs5,000 crore", "money", 5e10, "PKR", null],
    ["one billion dollars", "money", 1e9, "USD", null],
    ["1.3 million tons", "mass", 1.3e6, null, "t"],
    ["686.7 thousand tons", "mass", 686700, null, "t"],
    ["272 tons and 728 kilograms", "mass", 272.728, null, "t"],
    ["2,2 thousand tonnes", "mass", 2200, null, "t"],
    ["850 kg", "mass", 0.85, null, "t"],
    ["thirty six wagons", "count", 36, null, "railcars"],
    ["twenty rail tankers", "count", 20, null, "railcars"],
    ["15 agreements", "count", 15, null, "agreements"],
    ["Rs.5 billion", "money", 5e9, "PKR", null],
    ["5,000 kgs of rice", "mass", 5, null, "t"],
    ["5,000 KGS", "money", 5000, "KGS", null],
  ])("%s", (text, kind, value, currency, unit) => {
    expect(q(text)[0]).toMatchObject({ kind, value, currency, unit });
  });

  it("reads no number right after a full stop that ends no currency prefix", () => {
    expect(q("item No.5 and version v.2")).toEqual([]);
  });

  it("reads ranges with their scale and marks them approximate", () => {
    expect(q("$ 1 to $ 3 billion")[0]).toMatchObject({ value: 1e9, high: 3e9, qualifier: "approx" });
    expect(q("7-8 mln tons")[0]).toMatchObject({ value: 7e6, high: 8e6, kind: "mass" });
    expect(q("from $1 billion to $3 billion").map((x) => x.value)).toEqual([1e9, 3e9]);
  });

  it("reads qualifiers", () => {
    expect(q("almost $1 billion")[0]!.qualifier).toBe("approx");
    expect(q("more than $12 million")[0]!.qualifier).toBe("at_least");
    expect(q("a little bit over $334 million")[0]!.qualifier).toBe("at_least");
    expect(q("up to 500 tons")[0]!.qualifier).toBe("at_most");
  });

  it("tells percentages, multipliers and years from amounts", () => {
    expect(q("increased by 82.6%")[0]).toMatchObject({ kind: "percent", value: 82.6 });
    expect(q("a 2.1-fold increase")[0]).toMatchObject({ kind: "multiplier", value: 2.1 });
    expect(q("in 2022")[0]).toMatchObject({ kind: "year", value: 2022 });
  });

  it.each([
    ["$US 40m", "money", 40e6, "USD", null],
    ["US$ 8 million", "money", 8e6, "USD", null],
    ["$ 12.34 million", "money", 12.34e6, "USD", null],
    ["$64million", "money", 64e6, "USD", null],
    ["\\$3.205 billion", "money", 3.205e9, "USD", null],
    ["Rs7 billion", "money", 7e9, "PKR", null],
    ["Rs 2,468 crore", "money", 24_680_000_000, "PKR", null],
    ["Rs.300 crore", "money", 3e9, "PKR", null],
    ["₹ 40 lakh", "money", 4e6, "INR", null],
    ["₸2.5 billion", "money", 2.5e9, "KZT", null],
    ["9 billion so‘m", "money", 9e9, "UZS", null],
    ["1.5 billion afghanis", "money", 1.5e9, "AFN", null],
    ["AFN 6 billion", "money", 6e9, "AFN", null],
    ["80 million Indian rupees", "money", 80e6, "INR", null],
    ["Kyrgyzstan shipped 7.000 tons", "mass", 7000, null, "t"],
    ["Tajikistan shipped 14.250 tonnes", "mass", 14250, null, "t"],
    ["Turkmenistan shipped 3.614 million tons", "mass", 3.614e6, null, "t"],
    ["Ukraine sold 2.345.600 tons", "mass", 2_345_600, null, "t"],
    ["a $5 000 million plan", "money", 5e9, "USD", null],
    ["Thirty-two tons of apples", "mass", 32, null, "t"],
    ["three billion kWh", "count", 3e9, null, "kWh"],
    ["one million tons", "mass", 1e6, null, "t"],
    ["four hundred thousand tons", "mass", 400_000, null, "t"],
    ["a dozen trucks", "count", 12, null, "trucks"],
    ["a million tons", "mass", 1e6, null, "t"],
    ["a 3,500-tonne consignment", "mass", 3500, null, "t"],
  ])("%s", (text, kind, value, currency, unit) => {
    expect(q(text).at(-1)).toMatchObject({ kind, value, currency, unit });
  });

  it("keeps a dot before three digits as a decimal mark after a scale word, in percentages, and leaves a bare one unread", () => {
    expect(q("$4.125 billion")[0]).toMatchObject({ value: 4.125e9 });
    expect(q("rose 2.750%")[0]).toMatchObject({ kind: "percent", value: 2.75 });
    expect(q("the index stood at 3.125 in May")).toEqual([]);
    expect(q("0.250 tons")[0]).toMatchObject({ kind: "mass", value: 0.25 });
  });

  it("reads a scale word alone after a figure, whatever the unit given before it", () => {
    expect(q("Georgia — 318 thousand")[0]).toMatchObject({ kind: "plain", value: 318_000 });
  });

  it("reads a number whole or not at all", () => {
    const cases: [string, number[]][] = [["on 3.4.2021 they met", []], ["a figure of 12 345,67 euros", [12_345.67]], ["code 1,2345 here", []], ["1\u00a02345 tons", []]];
    for (const [s, right] of cases) for (const x of q(s)) expect(right, `${s}: ${x.text}`).toContain(x.value);
    expect(q("$9 000 million")[0]).toMatchObject({ value: 9e9 });
  });

  it("reads through invisible characters inside a number, and keeps its text as written", () => {
    const s = "Mongolia sent 4,\u200b250 tons and $7\u00ad5 million.";
    const found = scanQuantities(s);
    expect(found.map((x) => [x.value, x.text])).toEqual([[4250, "4,\u200b250 tons"], [75e6, "$7\u00ad5 million"]]);
    for (const x of found) expect(s.slice(x.start, x.end)).toBe(x.text);
  });

  it("does not guess a misspelt scale word, nor read the figure without it", () => {
    expect(q("reached $31.4 millon in May")).toEqual([]);
    expect(q("reached $31.4 billlion in May")).toEqual([]);
    expect(q("a $2 military grant")[0]).toMatchObject({ value: 2 });
  });

  it("takes the longest qualifier", () => {
    expect(q("not more than $6 million")[0]!.qualifier).toBe("at_most");
    expect(q("closes to 90 tons")[0]!.qualifier).toBe("approx");
    expect(q("upwards of 90 tons")[0]!.qualifier).toBe("at_least");
  });

  it("keeps the currency as written for a caller who knows the country", () => {
    expect(scanQuantities("Rs 5 crore")[0]).toMatchObject({ currency: "PKR", currencyForm: "Rs" });
    expect(scanQuantities("9 million manats")[0]).toMatchObject({ currency: "TMT", currencyForm: "manats" });
  });

  it("does not read codes glued to letters as amounts", () => {
    expect(q("the 4M23 figures").filter((x) => x.kind !== "plain")).toEqual([]);
    expect(q("CASA-1000 line")).toEqual([]);
    expect(q("the G20 summit")).toEqual([]);
  });
});

describe("period grammar", () => {
  it.each([
    ["In 2022, trade", "2022-01-01", "2022-12-31"],
    ["in January-February of 2023", "2023-01-01", "2023-02-28"],
    ["between January and February 2024", "2024-01-01", "2024-02-29"],
    ["in 5 months of 2023", "2023-01-01", "2023-05-31"],
    ["the first five months of this year", "2023-01-01", "2023-05-31"],
    ["the first eight months of this year", "2023-01-01", "2023-08-31"],
    ["last year", "2022-01-01", "2022-12-31"],
    ["In August of last year", "2022-08-01", "2022-08-31"],
    ["in the first half of 2022", "2022-01-01", "2022-06-30"],
    ["Q3 2022", "2022-07-01", "2022-09-30"],
    ["the third quarter of last year", "2022-07-01", "2022-09-30"],
    ["in 4M23", "2023-01-01", "2023-04-30"],
    ["9M2022", "2022-01-01", "2022-09-30"],
    ["solar year 1401", "2022-03-21", "2023-03-20"],
    ["in the past six months", "2023-02-01", "2023-07-31"],
    ["over the past five years", "2018-01-01", "2022-12-31"],
    ["Last October", "2022-10-01", "2022-10-31"],
    ["the Persian calendar year 1399", "2020-03-20", "2021-03-20"],
    ["the first quarter of the 1399 solar year", "2020-03-20", "2020-06-20"],
    ["from April to June", "2023-04-01", "2023-06-30"],
    ["in November", "2022-11-01", "2022-11-30"],
    ["from May 2019 to April 2020", "2019-05-01", "2020-04-30"],
  ])("%s", (text, start, end) => {
    expect(p(text)[0]!.period).toEqual({ start, end });
  });

  it("resolves days and weekdays against the publication date", () => {
    expect(p("on Thursday")[0]!.period).toEqual({ start: "2023-08-03", end: "2023-08-03" });
    expect(p("on Aug. 3")[0]!.period).toEqual({ start: "2023-08-03", end: "2023-08-03" });
    expect(p("on December 14")[0]!.period).toEqual({ start: "2022-12-14", end: "2022-12-14" });
  });

  it("marks comparatives and leaves relative periods null without a publication date", () => {
    expect(p("than in the previous year")[0]).toMatchObject({ kind: "comparative" });
    expect(p("during the same period in 2023")[0]).toMatchObject({ kind: "comparative" });
    expect(p("last year", null)[0]).toMatchObject({ period: null, unresolved: expect.stringMatching(/no publication date/) });
    expect(p("in 2022/23")[0]).toMatchObject({ period: null, unresolved: expect.stringMatching(/fiscal year/) });
  });

  it("resolves a fiscal year in the calendar of the country it is given", () => {
    expect(scanPeriods("in 2016-17", null, fiscalCalendarOf("IND"))[0]!.period).toEqual({ start: "2016-04-01", end: "2017-03-31" });
    expect(scanPeriods("the fourth quarter of FY2016-17", null, fiscalCalendarOf("PAK"))[0]!.period).toEqual({ start: "2017-04-01", end: "2017-06-30" });
  });
});

describe("page chrome", () => {
  it("keeps prose and drops headlines, captions, datelines and everything after a teaser heading", () => {
    const body = "Kazakhstan Sends Aid to Afghanistan\n25 September 2025 11:21\nKazakhstan sent 100 tons of aid.\nPhoto credit: press service\nRelated Articles\nUzbekistan exports grew.\n";
    const kinds = segmentBody(body, null).map((s) => [body.slice(s.start, s.end), s.kind]);
    expect(kinds).toEqual([
      ["Kazakhstan Sends Aid to Afghanistan", "headline"],
      ["25 September 2025 11:21", "headline"],
      ["Kazakhstan sent 100 tons of aid.", "prose"],
      ["Photo credit: press service", "chrome"],
      ["Related Articles", "chrome"],
      ["Uzbekistan exports grew.", "chrome"],
    ]);
  });
});
