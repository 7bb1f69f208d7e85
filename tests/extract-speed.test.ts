import { describe, expect, it } from "vitest";
import { anyOf } from "../pipeline/extract/anyof.ts";
import { ITEMS, itemsIn } from "../pipeline/extract/cues.ts";
import { ANY_LETTER, firstLetters, wordInitials } from "../pipeline/extract/initials.ts";
import { lexicon } from "../pipeline/extract/lexicon.ts";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { CURRENCY_FORMS } from "../pipeline/normalize/currency.ts";
import { UNIT_FORMS } from "../pipeline/normalize/units.ts";
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
    expect(itemsIn("Sunflower oil, WHEAT FLOUR and vehicles")).toEqual(["sunflower oil", "wheat flour", "vehicles"]);
    expect(itemsIn("flour carried in 20 railway cars")).toEqual(["flour"]);
  });
});

describe("the number scanner's vocabulary", () => {
  // The scanner's patterns are built from sources/lexicon/: every row must be read where the lexicon says it is written.
  const first = (text: string) => scanQuantities(text)[0];
  it("reads every currency form, scale and mass unit of the lexicon", () => {
    for (const f of CURRENCY_FORMS) {
      const code = f.form === "som" || f.form === "soms" ? "KGS" : f.code;
      if (f.position !== "suffix") expect(first(`The deal was worth ${f.form}5 million.`), f.form).toMatchObject({ kind: "money", value: 5e6, currency: code });
      if (f.position !== "prefix") expect(first(`The deal was worth 5 million ${f.form}.`), f.form).toMatchObject({ kind: "money", value: 5e6, currency: code });
    }
    for (const r of lexicon("scales")) {
      const written = r.after === "any" ? `5 ${r.form} tons` : r.after === "currency" ? `$5 ${r.form}` : `$5${r.form}`;
      expect(first(`They shipped ${written} in May.`), r.form).toMatchObject({ value: 5 * Number(r.factor), scaled: true });
    }
    for (const f of UNIT_FORMS) {
      if (f.tonnes !== null) expect(first(`They shipped 5 ${f.form} of flour.`), f.form).toMatchObject({ kind: "mass", value: 5 * f.tonnes });
      else expect(first(`They sent 5 ${f.form} in May.`), f.form).toMatchObject({ kind: "count", unit: f.unit });
    }
  });
  it("reads every qualifier of the lexicon", () => {
    for (const r of lexicon("qualifiers")) expect(first(`Trade reached ${r.form} $5 million.`), r.form).toMatchObject({ qualifier: r.qualifier, value: 5e6 });
  });
});
