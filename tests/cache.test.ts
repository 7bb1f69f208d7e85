import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
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
    expect(await first.getMany([key])).toEqual([null]);
    await first.putMany([{ key, lines: '{"meta":{}}\n[]' }]);

    const next = new ExtractCache(dir, "rules-1");
    expect(await next.getMany([key, next.keyOf("b.md", "ab".repeat(32), undefined)])).toEqual(['{"meta":{}}\n[]', null]);
    expect(next.keyOf("a.md", "ab".repeat(32), { article_id: "x" } as never)).not.toBe(key);
    expect(new ExtractCache(dir, "rules-2").keyOf("a.md", "ab".repeat(32), undefined)).not.toBe(key);
  });

  it("keeps a batch in one pack and reads any of its entries back, whatever their order or characters", async () => {
    const packs = join(dir, "packs");
    const cache = new ExtractCache(packs, "r");
    const entries = ["é—ğ€ one", "", "two\nlines", "x".repeat(70_000)].map((lines, i) => ({ key: cache.keyOf(`${i}.md`, "00", undefined), lines }));
    await cache.putMany(entries);
    await cache.putMany([]);
    expect((await readdir(packs)).sort().map((f) => f.replace(/^[0-9a-f]+/, ""))).toEqual([".index", ".pack"]);
    const again = new ExtractCache(packs, "r");
    const wanted = [3, 0, 2, 1].map((i) => entries[i]!);
    expect(await again.getMany(wanted.map((e) => e.key))).toEqual(wanted.map((e) => e.lines));
  });

  it("ignores a pack no index names (a run killed while writing it) and an entry whose pack is gone", async () => {
    const sub = join(dir, "killed");
    const cache = new ExtractCache(sub, "r");
    const [a, b] = [cache.keyOf("a.md", "00", undefined), cache.keyOf("b.md", "00", undefined)];
    await cache.putMany([{ key: a, lines: "kept" }]);
    await writeFile(join(sub, "orphan.pack"), "never indexed");
    const before = new Set(await readdir(sub));
    await cache.putMany([{ key: b, lines: "lost" }]);
    const packOfB = (await readdir(sub)).filter((f) => !before.has(f) && f.endsWith(".pack"));
    expect(packOfB).toHaveLength(1);
    await rm(join(sub, packOfB[0]!));
    expect(await new ExtractCache(sub, "r").getMany([a, b])).toEqual(["kept", null]);
  });

  it("treats a missing cache folder as empty", async () => {
    const cache = new ExtractCache(join(dir, "never-made"), "r");
    expect(await cache.getMany([cache.keyOf("a.md", "00", undefined)])).toEqual([null]);
  });
});
