import { describe, expect, it } from "vitest";
import { SeenIds } from "../pipeline/ops/seenIds.ts";
import { fnv1a } from "../pipeline/ops/spill.ts";

describe("the duplicate-id check", () => {
  it("answers the first value of an id seen before, across blocks of ids and table growth", () => {
    const seen = new SeenIds();
    for (let i = 0; i < 5000; i++) expect(seen.firstOrAdd(`kabul-times-${i}`, i)).toBeUndefined();
    expect(seen.firstOrAdd("kabul-times-0", 9000)).toBe(0);
    expect(seen.firstOrAdd("kabul-times-1023", 9001)).toBe(1023);
    expect(seen.firstOrAdd("kabul-times-1024", 9002)).toBe(1024);
    expect(seen.firstOrAdd("kabul-times-4999", 9003)).toBe(4999);
    expect(seen.firstOrAdd("kabul-times-5000", 5000)).toBeUndefined();
    expect(seen.firstOrAdd("Kabul-times-0", 5001)).toBeUndefined();
    expect(seen.firstOrAdd("Kabul-times-0", 5002)).toBe(5001);
  });

  it("tells apart ids whose hashes are equal", () => {
    expect(fnv1a("a-587389")).toBe(fnv1a("a-1900310"));
    const seen = new SeenIds();
    expect(seen.firstOrAdd("a-587389", 1)).toBeUndefined();
    expect(seen.firstOrAdd("a-1900310", 2)).toBeUndefined();
    expect(seen.firstOrAdd("a-1900310", 3)).toBe(2);
    expect(seen.firstOrAdd("a-587389", 4)).toBe(1);
  });
});
