import { describe, expect, it } from "vitest";
import { anyOf } from "../pipeline/extract/anyof.ts";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { PhraseIndex } from "../pipeline/extract/wordindex.ts";

// The shortcuts taken for speed (pre-tests, in-place comparison, candidate scanning) must find what the slow paths found.

describe("anyOf", () => {
  it("matches where any pattern does, and nowhere else", () => {
    const re = anyOf([/\bflour\b/i, /\brice\b/i]);
    expect(re.test("100 tons of Rice")).toBe(true);
    expect(re.test("flourish and price")).toBe(false);
  });
  it("refuses patterns whose flags differ", () => {
    expect(() => anyOf([/a/i, /b/])).toThrow();
  });
});

describe("PhraseIndex", () => {
  const index = new PhraseIndex([
    { text: "Mazar-i-Sharif", value: "place" },
    { text: "Mazar", value: "short" },
    { text: "Türkiye", value: "tur" },
    { text: "Supercalifragilisticexpialidociousland", value: "long" },
    { text: "UN", value: "un" },
  ]);
  const find = (text: string) => index.find(text, (start, end, matched, phrase, value) => (phrase === "UN" && matched !== "UN" ? null : { start, end, matched, value }));

  it("prefers the longest phrase and ignores case", () => {
    expect(find("to MAZAR-I-SHARIF and Mazar")).toEqual([
      { start: 3, end: 17, matched: "MAZAR-I-SHARIF", value: "place" },
      { start: 22, end: 27, matched: "Mazar", value: "short" },
    ]);
  });
  it("matches whole words only, in any script and of any length", () => {
    expect(find("Mazars in türkiye, not Türkiyeli").map((m) => m.value)).toEqual(["tur"]);
    expect(find("from supercalifragilisticexpialidociousland").map((m) => m.value)).toEqual(["long"]);
  });
  it("skips a refused match whole", () => {
    expect(find("un UN")).toEqual([{ start: 3, end: 5, matched: "UN", value: "un" }]);
  });
});

describe("scanQuantities candidates", () => {
  it("reads spelled and written numbers where they start", () => {
    const qs = scanQuantities("Someone sent twenty-one wagons and 1,200 tons between May and June.");
    expect(qs.map((q) => [q.text, q.kind, q.value])).toEqual([
      ["twenty-one wagons", "count", 21],
      ["1,200 tons", "mass", 1200],
    ]);
  });
});
