import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverOutput } from "../pipeline/ops/recover.ts";
import { cli, seedsCopy } from "./fixtures/cli.ts";

let work: string;
let input: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "out-"));
  input = await seedsCopy(work, "news");
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every file under `dir` with its contents, to show that nothing was touched. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = await readFile(join(e.parentPath, e.name), "utf8");
  }
  return out;
}

const run = (out: string, from = input) => cli(["--input", from, "--out", out, "--cache", join(work, "cache"), "--no-report"]);

describe("--out safety", () => {
  it("refuses, with exit 2 and nothing touched, an existing folder that this pipeline did not publish", async () => {
    const thesis = join(work, "thesis");
    await mkdir(join(thesis, "chapters"), { recursive: true });
    await writeFile(join(thesis, "chapters", "one.tex"), "\\chapter{Trade}\n");
    await writeFile(join(thesis, "manifest.json"), '{"name": "a web app manifest"}\n');
    const before = await contents(thesis);
    const r = await run(thesis);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*thesis is a folder that is not an output of this pipeline .*; refusing to replace it/);
    expect(await contents(thesis)).toEqual(before);
    expect((await readdir(work)).filter((n) => n.startsWith("thesis"))).toEqual(["thesis"]);
  }, 120_000);

  it("refuses --out equal to --input or inside it, and --input inside --out, touching nothing", async () => {
    const before = await contents(input);
    const same = await run(input);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/is the input folder or inside it|is inside the output/);
    const inside = await run(join(input, "dataset"));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is the input folder or inside it/);
    expect(await contents(input)).toEqual(before);
    expect(await readdir(input)).toEqual(Object.keys(before).map((p) => p.slice(1)).sort());

    const out = join(work, "published");
    // With its report, so that the output has a folder to give as --input.
    expect((await cli(["--input", input, "--out", out, "--cache", join(work, "cache")])).code).toBe(0);
    const published = await contents(out);
    const r = await run(out, join(out, "report"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--input .*report is inside the output --out .*published/);
    expect(await contents(out)).toEqual(published);
  }, 240_000);

  it("refuses a file or a symbolic link it did not make at --out", async () => {
    const file = join(work, "notes.txt");
    await writeFile(file, "keep me\n");
    expect((await run(file)).code).toBe(2);
    expect(await readFile(file, "utf8")).toBe("keep me\n");
    const elsewhere = join(work, "elsewhere");
    await mkdir(elsewhere);
    await symlink(elsewhere, join(work, "linked"));
    const r = await run(join(work, "linked"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a symbolic link to .*elsewhere that this pipeline did not make/);
    expect(await readlink(join(work, "linked"))).toBe(elsewhere);
  }, 120_000);

  it("creates a missing parent of --out", async () => {
    const out = join(work, "a", "b", "c", "dataset");
    const r = await run(out);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")).row_counts.articles).toBe(5);
  }, 120_000);

  it("takes over an earlier version's output folder (a real folder) and replaces it by a link", async () => {
    const out = join(work, "earlier");
    await mkdir(out);
    await writeFile(join(out, "datapackage.json"), JSON.stringify({ name: "afghanistan-neighbours-trade-news", resources: [] }));
    await writeFile(join(out, "stale.csv"), "from an earlier version\n");
    expect((await run(out)).code).toBe(0);
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readdir(out)).not.toContain("stale.csv");
    expect(await readdir(out)).toContain("trade_flows.parquet");
  }, 120_000);

  it("after a kill inside the migration, links the output back to the folder moved aside and removes the rest", async () => {
    const parent = join(work, "migrating");
    await mkdir(parent);
    const aside = join(parent, "out.run-20261208T010000000Z-0000000a");
    const staged = join(parent, "out.run-20261208T000000000Z-0000000b");
    await mkdir(aside);
    await writeFile(join(aside, "datapackage.json"), '{"name": "afghanistan-neighbours-trade-news"}');
    await mkdir(staged);
    await writeFile(join(staged, "trade_flows.csv"), "half written");
    await symlink("out.run-20261208T000000000Z-0000000b", join(parent, "out.link-20261208T000000000Z-0000000c"));
    await mkdir(join(parent, "out.run-thesis"));
    expect(await recoverOutput(join(parent, "out"))).toEqual([
      "linked out to out.run-20261208T010000000Z-0000000a",
      "removed out.link-20261208T000000000Z-0000000c",
      "removed out.run-20261208T000000000Z-0000000b",
    ]);
    expect(await readlink(join(parent, "out"))).toBe("out.run-20261208T010000000Z-0000000a");
    expect((await readdir(parent)).sort()).toEqual(["out", "out.run-20261208T010000000Z-0000000a", "out.run-thesis"]);
  });
});
