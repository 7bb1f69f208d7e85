/**
 * `npm run bench` end to end on a tiny corpus: the figures issue 7 asks for, as the last line of output and
 * in bench.json, with the baseline's passes paired with the pool's (bench/baselineChild.ts). Speeds are
 * not asserted here (they belong to the bench itself), only that every figure is there and consistent.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const ARTICLES = 40;
let work: string;
let stdout: string;
let code: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "bench-test-"));
  ({ code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(root, "bench/bench.ts"), "--articles", String(ARTICLES), "--work", work, "--baseline-mb", "0.05", "--no-linearity"],
      { cwd: root, maxBuffer: 16 << 20 },
      (err, out) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: out }),
    );
  }));
}, 180_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("npm run bench", () => {
  it("ends with the figures as one JSON object, also in bench.json", async () => {
    expect(code).toBe(0);
    const last = stdout.trimEnd().split("\n").at(-1)!;
    const f = JSON.parse(last) as Record<string, number | string | null>;
    expect(JSON.parse(await readFile(join(work, "bench.json"), "utf8"))).toEqual(f);

    expect(f.n_articles).toBe(ARTICLES);
    expect(f.path).toMatch(/npm run pipeline.*runFiles/);
    for (const k of ["input_mb", "extract_mb_per_s", "baseline_mb_per_s", "speedup_vs_baseline", "wall_s", "peak_rss_mb", "rerun_unchanged_s", "extract_1thread_sample_mb_per_s"]) {
      expect(f[k], k).toBeGreaterThan(0);
    }
    expect(f.publish_s).toBeGreaterThanOrEqual(0);
    expect(f.speedup_vs_baseline).toBeCloseTo(Number(f.extract_mb_per_s) / Number(f.baseline_mb_per_s), 1);
    expect(f.rerun_articles_reextracted).toBe(0);
    expect(f.facts).toBeGreaterThan(0);
    expect(f.baseline_entities_per_pass).toBeGreaterThan(0);
  });

  it("times a baseline pass, and a single-thread pass, beside each timed pass of the pool's", () => {
    const f = JSON.parse(stdout.trimEnd().split("\n").at(-1)!) as Record<string, number | string>;
    const pool = String(f.extract_passes_mb_per_s).split(" ");
    // A corpus this small (~0.2 MB against a 0.05 MB sample) is timed over several passes, each with its baseline pass.
    expect(pool.length).toBeGreaterThan(1);
    expect(f.baseline_passes).toBe(pool.length);
    expect(String(f.baseline_passes_mb_per_s).split(" ")).toHaveLength(pool.length);
    expect(String(f.extract_1thread_passes_mb_per_s).split(" ")).toHaveLength(pool.length);
    const mean = (xs: string[]) => xs.length / xs.reduce((n, x) => n + 1 / Number(x), 0);
    // Each side's rate is over all its passes: the harmonic mean of equal-sized passes' rates.
    expect(Number(f.baseline_mb_per_s)).toBeCloseTo(mean(String(f.baseline_passes_mb_per_s).split(" ")), 0);
  });
});
