import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractCache } from "../pipeline/ops/cache.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cache-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the extraction cache", () => {
  it("finds what an earlier run put, under the same rules, name, bytes and registry row only", async () => {
    const first = new ExtractCache(dir, "rules-1");
    const key = first.keyOf("a.md", "ab".repeat(32), undefined);
    expect(await first.get(key)).toBeNull();
    await first.put(key, '{"meta":{}}\n[]');

    const next = new ExtractCache(dir, "rules-1");
    expect(await next.get(key)).toBe('{"meta":{}}\n[]');
    expect(await next.get(next.keyOf("b.md", "ab".repeat(32), undefined))).toBeNull();
    expect(next.keyOf("a.md", "ab".repeat(32), { article_id: "x" } as never)).not.toBe(key);
    expect(new ExtractCache(dir, "rules-2").keyOf("a.md", "ab".repeat(32), undefined)).not.toBe(key);
  });

  it("treats a missing cache folder as empty", async () => {
    const cache = new ExtractCache(join(dir, "never-made"), "r");
    expect(await cache.get(cache.keyOf("a.md", "00", undefined))).toBeNull();
  });
});
