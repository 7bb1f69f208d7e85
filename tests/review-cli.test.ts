import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../pipeline/publish/publish.ts";
import { reviewDataset, UNPLACED_SENTENCE } from "./fixtures/reviewDataset.ts";
import { INFO } from "./fixtures/smallDataset.ts";

const root = resolve(import.meta.dirname, "..");

function review(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(root, "pipeline/review.ts"), ...args], { cwd: root }, (err, stdout, stderr) => {
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let out: string;
let sources: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "review-cli-"));
  out = join(dir, "out");
  sources = join(dir, "sources");
  await publish(reviewDataset(), out, INFO);
  await mkdir(join(sources, "corrections"), { recursive: true });
  await writeFile(
    join(sources, "corrections", "2026-12.csv"),
    [
      "id,action,article_id,table,quote,field,value,reason,reviewer,date",
      "fix-g2,set,a2,grants,60 grants per year,status,current,the quota was raised,ana,2026-12-01",
      "drop-c1,reject,a3,contracts,signed contracts worth $100 million,,,not a contract,ana,2026-12-01",
      "",
    ].join("\r\n"),
  );
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run review", () => {
  it("prints an article's facts with their quotes, record ids, confidence and needs_review", async () => {
    const { code, stdout, stderr } = await review(["--article", "a2", "--out", out, "--sources", sources]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Article a2: Kazakh delegation's visit to Afghanistan concludes with promising outcome");
    expect(stdout).toContain("7 facts with evidence from a2:");
    expect(stdout).toContain("grants g2  confidence 0.55  needs_review true");
    expect(stdout).toContain('  - grants_per_year 60 as "60 grants" at 0..49 (rule test, confidence 0.9)\n    "plans to increase the quota to 60 grants per year"');
    // Only this article's mentions of a record stated by two articles.
    expect(stdout).toContain("trade_flows t22  confidence 0.92  needs_review true");
    expect(stdout).toContain('"Trade between the two countries reached $990 million last year."');
    expect(stdout).not.toContain("$987.9 millions");
    // Its queue items, with the lines to paste, and the corrections written for it (not those of other articles).
    expect(stdout).toContain("4 review-queue items for a2");
    expect(stdout).toContain(`  "${UNPLACED_SENTENCE}"`);
    expect(stdout).toMatch(/correction: [0-9a-f]{16},reject,a2,grants,plans to increase the quota to 60 grants per year,,,,,\n/);
    expect(stdout).toContain("1 correction for a2 in");
    expect(stdout).toContain("fix-g2 (corrections/2026-12.csv line 2): set grants status = current — not in this output yet (run the pipeline)");
    expect(stdout).not.toContain("drop-c1");
  }, 60_000);

  it("says so for an unknown article, a missing flag, and an unreadable corrections file", async () => {
    const unknown = await review(["--article", "nope", "--out", out, "--sources", sources]);
    expect(unknown).toMatchObject({ code: 1, stdout: "" });
    expect(unknown.stderr).toContain('no article "nope"');
    expect((await review(["--out", out])).code).toBe(2);
    await writeFile(join(sources, "corrections", "2026-13.csv"), "id,action\r\nx,reject\r\n");
    const broken = await review(["--article", "a3", "--out", out, "--sources", sources]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("contracts c1  confidence 0.6  needs_review true");
    expect(broken.stdout).toMatch(/Corrections: cannot read .*2026-13\.csv line 1: missing columns/);
  }, 60_000);
});
