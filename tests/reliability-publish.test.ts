import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelineLaunch } from "../bench/pipelineLaunch.ts";
import { cli, root, scenario } from "./fixtures/cli.ts";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "publish-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Manifest {
  output_files: { path: string; bytes: number; sha256: string }[];
  run: { republished: boolean };
}

/**
 * What a reader finds at `out`, resolved once as a reader should: null if it is a complete output whose
 * manifest describes every file beside it, else what is wrong.
 */
async function readerFinds(out: string): Promise<string | null> {
  let dir: string;
  try {
    dir = await realpath(out);
  } catch {
    return "no output";
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch (err) {
    return `no readable manifest: ${(err as Error).message}`;
  }
  if (!manifest.output_files.some((f) => f.path === "dataset.duckdb")) return "manifest lists no dataset.duckdb";
  for (const f of manifest.output_files) {
    const bytes = await readFile(join(dir, f.path)).catch(() => null);
    if (!bytes) return `${f.path} missing`;
    if (sha256(bytes) !== f.sha256) return `${f.path} is not the file the manifest describes`;
  }
  return null;
}

function withArticle(input: string, i: number): Promise<void> {
  return writeFile(join(input, "extra.md"), `---\nid: extra\npublished: 2024-01-0${(i % 9) + 1}\n---\nUzbekistan exported goods worth $${i + 10} million to Afghanistan in 2023.\n`);
}

describe("publishing under kill -9", () => {
  it("always shows a reader polling every 20 ms a complete output whose manifest describes the files beside it", async () => {
    const { input, out, args } = await scenario(work, "kill", []);
    const started = performance.now();
    expect((await cli(args)).code).toBe(0);
    const runMs = performance.now() - started;

    const problems: string[] = [];
    let polls = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const problem = await readerFinds(out);
        polls++;
        if (problem) problems.push(problem);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const { env, flags } = await pipelineLaunch(root);
    const kills = 12;
    for (let i = 0; i < kills; i++) {
      // Most runs have a changed input, so the kill lands in extract, publish, report or flip; every third is an unchanged rerun.
      if (i % 3 !== 2) await withArticle(input, i);
      const child = spawn(process.execPath, [...flags, "--import", "tsx", join(root, "pipeline/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" });
      const exited = new Promise((r) => child.on("exit", r));
      // Spread over a whole run, the start-up included, the early kills by a fixed pseudo-random sequence.
      await new Promise((r) => setTimeout(r, ((i * 7919) % 97) / 97 * runMs * 1.1));
      child.kill("SIGKILL");
      await exited;
    }
    expect((await cli(args)).code).toBe(0);
    reading = false;
    await reader;
    expect(problems).toEqual([]);
    expect(polls).toBeGreaterThan(100);
    expect(await readerFinds(out)).toBeNull();
    // The live publication and the previous one stay; nothing else a killed run left.
    const left = (await readdir(work)).filter((n) => n.startsWith("kill-out"));
    expect(left.filter((n) => !/^kill-out(\.run-\d{8}T\d{9}Z-[0-9a-f]{8})?$/.test(n))).toEqual([]);
    expect(left.length).toBeLessThanOrEqual(3);
  }, 300_000);
});

describe("messages say what is true", () => {
  it("says the previous output is untouched when the disk fills up at the manifest, and it is", async () => {
    const { input, out, args } = await scenario(work, "full");
    expect((await cli(args)).code).toBe(0);
    const dir = await realpath(out);
    const before = await readFile(join(dir, "trade_flows.csv"), "utf8");
    const manifestBefore = await readFile(join(out, "manifest.json"), "utf8");

    await withArticle(input, 1);
    const { env, flags } = await pipelineLaunch(root);
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      let stderr = "";
      const child = spawn(process.execPath, [...flags, "--import", join(root, "tests/fixtures/enospc.mjs"), "--import", "tsx", join(root, "pipeline/cli.ts"), ...args], {
        cwd: root,
        env: { ...process.env, ...env, FAULT_ENOSPC: "manifest\\.json" },
      });
      child.stderr.on("data", (d) => (stderr += String(d)));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run failed; the previous output is untouched[\s\S]*ENOSPC/);
    expect(await readFile(join(out, "trade_flows.csv"), "utf8")).toBe(before);
    expect(await readFile(join(out, "manifest.json"), "utf8")).toBe(manifestBefore);
    expect(await readerFinds(out)).toBeNull();
    expect((await readdir(work)).filter((n) => n.startsWith("full-out"))).toEqual(["full-out", dir.slice(work.length + 1)]);
  }, 240_000);
});

describe("the unchanged-run check", () => {
  it("republishes a published file corrupted at the same size", async () => {
    const { out, args } = await scenario(work, "same");
    expect((await cli(args)).code).toBe(0);
    const good = await readFile(join(out, "trade_flows.csv"));
    const bad = Buffer.from(good);
    const at = bad.indexOf("KAZ");
    bad.write("UZB", at);
    await writeFile(join(out, "trade_flows.csv"), bad);
    expect((await cli(args)).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.run.republished).toBe(true);
    expect(sha256(await readFile(join(out, "trade_flows.csv")))).toBe(sha256(good));
    expect(await readerFinds(out)).toBeNull();
  }, 240_000);
});

describe("dataset.duckdb", () => {
  it("holds the same tables, row for row, after two clean runs of the same input", async () => {
    const dbs: string[] = [];
    for (const name of ["det-a", "det-b"]) {
      expect((await cli(["--out", join(work, name), "--cache", join(work, `${name}-cache`), "--no-report"])).code).toBe(0);
      dbs.push(join(work, name, "dataset.duckdb"));
    }
    const tables = async (path: string) => {
      const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
      const c = await instance.connect();
      const names = (await (await c.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1")).getRowObjects()).map((r) => String(r.table_name));
      const dump: Record<string, string> = {};
      for (const t of names) dump[t] = JSON.stringify((await c.runAndReadAll(`SELECT * FROM "${t}"`)).getRowsJson());
      c.closeSync();
      instance.closeSync();
      return dump;
    };
    const [a, b] = [await tables(dbs[0]!), await tables(dbs[1]!)];
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(b).toEqual(a);
  }, 240_000);
});
