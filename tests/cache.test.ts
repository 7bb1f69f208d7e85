import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractCache } from "../pipeline/ops/cache.ts";
import { rulesHashes } from "../pipeline/ops/fingerprint.ts";

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
    expect((await readdir(packs)).sort().map((f) => f.replace(/^r-[0-9a-f]+/, ""))).toEqual([".index", ".pack"]);
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

  it("prunes what only other code could read, and keeps its own entries", async () => {
    const sub = join(dir, "prune");
    const [old, now] = [new ExtractCache(sub, "aaa1"), new ExtractCache(sub, "bbb2")];
    const key = (c: ExtractCache) => c.keyOf("a.md", "00", undefined);
    await old.putMany([{ key: key(old), lines: "old rules" }]);
    await now.putMany([{ key: key(now), lines: "new rules" }]);
    await mkdir(join(sub, "3f"));
    await writeFile(join(sub, "3f", "3f0011.json"), "an entry of the one-file layout");
    await writeFile(join(sub, "notes.txt"), "not the cache's");
    expect(await new ExtractCache(sub, "bbb2").prune()).toBe(3);
    expect((await readdir(sub)).sort().map((f) => f.replace(/^bbb2-[0-9a-f]+/, "*"))).toEqual(["*.index", "*.pack", "notes.txt"]);
    expect(await new ExtractCache(sub, "bbb2").getMany([key(now)])).toEqual(["new rules"]);
    expect(await new ExtractCache(sub, "aaa1").getMany([key(old)])).toEqual([null]);
    expect(await new ExtractCache(join(dir, "no-such"), "bbb2").prune()).toBe(0);
  });

  it("treats a missing cache folder as empty", async () => {
    const cache = new ExtractCache(join(dir, "never-made"), "r");
    expect(await cache.getMany([cache.keyOf("a.md", "00", undefined)])).toEqual([null]);
  });
});

describe("rulesHashes", () => {
  it("hashes each named set of files as it would alone, and sees a change only in the sets holding it", async () => {
    const base = await mkdtemp(join(tmpdir(), "rules-hash-"));
    try {
      await mkdir(join(base, "code/extract"), { recursive: true });
      await writeFile(join(base, "code/extract/a.ts"), "export const a = 1;\n");
      await writeFile(join(base, "code/other.ts"), "export const b = 2;\n");
      await writeFile(join(base, "ref.csv"), "x,y\n1,2\n");
      const sets = { extraction: [join(base, "code/extract"), join(base, "ref.csv")], rules: [join(base, "code"), join(base, "ref.csv")] };
      const before = await rulesHashes(sets, base);
      // The same bytes as hashing each set on its own: the Node version, NUL, then name, NUL, content, NUL, in sorted order.
      const expected = (files: [string, string][]) => {
        const h = createHash("sha256").update(process.version).update("\0");
        for (const [name, content] of files) h.update(name).update("\0").update(content).update("\0");
        return h.digest("hex").slice(0, 16);
      };
      expect(before.extraction).toBe(expected([["code/extract/a.ts", "export const a = 1;\n"], ["ref.csv", "x,y\n1,2\n"]]));
      expect(before.rules).toBe(expected([["code/extract/a.ts", "export const a = 1;\n"], ["code/other.ts", "export const b = 2;\n"], ["ref.csv", "x,y\n1,2\n"]]));
      await writeFile(join(base, "code/other.ts"), "export const b = 3;\n");
      const after = await rulesHashes(sets, base);
      expect(after.extraction).toBe(before.extraction);
      expect(after.rules).not.toBe(before.rules);
      // Another Node version changes every hash: the extraction cache and the unchanged-run check.
      const otherNode = await rulesHashes(sets, base, "v99.0.0");
      expect(otherNode.extraction).not.toBe(after.extraction);
      expect(otherNode.rules).not.toBe(after.rules);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
