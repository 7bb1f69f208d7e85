import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanQuantities } from "../pipeline/extract/numbers.ts";
import { currencyFromWord } from "../pipeline/normalize/currency.ts";

const SEPARATORS = [",", ".", " ", "\u00a0", "\u202f", "\u2009"];
const INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"];
const TEMPLATES: [string, (v: number) => number][] = [
  ["Exports of wheat reached {} tons last spring.", (v) => v],
  ["Mongolia lent ${} to the port project.", (v) => v],
  ["The convoy had {} trucks.", (v) => v],
  ["Trade came to {} million dollars.", (v) => v * 1e6],
];

/** Writes `n` with `sep` between groups of three digits. */
function grouped(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Puts each invisible character at its position (0 = before the first character) in `s`. */
function withInvisibles(s: string, at: [number, string][]): string {
  const chars = [...s];
  for (const [pos, c] of [...at].sort((a, b) => b[0] - a[0])) chars.splice(Math.min(pos, chars.length), 0, c);
  return chars.join("");
}

describe("number scanner, property", () => {
  it("reads a grouped number with invisible characters in it as its value or not at all, and quotes it as written", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.constantFrom(...SEPARATORS),
        fc.constantFrom(...TEMPLATES),
        fc.array(fc.tuple(fc.nat(14), fc.constantFrom(...INVISIBLES)), { maxLength: 3 }),
        (n, sep, [template, expected], invisible) => {
          // A dot and three digits before a scale word is a decimal mark ("4.187 million"): that reading is tested apart.
          fc.pre(!(sep === "." && template.includes("million")));
          const written = withInvisibles(grouped(n, sep), invisible);
          const text = template.replace("{}", written);
          for (const q of scanQuantities(text)) {
            expect(q.value, `${JSON.stringify(text)} read as ${q.text}`).toBe(expected(n));
            expect(text.slice(q.start, q.end)).toBe(q.text);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never reads the head or the tail of a number whose grouping is broken", () => {
    // A plain space before other than three digits may part two numbers ("12 5000"), so it is left out here.
    const marks = [",", ".", "\u00a0", "\u202f", "\u2009", "'"];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 99_999 }), fc.constantFrom(2, 4, 5), fc.constantFrom(...marks), (head, tail, width, sep) => {
        const tailText = String(tail).padStart(width, "0").slice(-width);
        const text = `Exports reached ${head}${sep}${tailText} tons.`;
        // A full stop, or a comma before two digits, is a decimal mark: "7,50 tons" and "7.5000 tons" are read whole.
        const decimal = sep === "." || (sep === "," && width === 2) ? Number(`${head}.${tailText}`) : null;
        for (const q of scanQuantities(text)) if (q.value !== decimal) expect([head, Number(tailText)], `${text} read as ${q.text}`).not.toContain(q.value);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("currency vocabulary, one copy for scanner and normalize", () => {
  it("gives the scanner's default reading, and lets the country settle a shared name", () => {
    const [q] = scanQuantities("India sent goods worth Rs 70 crore.");
    expect(q).toMatchObject({ currency: "PKR", currencyForm: "Rs", value: 7e8 });
    expect(currencyFromWord(q!.currencyForm!, "IND")).toBe("INR");
  });
});
