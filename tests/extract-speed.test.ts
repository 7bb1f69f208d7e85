import { describe, expect, it } from "vitest";
import { anyOf } from "../pipeline/extract/anyof.ts";
import { ITEMS, itemsIn } from "../pipeline/extract/cues.ts";
import { ANY_LETTER, firstLetters, wordInitials } from "../pipeline/extract/initials.ts";
import { PRETESTED, scanQuantities } from "../pipeline/extract/numbers.ts";
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
    expect(itemsIn("Sunflower oil, WHEAT FLOUR and vehicles")).toEqual(["sunflower oil", "wheat flour", "vehicles"]);
    expect(itemsIn("flour carried in 20 railway cars")).toEqual(["flour"]);
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

/** The alternatives of a pattern's first capturing group, each in every form its optional characters allow. */
function writtenForms(re: RegExp): string[] {
  const src = re.source;
  let start = -1;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "(" && src[i + 1] !== "?") {
      start = i + 1;
      break;
    }
  }
  let depth = 0;
  let end = start;
  const alts: string[] = [];
  let from = start;
  for (; end < src.length; end++) {
    const c = src[end];
    if (c === "\\") end++;
    else if (c === "[") end = src.indexOf("]", end);
    else if (c === "(") depth++;
    else if (c === ")" && depth-- === 0) break;
    else if (c === "|" && depth === 0) {
      alts.push(src.slice(from, end));
      from = end + 1;
    }
  }
  alts.push(src.slice(from, end));
  return alts.flatMap((alt) => {
    // Tokens: one character each (an escape or a class written as its first character), optional or not.
    const tokens: { text: string; optional: boolean }[] = [];
    for (let i = 0; i < alt.length; i++) {
      let text = alt[i]!;
      if (text === "\\") text = { s: " ", b: "" }[alt[++i]!] ?? alt[i]!;
      else if (text === "[") {
        text = alt[i + 1]!;
        i = alt.indexOf("]", i);
      } else if (text === "(") throw new Error(`extend writtenForms for groups inside an alternative: ${alt}`);
      const optional = alt[i + 1] === "?";
      if (optional) i++;
      tokens.push({ text, optional });
    }
    let forms = [""];
    for (const t of tokens) forms = t.optional ? forms.flatMap((f) => [f, f + t.text]) : forms.map((f) => f + t.text);
    return forms;
  });
}

describe("the number scanner's one-character pre-tests", () => {
  // Each pattern is tried only if a character passes a test written beside it: a unit added to a pattern and
  // not to its test would never be found. Every written form of every alternative must still be found.
  const first = (text: string) => scanQuantities(text)[0];
  it("reads every written form of its patterns' alternatives", () => {
    for (const p of writtenForms(PRETESTED.currencyPrefix)) expect(first(`The deal was worth ${p}5 million.`), p).toMatchObject({ kind: "money", value: 5e6 });
    for (const w of writtenForms(PRETESTED.currencySuffix)) expect(first(`The deal was worth 5 million ${w}.`), w).toMatchObject({ kind: "money", value: 5e6 });
    for (const w of writtenForms(PRETESTED.mass)) expect(first(`They shipped 5 ${w} of flour.`), w).toMatchObject({ kind: "mass" });
    for (const w of writtenForms(PRETESTED.scale)) expect(first(`It cost $5 ${w}.`), w).toMatchObject({ kind: "money", scaled: true });
    for (const w of writtenForms(PRETESTED.percent)) expect(first(`Trade rose 5 ${w} last year.`), w).toMatchObject({ kind: "percent" });
    for (const w of writtenForms(PRETESTED.multiplier)) expect(first(`Trade grew 2 ${w} last year.`), w).toMatchObject({ kind: "multiplier" });
  });
  it("writes out the alternatives it checks", () => {
    expect(writtenForms(/^\s?(?:of\s)?(tonnes?|k[gs]s?|Rs\.?)\b/)).toEqual(["tonne", "tonnes", "kg", "kgs", "Rs", "Rs."]);
    expect(writtenForms(/(US\s?\$|\$)\s?$/)).toEqual(["US$", "US $", "$"]);
  });
});
