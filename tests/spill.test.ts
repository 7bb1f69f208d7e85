import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns, mergeRuns, RunWriter, writeRun } from "../pipeline/ops/runs.ts";
import { serialize } from "node:v8";
import { asciiJson, oneByteAscii } from "../pipeline/ops/asciiJson.ts";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { parseArticle } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { articleLines } from "../pipeline/ops/factlines.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";
import { partOf, readSpilled, readSpilledAcross, Spill, SpillPartReader } from "../pipeline/ops/spill.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spill-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface R {
  k: string;
  n: number;
}
const byKey = (a: R, b: R) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);

async function readAll(names: string[], chunkRows = 3, fanIn?: number): Promise<{ rows: R[]; chunks: number[] }> {
  const rows: R[] = [];
  const chunks: number[] = [];
  for await (const chunk of mergeRuns<R>(dir, names, byKey, chunkRows, fanIn)) {
    chunks.push(chunk.length);
    rows.push(...chunk);
  }
  return { rows, chunks };
}

describe("sorted runs", () => {
  it("merge into one order, equal keys in the order the runs are named, in chunks", async () => {
    await writeRun(dir, "r1", [{ k: "c", n: 1 }, { k: "a", n: 1 }, { k: "e", n: 1 }], byKey);
    await writeRun(dir, "r2", [{ k: "b", n: 2 }, { k: "c", n: 2 }], byKey);
    await writeRun(dir, "r3", [], byKey);
    const { rows, chunks } = await readAll(["r2", "r1", "r3", "missing"]);
    expect(rows.map((r) => `${r.k}${r.n}`)).toEqual(["a1", "b2", "c2", "c1", "e1"]);
    expect(chunks).toEqual([3, 2]);
  });

  it("read runs bigger than a block, with characters split across blocks", async () => {
    const big = Array.from({ length: 5000 }, (_, i) => ({ k: `k${String(i).padStart(5, "0")}`, n: i, text: "ğ€é".repeat(i % 7) }));
    await writeRun(dir, "big", [...big].reverse(), byKey);
    const { rows } = await readAll(["big"], 4096);
    expect(rows).toEqual(big);
  });

  it("give the sorted union of any rows, however they were split into runs, equal keys by run then place in it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.record({ k: fc.string({ maxLength: 3 }), n: fc.nat(9) }), { maxLength: 20 }), { maxLength: 6 }), async (runs) => {
        const names = runs.map((_, i) => `p${i}`);
        for (let i = 0; i < runs.length; i++) await writeRun(dir, names[i]!, [...runs[i]!], byKey);
        const { rows } = await readAll(names, 5);
        // Array.prototype.sort is stable: each run sorted, then all of them in run order, is the merge's order.
        expect(rows).toEqual(runs.flatMap((r) => [...r].sort(byKey)).sort(byKey));
        await Promise.all(names.map((n) => rm(join(dir, `${n}.run`), { force: true })));
      }),
      { numRuns: 60 },
    );
  });

  it("merge many runs a few at a time into the same rows, equal keys still in name order, and leave no file behind", async () => {
    const names = Array.from({ length: 11 }, (_, i) => `f${i}`);
    for (let i = 0; i < names.length; i++) await writeRun(dir, names[i]!, i === 4 ? [] : [{ k: "k", n: i }, { k: String.fromCharCode(97 + (i % 5)), n: i }], byKey);
    const wide = await readAll([...names, "missing"], 4);
    const narrow = await readAll([...names, "missing"], 4, 2);
    expect(narrow).toEqual(wide);
    expect(narrow.rows.filter((r) => r.k === "k").map((r) => r.n)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
    expect(narrow.rows.map((r) => r.k)).toEqual([...narrow.rows.map((r) => r.k)].sort());
    expect((await readdir(dir)).filter((f) => f.startsWith("~merge"))).toEqual([]);
  });

  it("give the same rows whatever the fan-in", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.record({ k: fc.string({ maxLength: 2 }), n: fc.nat(9) }), { maxLength: 8 }), { maxLength: 9 }), fc.integer({ min: 2, max: 4 }), async (runs, fanIn) => {
        const names = runs.map((_, i) => `q${i}`);
        for (let i = 0; i < runs.length; i++) await writeRun(dir, names[i]!, [...runs[i]!], byKey);
        expect((await readAll(names, 5, fanIn)).rows).toEqual((await readAll(names, 5)).rows);
        await Promise.all(names.map((n) => rm(join(dir, `${n}.run`), { force: true })));
      }),
      { numRuns: 30 },
    );
  });

  it("written as rows arrive keep arrival order among equal keys", async () => {
    const w = new RunWriter<R>(dir, "w", byKey, 2);
    for (const r of [{ k: "b", n: 1 }, { k: "a", n: 1 }, { k: "b", n: 2 }, { k: "a", n: 2 }, { k: "a", n: 3 }]) await w.add(r);
    await w.flush();
    expect(w.runs()).toEqual(["w-0", "w-1", "w-2"]);
    const { rows } = await readAll(w.runs(), 10);
    expect(rows.map((r) => `${r.k}${r.n}`)).toEqual(["a1", "a2", "a3", "b1", "b2"]);
  });
});

