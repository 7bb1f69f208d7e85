import { describe, expect, it } from "vitest";
import { anyOf } from "../pipeline/extract/anyof.ts";
import { ITEMS, itemsIn } from "../pipeline/extract/cues.ts";
import { ANY_LETTER, firstLetters, wordInitials } from "../pipeline/extract/initials.ts";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { scanPeriods } from "../pipeline/extract/periods.ts";
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

describe("first letters against word initials", () => {
  const letters = (mask: number) => (mask === ANY_LETTER ? "any" : [...Array(26).keys()].filter((i) => mask & (1 << i)).map((i) => String.fromCharCode(97 + i)).join(""));

  it("reads the letters a pattern's match begins with, and any letter when it cannot tell", () => {
    expect(letters(firstLetters(/\bwheat flour\b/i))).toBe("w");
    expect(letters(firstLetters(/\b(?:oil)\b(?! products)/i))).toBe("o");
    expect(letters(firstLetters(/\bmedicines?\b|\bdrugs\b/i))).toBe("dm");
    expect(letters(firstLetters(/\b(?:(?:c|d)e|f)/))).toBe("cdf");
    for (const re of [/\b(?:un)?known/i, /\bs?ugar/i, /\b[ab]c/, /x\b/, /\bk/iu, /\bflour|sugar/i]) expect(firstLetters(re)).toBe(ANY_LETTER);
  });
  it("finds the letters that begin words, as \\b sees them", () => {
    expect(letters(wordInitials("10tons of Wheat_flour, (rice) x-ray é-b _z"))).toBe("borwx");
  });
  it("never rules out an item that matches", () => {
    for (const [re, name] of ITEMS) {
      const text = `1,000 tons of ${name} and ${name.toUpperCase()}`;
      if (re.test(text)) expect(firstLetters(re) & wordInitials(text)).not.toBe(0);
    }
    expect(itemsIn("Sunflower oil, WHEAT FLOUR and cars")).toEqual(["sunflower oil", "wheat flour", "vehicles"]);
  });
});

describe("period hints", () => {
  it("let every kind of period pattern run", () => {
    const cases: [string, string[]][] = [
      ["Trade grew against the same period of 2023.", ["the same period of 2023"]],
      ["Exports in January-February of 2023 rose.", ["January-February of 2023"]],
      ["In the first five months of 2023 trade rose.", ["the first five months of 2023"]],
      ["In the second half of 2022 trade rose.", ["the second half of 2022"]],
      ["During the third quarter trade rose.", ["During the third quarter"]],
      ["In 4M23 trade rose, and in 1H2023 too.", ["4M23", "1H2023"]],
      ["In the first six months of the solar year 1402 trade rose.", ["the first six months of the solar year 1402"]],
      ["In FY2023 and 2022-23 trade rose.", ["FY2023", "2022-23"]],
      ["On Dec. 25, 2021, on 15 April and last October trains left.", ["Dec. 25, 2021", "15 April", "last October"]],
      ["Over the past five years trade rose.", ["Over the past five years"]],
      ["Since 2005, from 2019 to 2023 and last year trade rose.", ["Since 2005", "from 2019 to 2023", "last year"]],
      ["On Thursday a train left.", ["Thursday"]],
      ["In the 1402 fiscal year, H2 2023 and Q3 2024 and 9M2023.", ["1402 fiscal year", "H2 2023", "Q3 2024", "9M2023"]],
    ];
    for (const [text, found] of cases) expect(scanPeriods(text, "2024-06-01").map((p) => p.text)).toEqual(found);
  });
});
