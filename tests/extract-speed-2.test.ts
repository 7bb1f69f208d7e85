import { beforeAll, describe, expect, it } from "vitest";
import { ITEMS, itemsIn } from "../pipeline/extract/cues.ts";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { requiredWords } from "../pipeline/extract/initials.ts";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { scanPeriods } from "../pipeline/extract/periods.ts";
import { splitSentences } from "../pipeline/extract/sentences.ts";
import { articleFromText } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";

// Second round of speed shortcuts (character pre-tests before anchored patterns, finer period hints, words an
// item needs, readings shared between clauses): each must leave what is found as it was.

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = buildGazetteer(await loadReference(new URL("../sources", import.meta.url).pathname));
});

function facts(text: string) {
  return extractArticle(articleFromText("example", text, "2024-06-01"), gazetteer).facts;
}

describe("number units tried only where they can begin", () => {
  const read = (text: string) => scanQuantities(text).map((q) => [q.text, q.kind, q.value, q.currency, q.qualifier, q.parenthesized]);

  it("reads currency prefixes glued to the number or a space before it, and skips codes", () => {
    expect(read("Imports reached Rs5,000 crore, USD1.5 billion and Afs 300 million.")).toEqual([
      ["Rs5,000 crore", "money", 50_000_000_000, "PKR", "exact", false],
      ["USD1.5 billion", "money", 1_500_000_000, "USD", "exact", false],
      ["Afs 300 million", "money", 300_000_000, "AFN", "exact", false],
    ]);
    expect(read("The G20 met in H1, and 4M23 exports were $2 - 3 billion.")).toEqual([["$2 - 3 billion", "money", 2_000_000_000, "USD", "approx", false]]);
  });
  it("reads percentages and multipliers after the mass units fail", () => {
    expect(read("Sales rose 12 %, grew 2.1-fold and 3 times, to 5 per cent.")).toEqual([
      ["12 %", "percent", 12, null, "exact", false],
      ["2.1-fold", "multiplier", 2.1, null, "exact", false],
      ["3 times", "multiplier", 3, null, "exact", false],
      ["5 per cent", "percent", 5, null, "exact", false],
    ]);
  });
  it("reads scales and ranges after spaces and dashes, and units after any white space", () => {
    expect(read("They shipped 20 - million tons, 7-8 mln tons and 1 to 3 billion tenge.")).toEqual([
      ["20", "plain", 20, null, "exact", false],
      ["7-8 mln tons", "mass", 7_000_000, null, "approx", false],
      ["1 to 3 billion tenge", "money", 1_000_000_000, "KZT", "approx", false],
    ]);
    expect(read("Trade fell to 1\u00a0200 tons and 5\u00a0million dollars.")).toEqual([
      ["1\u00a0200 tons", "mass", 1200, null, "exact", false],
      ["5\u00a0million dollars", "money", 5_000_000, "USD", "exact", false],
    ]);
  });
  it("tells parenthesised figures, qualifiers and counted nouns", () => {
    expect(read("Exports of 300 of metric tons (about $5 million ) and ( 12 wagons).")).toEqual([
      ["300 of metric tons", "mass", 300, null, "exact", false],
      ["$5 million", "money", 5_000_000, "USD", "approx", true],
      ["12 wagons", "count", 12, null, "exact", true],
    ]);
    expect(read("Some 610 Afghan students and nearly 40 freight wagons arrived.")).toEqual([
      ["610 Afghan students", "count", 610, null, "approx", false],
      ["40 freight wagons", "count", 40, null, "approx", false],
    ]);
  });
});

