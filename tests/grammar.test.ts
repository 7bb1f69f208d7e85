import { describe, expect, it } from "vitest";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { scanPeriods } from "../pipeline/extract/periods.ts";
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
