/** Packed answers (pipeline/extract/packed.ts) come back equal to what was packed, through a real structured clone. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pack, transferables, unpack } from "../pipeline/extract/packed.ts";

const SEED = Number(process.env.FC_SEED ?? 20_251_203);
const RUNS = Number(process.env.FC_RUNS ?? 300);

/** Through a clone, as posting a message with the packed buffers moved would do. */
function roundTrip(value: unknown): unknown {
  const p = pack(value);
  return unpack(structuredClone(p, { transfer: transferables(p) }));
}

/** Every object's keys, in order, depth first: toStrictEqual does not compare key order. */
function keysInOrder(v: unknown): string[][] {
  if (v === null || typeof v !== "object") return [];
  const children = Array.isArray(v) ? v : Object.values(v);
  return [Array.isArray(v) ? [] : Object.keys(v), ...children.flatMap(keysInOrder)];
}

/** Plain data as results are made of, arrays without holes (objects with no prototype come back with one, as from a clone). */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 2 ** 53),
    fc.integer(),
    fc.double(),
    fc.string({ unit: "binary" }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constant("__proto__")), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("packed", () => {
  it("gives back what structured clone would, key order, -0, NaN and lone surrogates included", () => {
    fc.assert(
      fc.property(plain, (v) => {
        const back = roundTrip(v);
        const cloned = structuredClone(v);
        expect(back).toStrictEqual(cloned);
        expect(keysInOrder(back)).toEqual(keysInOrder(cloned));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("rebuilds a fact-like record with its strings, numbers and nesting", () => {
    const quote = "Exports reached $1.2 billion in 2023.";
    const results = [
      {
        facts: [
          { table: "trade_flows", fields: { value_usd: 1.2e9, year: 2023, unit: null }, evidence: [{ quote, char_start: 0, field: "value_usd" }, { quote, char_start: 0, field: "period" }], changes: [] },
          { table: "trade_flows", fields: { value_usd: 0.5, year: 2023, unit: null }, evidence: [], changes: [{ pct: -12.5 }] },
        ],
        qa: [],
      },
    ];
    const back = roundTrip(results) as typeof results;
    expect(back).toStrictEqual(results);
    expect(back[0]!.facts[0]!.evidence[1]!.quote).toBe(quote);
    expect(back[0]!.facts[1]!.changes[0]!.pct).toBe(-12.5);
    expect(Object.keys(back[0]!.facts[1]!.fields)).toEqual(["value_usd", "year", "unit"]);
  });

  it("grows past its first buffers", () => {
    const big = Array.from({ length: 40_000 }, (_, i) => ({ i, x: i + 0.5, s: `s${i % 7}` }));
    const back = roundTrip(big) as typeof big;
    expect(back).toHaveLength(40_000);
    expect(back[39_999]).toStrictEqual({ i: 39_999, x: 39_999.5, s: "s1" });
    expect(back).toStrictEqual(big);
  });

  it("keeps a key named __proto__ a property", () => {
    const back = roundTrip(JSON.parse('{"__proto__": {"x": 1}, "y": 2}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "y"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toStrictEqual({ x: 1 });
  });

  it("sends a repeated string once", () => {
    const s = "a quote repeated in every evidence row";
    expect(pack([s, s, s, { s }]).text).toBe(s);
  });

  it("refuses what it would not give back as it was", () => {
    expect(() => pack(new Map([["a", 1]]))).toThrow(/Map/);
    expect(() => pack({ when: new Date(0) })).toThrow(/Date/);
    expect(() => pack(10n)).toThrow(/bigint/);
    expect(() => pack(() => 1)).toThrow(/function/);
  });
});
