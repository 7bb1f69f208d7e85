/**
 * Issue 23, item 4: the extraction cache is never trusted to be intact. A changed digit in a pack, a truncated
 * index or pack, temporary files of a killed run and a cache folder that cannot be written: each run still
 * publishes what the articles say, with a warning, and the cache heals. Every case drives the CLI.
 */
import { mkdtemp, readdir, readFile, rm, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeline, root } from "./fixtures/cli.ts";

let work: string;
let cache: string;
/** The trade flows of a run on the seeds with a sound cache. */
let expected: string;
const seeds = join(root, "seeds");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "reliability-cache-"));
  cache = join(work, "cache");
  const r = await pipeline(["--input", seeds, "--out", join(work, "out0"), "--cache", cache]);
  expect(r.code).toBe(0);
  expected = await readFile(join(work, "out0", "trade_flows.csv"), "utf8");
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The cache's packs or indexes, largest first. */
async function packFiles(suffix: ".pack" | ".index"): Promise<string[]> {
  const names = (await readdir(cache)).filter((n) => n.endsWith(suffix)).map((n) => join(cache, n));
  const sizes = new Map(await Promise.all(names.map(async (n) => [n, (await readFile(n)).length] as const)));
  return names.sort((a, b) => sizes.get(b)! - sizes.get(a)!);
}

let runs = 0;
/** A run into a fresh output folder (so it reads the cache), and its warnings. */
async function run(cacheDir = cache) {
  const r = await pipeline(["--input", seeds, "--out", join(work, `out${++runs}`), "--cache", cacheDir]);
  return { ...r, warnings: r.log.filter((l) => l.level === "warn").map((l) => l.event), flows: await readFile(join(work, `out${runs}`, "trade_flows.csv"), "utf8").catch(() => "") };
}

describe("a damaged extraction cache is noticed and healed, never published (item 4)", () => {
  it(
    "one digit changed inside a pack: the published value still matches the evidence quote",
    async () => {
      const [pack] = await packFiles(".pack");
      const bytes = await readFile(pack!, "latin1");
      expect(bytes).toContain('"value_usd":987900000');
      await writeFile(pack!, bytes.replace('"value_usd":987900000', '"value_usd":987900001'), "latin1");

      const r = await run();
      expect(r.code).toBe(0);
      expect(r.warnings).toContain("extraction cache damaged; its entries are extracted again");
      expect(r.flows).not.toContain("987900001");
      expect(r.flows).toBe(expected);
      const evidence = await readFile(join(work, `out${runs}`, "evidence.csv"), "utf8");
      expect(evidence).toMatch(/\$987\.9 million/);

      const again = await run();
      expect(again.warnings).toEqual([]);
      expect(again.flows).toBe(expected);
    },
    300_000,
  );

  it(
    "a truncated index, then a truncated pack: each run publishes the same data with a warning, and the next runs clean",
    async () => {
      const [index] = await packFiles(".index");
      await truncate(index!, Math.floor((await readFile(index!)).length / 2));
      const r = await run();
      expect(r.code).toBe(0);
      expect(r.warnings).toContain("extraction cache damaged; its entries are extracted again");
      expect(r.flows).toBe(expected);

      const [pack] = await packFiles(".pack");
      await truncate(pack!, Math.floor((await readFile(pack!)).length / 2));
      const r2 = await run();
      expect(r2.code).toBe(0);
      expect(r2.warnings).toContain("extraction cache damaged; its entries are extracted again");
      expect(r2.flows).toBe(expected);

      const r3 = await run();
      expect(r3.warnings).toEqual([]);
      expect(r3.log.find((l) => l.event === "extracted")).toMatchObject({ reextracted: 0 });
    },
    300_000,
  );

  it(
    "temporary files left by a killed run are pruned, a running one's are not",
    async () => {
      const orphan = join(cache, `${(await packFiles(".pack"))[0]!.split("/").pop()}.4242.tmp`);
      const mine = join(cache, `other.pack.${process.pid}.tmp`);
      await writeFile(orphan, "half a pack");
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      await utimes(orphan, twoHoursAgo, twoHoursAgo);
      await writeFile(mine, "a live run's write");
      const r = await run();
      expect(r.code).toBe(0);
      const left = await readdir(cache);
      expect(left).not.toContain(orphan.split("/").pop());
      expect(left).toContain(mine.split("/").pop());
      await rm(mine);
    },
    300_000,
  );

  it(
    "a cache folder that cannot be written (a file where its parent should be): the run publishes without the cache, with a warning",
    async () => {
      const blocker = join(work, "not-a-folder");
      await writeFile(blocker, "a file");
      const r = await run(join(blocker, "cache"));
      expect(r.code).toBe(0);
      expect(r.warnings).toContain("extraction cache cannot be written; running without it");
      expect(r.flows).toBe(expected);
    },
    300_000,
  );
});

describe("a damaged manifest means every input counts as changed, with a warning (item 5)", () => {
  const damages: [string, (text: string) => string][] = [
    ["an input line garbled", (t) => t.replace(/\n {4}\{"source_file":"001[^\n]*?,"bytes":/, '\n    {"source_file":"001_737873088a478549.txt","bytes":')],
    ["an input line not JSON", (t) => t.replace(/\n {4}\{"source_file":"002[^\n]*\}/, '\n    {"source_file": 002 broken}')],
    ["cut in the middle of the inputs", (t) => t.slice(0, t.indexOf('"source_file":"003'))],
  ];
  for (const [what, damage] of damages) {
    it(
      `${what}: the run rebuilds and publishes, and the next run finds nothing changed`,
      async () => {
        const out = join(work, `manifest-${what.replaceAll(" ", "-")}`);
        const first = await pipeline(["--input", seeds, "--out", out, "--cache", cache]);
        expect(first.code).toBe(0);
        const path = join(out, "manifest.json");
        const text = await readFile(path, "utf8");
        expect(damage(text)).not.toBe(text);
        await writeFile(path, damage(text));

        const r = await pipeline(["--input", seeds, "--out", out, "--cache", cache]);
        expect(r.code).toBe(0);
        expect(r.log.filter((l) => l.level === "warn").map((l) => l.event)).toEqual(["manifest damaged; treating every input as changed"]);
        expect(r.log.map((l) => l.event)).toContain("published");
        const manifest = JSON.parse(await readFile(path, "utf8")) as { articles: Record<string, number> };
        expect(manifest.articles).toEqual({ new: 5, changed: 0, unchanged: 0, removed: 0 });
        expect(await readFile(join(out, "trade_flows.csv"), "utf8")).toBe(expected);

        const again = await pipeline(["--input", seeds, "--out", out, "--cache", cache]);
        expect(again.code).toBe(0);
        expect(again.log.map((l) => l.event)).toContain("nothing changed; output is up to date");
      },
      300_000,
    );
  }
});
