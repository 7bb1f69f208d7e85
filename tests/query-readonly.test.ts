/**
 * Issue 23, item 10: `npm run query` is read-only for real. Each hostile statement is refused with exit 1 and
 * a message, the published dataset.duckdb keeps its sha256, and no other file is read, written or created.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipeline, root, runScript } from "./fixtures/cli.ts";

let work: string;
let db: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "query-readonly-"));
  const r = await pipeline(["--input", join(root, "seeds"), "--out", join(work, "out"), "--cache", join(work, "cache")]);
  expect(r.code).toBe(0);
  db = join(work, "out", "dataset.duckdb");
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = async (path: string) => createHash("sha256").update(await readFile(path)).digest("hex");
const query = (sql: string, file = db) => runScript("pipeline/query.ts", ["--db", file, sql]);

describe("npm run query is read-only (item 10)", () => {
  it(
    "answers one SELECT",
    async () => {
      const r = await query("SELECT count(*) AS n FROM trade_flows");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\s*n\n-+\n\s*12\n\(1 row\)/);
    },
    120_000,
  );

  const hostile: [string, (dir: string) => string, RegExp][] = [
    ["COPY over the published database", (dir) => `COPY (SELECT 1 AS a) TO '${dir}/dataset.duckdb' (FORMAT csv)`, /file system operations are disabled|only SELECT/],
    ["COPY a table out to a new file", (dir) => `COPY trade_flows TO '${dir}/leak.csv'`, /file system operations are disabled|only SELECT/],
    ["ATTACH another database read-write", (dir) => `ATTACH '${dir}/other.duckdb' AS other`, /file system operations are disabled|only SELECT/],
    ["read_text of a file outside the database", () => "SELECT * FROM read_text('/etc/shadow')", /file system operations are disabled/],
    ["EXPORT DATABASE", (dir) => `EXPORT DATABASE '${dir}/export'`, /file system operations are disabled|only SELECT/],
    ["INSTALL an extension (the network)", () => "INSTALL httpfs", /only SELECT/],
    ["SET the external access back on", () => "SET enable_external_access = true", /only SELECT/],
    ["two statements", () => "SELECT 1; DROP VIEW v_facts", /exactly one SQL statement, got 2/],
    ["a temporary table", () => "CREATE TEMP TABLE t AS SELECT 1", /only SELECT/],
  ];
  for (const [what, sql, message] of hostile) {
    it(
      `refuses ${what}, and leaves dataset.duckdb and the folder as they were`,
      async () => {
        // A copy of the published folder each: a statement that got through must not spoil the next case.
        const dir = await mkdtemp(join(work, "case-"));
        await cp(await realpath(join(work, "out")), dir, { recursive: true });
        const file = join(dir, "dataset.duckdb");
        const before = { hash: await sha256(file), files: (await readdir(dir)).sort() };
        const r = await query(sql(dir), file);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^query failed: /);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).not.toMatch(/root:/);
        expect(await sha256(file)).toBe(before.hash);
        expect((await readdir(dir)).sort()).toEqual(before.files);
      },
      120_000,
    );
  }
});
