/**
 * Properties of the extractor on random and adversarial text: it never throws, and every evidence quote is
 * exactly the body's slice at its code-point offsets and contains the value as written.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ADVERSARIAL } from "../bench/adversarial.ts";
import { buildGazetteer, type Gazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { articleFromText } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import type { ExtractResult } from "../pipeline/types.ts";

let gazetteer: Gazetteer;
beforeAll(async () => {
  gazetteer = buildGazetteer(await loadReference(new URL("../sources", import.meta.url).pathname));
});

/** Fixed by default so CI is reproducible; FC_SEED / FC_RUNS explore further. */
const SEED = Number(process.env.FC_SEED ?? 20_251_123);
const RUNS = Number(process.env.FC_RUNS ?? 250);

function check(body: string, published: string | null): ExtractResult {
  const result = extractArticle(articleFromText("prop", body, published), gazetteer);
  const cps = [...body];
  for (const f of result.facts) {
    for (const e of f.evidence) {
      expect(e.char_start).toBeGreaterThanOrEqual(0);
      expect(e.char_end).toBeLessThanOrEqual(cps.length);
      expect(cps.slice(e.char_start, e.char_end).join("")).toBe(e.quote);
      expect(e.quote).toContain(e.value_text);
    }
  }
  return result;
}

const TOKENS = [
  "$987.9 million", "USD 1.2 billion", "45 million US dollars", "6.4 billion tenge (approximately US$12.7 million)", "$520mn", "US$", "$", "USD", "tenge", "(about",
  "1.3 million tons", "272 tons and 728 kilograms", "2,2 thousand tonnes", "1,000", "2,2,2", "0.5", "12.", "1111111111111111111111", "thirty six", "a hundred and five",
  "million", "billion", "bn", "mln", "thousand", "tons", "kilograms", "%", "percent", "times", "wagons", "railcars", "students", "grants", "universities", "agreements",
  "in 2022", "January-March 2023", "the first half of this year", "last year", "the previous year", "the same period of 2023", "4M23", "Q1 2024", "on Thursday", "since 2019", "2021-2022",
  "Kazakhstan", "Afghanistan", "Uzbekistan", "Turkmenistan", "Tajikistan", "Kyrgyzstan", "Pakistan", "Iran", "China", "Kazakh", "Afghan", "Uzbek", "Pakistani", "Kabul", "Astana", "Tashkent", "Hairatan", "Termez",
  "trade turnover", "trade", "exports to", "imports from", "exported", "imported", "humanitarian aid", "delivered", "sent", "contracts signed worth", "signed", "worth", "scholarships", "between", "and", "from", "to", "of", "by",
  "plans to raise", "expected to", "potential", "increased by", "up", "down", "doubled", "Of", "It", "This",
  "(", ")", "((", "))", '"', "“", "”", "«", "»", "'", "’", "[", "]", "{", "-", "–", "—", "/", ":", ";", ",", ".", "...", "…", "!!!", "?",
  "Товарооборот", "вырос", "التجارة", "أفغانستان", "贸易额", "达到", "💰", "🚂", "👍🏽", "🇦🇫", "𝟙𝟚", "é", "\u200b", "\uD83D", "\uDE00",
  "Latest news", "Photo credit:", "Read also:", "KABUL, March 3 (Pamir Post) –",
];
/** Whole clauses the extractor reads, so that noise lands inside and around real facts. */
const CLAUSES = [
  "Trade between Kazakhstan and Afghanistan reached $987.9 million in 2022.",
  "Uzbek exports to Afghanistan amounted to USD 1.2 billion in January-March 2023,",
  "Kazakhstan exported 1.3 million tons of wheat to Afghanistan last year.",
  "Pakistan has sent 272 tons and 728 kilograms of humanitarian aid to Afghanistan.",
  "A humanitarian train of 45 wagons left Termez for Hairatan.",
  "Turkmen and Afghan firms signed 12 agreements worth 45 million US dollars.",
  "Some 450 Afghan students currently study at 20 Uzbek universities.",
  "The aid was worth 6.4 billion tenge (approximately US$12.7 million).",
  "Iranian imports from Afghanistan fell to $52mn in the first half of this year,",
];
const SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "; ", "", "\t", " (", ") "];

const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 1, arbitrary: fc.constantFrom(...CLAUSES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }) },
);
const body = fc.array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 120 }).map((parts) => parts.map(([t, s]) => t + s).join(""));
const published = fc.option(
  fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  { nil: null },
);

describe("extractor properties", () => {
  it("never throws on token soup, and its evidence is exact", () => {
    fc.assert(fc.property(body, published, (b, p) => void check(b, p)), { seed: SEED, numRuns: RUNS });
  });

  it("never throws on arbitrary Unicode, lone surrogates included", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), published, (b, p) => void check(b, p)), { seed: SEED, numRuns: RUNS });
  });

  it("finds facts in the soup at all (the property is not vacuous)", () => {
    const found = fc.sample(fc.tuple(body, published), { seed: SEED, numRuns: 200 }).filter(([b, p]) => check(b, p).facts.length > 0).length;
    expect(found).toBeGreaterThan(10);
  });

  it.each(Object.keys(ADVERSARIAL))("copes with 100k characters of %s", (kind) => {
    const text = ADVERSARIAL[kind]!(100_000);
    check(text, "2024-06-01");
    check(text, null);
  });

  it("keeps offsets exact where a long sentence is cut next to astral characters", () => {
    const fact = " trade turnover between Kazakhstan and Afghanistan reached $5 million in 2022 ";
    for (let shift = 0; shift < 3; shift++) {
      const text = `${"x".repeat(shift)}${"😀".repeat(1500)}${fact}${"🚂".repeat(700)}${fact}${"a".repeat(1300)}${fact}`;
      const r = check(text, "2024-06-01");
      expect(r.facts.length).toBeGreaterThan(0);
    }
  });

  it("reads a 100k-character sentence without punctuation", () => {
    const r = check(ADVERSARIAL.no_punctuation!(100_000), "2024-06-01");
    expect(r.facts.length).toBeGreaterThan(100);
  });
});
