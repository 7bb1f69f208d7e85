import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stableId } from "../pipeline/ids.ts";
import { idBucket, partOf, readSpilled, readSpilledAcross, Spill, spilledLines } from "../pipeline/ops/spill.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spill-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("idBucket", () => {
  it("is monotone in the id, so buckets read in order give ids in order", () => {
    const hex = fc.stringMatching(/^[0-9a-f]{16}$/);
    fc.assert(
      fc.property(hex, hex, fc.integer({ min: 1, max: 4096 }), (a, b, n) => {
        const [x, y] = a < b ? [a, b] : [b, a];
        expect(idBucket(x, n)).toBeLessThanOrEqual(idBucket(y, n));
        expect(idBucket(y, n)).toBeLessThan(n);
      }),
    );
  });

  it("spreads hashed ids over every bucket", () => {
    const used = new Set(Array.from({ length: 2000 }, (_, i) => idBucket(stableId("row", i), 50)));
    expect(used.size).toBe(50);
    expect(idBucket("000", 50)).toBe(0);
    expect(idBucket("fff", 50)).toBe(49);
  });
});

describe("Spill", () => {
  it("reads parts back in the order rows were added, across flushes and spills", async () => {
    const a = new Spill<{ n: number }>(dir, "a", 3);
    const b = new Spill<{ n: number }>(dir, "b", 3);
    for (let n = 0; n < 10; n++) await (n < 5 ? a : b).add(n % 3, { n });
    await a.flush();
    await a.add(0, { n: 99 });
    await Promise.all([a.flush(), b.flush()]);
    expect((await readSpilled<{ n: number }>(dir, "a", 0)).map((r) => r.n)).toEqual([0, 3, 99]);
    expect((await readSpilledAcross<{ n: number }>(dir, ["a", "b"], 1)).map((r) => r.n)).toEqual([1, 4, 7]);
    expect(await readSpilled(dir, "a", 7)).toEqual([]);
    const lines: string[] = [];
    for await (const line of spilledLines(dir, "b", 2)) lines.push(line);
    expect(lines).toEqual(['{"n":5}', '{"n":8}']);
    for await (const line of spilledLines(dir, "missing", 0)) lines.push(line);
    expect(lines).toHaveLength(2);
  });

  it("spreads keys over parts the same way every run", () => {
    expect(partOf('["trade_flows","export"]', 7)).toBe(partOf('["trade_flows","export"]', 7));
    expect(new Set(Array.from({ length: 200 }, (_, i) => partOf(`key ${i}`, 7))).size).toBe(7);
  });
});