describe("listRuns", () => {
  it("finds a base's numbered runs in the order of writer, then run, and nothing else", async () => {
    const w = (name: string) => writeRun(dir, name, [{ k: "a", n: 0 }], byKey);
    for (const name of ["lr-10-0", "lr-2-1", "lr-2-0", "lr-2-10", "lr-3", "lr-x-1-0", "lrx-1-0", "other-1-0"]) await w(name);
    expect(await listRuns(dir, "lr")).toEqual(["lr-2-0", "lr-2-1", "lr-2-10", "lr-10-0"]);
    expect(await listRuns(dir, "none")).toEqual([]);
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
  });

  it("scans a part line by line with the bytes of each, across reading blocks, and reads any line again by them", async () => {
    const spill = new Spill<unknown>(dir, "scan", 2);
    // Over a megabyte of lines, so lines straddle the scan's blocks; raw non-ASCII lines make bytes differ from characters.
    const lines = Array.from({ length: 1500 }, (_, i) => (i % 7 === 3 ? `{"q":"Kabul — ${i} ${"é".repeat(i % 50)}"}` : asciiJson({ n: i, pad: "x".repeat(700 + (i % 90)) })));
    for (const line of lines) await spill.addLine(1, line);
    await spill.flush();
    const reader = SpillPartReader.open(dir, "scan", 1)!;
    try {
      const scanned = [...reader.lines()];
      expect(scanned.map(([text]) => text)).toEqual(lines);
      expect(scanned[0]!.slice(1)).toEqual([0, Buffer.byteLength(lines[0]!)]);
      expect(scanned.at(-1)![2]).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) - 1);
      for (const i of [0, 3, 745, 1499]) expect(reader.lineAt(scanned[i]![1], scanned[i]![2])).toBe(lines[i]);
    } finally {
      reader.close();
    }
    expect(SpillPartReader.open(dir, "scan", 0)).toBeNull();
  });

  it("spreads keys over parts the same way every run", () => {
    expect(partOf('["trade_flows","export"]', 7)).toBe(partOf('["trade_flows","export"]', 7));
    expect(new Set(Array.from({ length: 200 }, (_, i) => partOf(`key ${i}`, 7))).size).toBe(7);
  });
});

/** V8's own tag for a string it holds one byte per character (the structured-clone format: '"', against 'c' for two bytes). */
const isOneByte = (s: string) => serialize(s)[2] === 0x22;

describe("asciiJson", () => {
  it("writes pure ASCII that parses back to the same value, astral characters and control escapes included", () => {
    const value = { quote: "Kazakhstan — “wheat” ğ 😀", tab: "a\tb\nc", n: 1.5, none: null };
    const json = asciiJson(value);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(json).toContain("\\u2014");
    expect(JSON.parse(json)).toEqual(value);
    expect(asciiJson({ plain: "ascii only" })).toBe(JSON.stringify({ plain: "ascii only" }));
  });
});

describe("oneByteAscii", () => {
  it("gives the one-byte form of ASCII held two bytes a character, unchanged in value", () => {
    const twoByte = JSON.stringify({ q: "Wheat \u2014 flour".slice(0, 5) });
    expect(isOneByte(twoByte)).toBe(false);
    expect(oneByteAscii(twoByte)).toBe('{"q":"Wheat"}');
    expect(isOneByte(oneByteAscii(twoByte))).toBe(true);
  });

  it("makes an article's lines one-byte even when a dash elsewhere in its body made its quotes two-byte", async () => {
    const g = buildGazetteer(await loadReference(DEFAULT_SOURCES));
    const text = "---\npublished: 2024-03-02\n---\nKazakhstan exported 120,000 tons of wheat to Afghanistan in 2023.\n\nTraders in Hairatan \u2014 the river port \u2014 expect more.\n";
    const parsed = parseArticle({ source_file: "dash.md", bytes: new TextEncoder().encode(text) }, new Map());
    const lines = articleLines(parsed, (a) => extractArticle(a, g), []);
    expect(lines.split("\n").slice(2).map((l) => JSON.parse(l.split("\t")[1]!).evidence[0].quote)).toEqual(["Kazakhstan exported 120,000 tons of wheat to Afghanistan in 2023."]);
    expect(isOneByte(lines)).toBe(true);
  });
});