describe("finer period hints", () => {
  const read = (text: string) => scanPeriods(text, "2024-03-10").map((p) => [p.text, p.kind, p.period]);

  it("try the case-sensitive month patterns only on a capitalised month", () => {
    expect(read("Prices may rise in the market, officials decided.")).toEqual([]);
    expect(read("ON MAY 5 the train left; may 5 was quiet.")).toEqual([]);
    expect(read("On May 5 and 6 March, and in April 2023, the train left.")).toEqual([
      ["May 5", "date", { start: "2023-05-05", end: "2023-05-05" }],
      ["6 March", "date", { start: "2024-03-06", end: "2024-03-06" }],
      ["April 2023", "period", { start: "2023-04-01", end: "2023-04-30" }],
    ]);
  });
  it("try year ranges only where four digits meet a dash, 'to' or 'and'", () => {
    expect(read("Trade in 2021-2022, 2019 to 2023, 2020 – 2021, 2018 and 2019 and 2015TO2016 rose.").map((p) => p[0])).toEqual([
      "2021-2022",
      "2019 to 2023",
      "2020 – 2021",
      "2018 and 2019",
      "2015TO2016",
    ]);
    expect(read("Trade in 2021 rose 5% and 2022 fell.").map((p) => p[0])).toEqual(["in 2021", "2022"]);
  });
  it("count the days of February in leap and common years", () => {
    const ends = (text: string) => scanPeriods(text, "2024-03-10").map((p) => p.period?.end);
    expect(ends("In February 2024, February 1900 and February 2000 trade rose.")).toEqual(["2024-02-29", "1900-02-28", "2000-02-29"]);
    expect(ends("In the first two months of 2023 trade rose.")).toEqual(["2023-02-28"]);
  });
});

describe("words an item needs", () => {
  it("are what every match of the item contains, or none when they cannot be told", () => {
    expect(requiredWords(/\bgrains?\b/i)).toEqual(["grain"]);
    expect(requiredWords(/\bfertili[sz]ers?\b/i)).toEqual(["fertili"]);
    expect(requiredWords(/\bmetal products\b|\brolled (?:metal )?products\b/i)).toEqual(["metal products", "rolled "]);
    expect(requiredWords(/\b(?:oil)\b(?! products)/i)).toBeNull();
    for (const [re, name] of ITEMS) {
      const words = requiredWords(re);
      const text = `1,000 tons of ${name} and ${name.toUpperCase()}`.toLowerCase();
      if (words && re.test(text)) expect(words.some((w) => text.includes(w))).toBe(true);
    }
  });
  it("rule out no item that is there", () => {
    expect(itemsIn("FERTILISERS, rolled metal products and medicaments")).toEqual(["fertilizers", "metal products", "medicines"]);
    expect(itemsIn("oil products, crude oil and cooking oil")).toEqual(["oil products", "oil", "cooking oil"]);
    expect(itemsIn("Tents, tent poles, contents and tentative talks")).toEqual(["tents"]);
  });
});

describe("sentence ends", () => {
  it("keep initials, abbreviations and decimals inside a sentence", () => {
    const article = articleFromText("example", "Mr. J. Smith said trade was 1.5 times higher. It rose.", "2024-06-01");
    expect(splitSentences(article).map((s) => s.text)).toEqual(["Mr. J. Smith said trade was 1.5 times higher.", "It rose."]);
  });
});

describe("whole articles", () => {
  it("give evidence offsets in code points when an astral character comes before the fact, and after", () => {
    const before = facts("Officials 😀 met in Almaty on Monday. Kazakhstan exported 300 tons of flour to Afghanistan in 2023.");
    expect(before.map((f) => [f.evidence[0]!.char_start, f.evidence[0]!.char_end])).toEqual([[37, 98]]);
    const after = facts("Kazakhstan exported 300 tons of flour to Afghanistan in 2023. Officials 😀 met later.");
    expect(after.map((f) => [f.evidence[0]!.char_start, f.evidence[0]!.char_end])).toEqual([[0, 61]]);
  });
  it("read each clause's countries for its own figure", () => {
    const found = facts("Kazakhstan exported goods worth $5 million to Afghanistan, while Uzbekistan's exports to Afghanistan reached $3 million in 2023.");
    expect(found.map((f) => [f.fields.reporter_iso3, f.fields.partner_iso3, f.money?.amount])).toEqual([
      ["KAZ", "AFG", 5_000_000],
      ["UZB", "AFG", 3_000_000],
    ]);
  });
  it("find grants among counts only, and keep a stated conversion", () => {
    expect(facts("Kazakhstan allocated $2 million in grants for Afghan students in 2023.").filter((f) => f.table === "grants")).toEqual([]);
    expect(facts("Kazakhstan offers 100 scholarships to Afghan students every year.").map((f) => [f.table, f.fields.grants_per_year])).toEqual([["grants", 100]]);
    const [sold] = facts("Uzbekistan sold 6.4 billion tenge (approximately US$12.7 million) worth of flour to Afghanistan in 2023.");
    expect(sold!.money).toEqual({ amount: 6_400_000_000, currency: "KZT", statedUsd: 12_700_000 });
  });
});
