import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelineLaunch } from "../bench/pipelineLaunch.ts";
import { parseCsv } from "../pipeline/ingest/csv.ts";

const root = new URL("..", import.meta.url).pathname;
let work: string;

/** Runs the CLI with the environment and Node flags of `npm run pipeline`. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const { env, flags } = await pipelineLaunch(root);
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, "--import", "tsx", join(root, "pipeline/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

async function dataFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(dir)).filter((x) => /\.(parquet|csv|json)$/.test(x) && x !== "manifest.json").sort()) {
    out.set(f, createHash("sha256").update(await readFile(join(dir, f))).digest("hex"));
  }
  return out;
}

/** A published table as objects of its CSV cells. */
async function table(out: string, name: string): Promise<Record<string, string>[]> {
  return parseCsv(await readFile(join(out, `${name}.csv`), "utf8"));
}

const manifest = async (out: string) => JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as { articles_reextracted: number; run: { republished: boolean } };

const article = (id: string, published: string, body: string) => `---\nid: ${id}\ntitle: Test ${id}\npublisher: Test Wire\npublished: ${published}\n---\n${body}\n`;

const CORRECTIONS = [
  "id,action,article_id,table,quote,field,value,reason,reviewer,date",
  "r1,reject,a1,aid_shipments,promised to send 40 railcars,,,a promise is not a delivery,ana,2026-12-01",
  "s1,set,t1,trade_flows,reached $545 million,value_usd,554000000,the ministry's release says 554,ana,2026-12-01",
  'a1,add,a1,grants,Officials in Astana said,,"{""donor_iso3"": ""KAZ"", ""recipient_iso3"": ""AFG"", ""status"": ""planned"", ""grants_per_year"": 50}",announced at the briefing,ana,2026-12-02',
].join("\n");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "corrections-cli-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("corrections through the CLI", () => {
  it("reject, set and add survive reruns, a new article and a corrections-only change; a lost quote exits 3; a bad file exits 1 with the output intact", async () => {
    const input = join(work, "in");
    const sources = join(work, "sources");
    const out = join(work, "out");
    const cache = join(work, "cache");
    await mkdir(input);
    await cp(join(root, "sources"), sources, { recursive: true });
    await writeFile(join(sources, "corrections", "corrections.csv"), `${CORRECTIONS}\n`);
    await writeFile(join(input, "t1.md"), article("t1", "2024-03-10", "Trade between Kazakhstan and Afghanistan reached $545 million in 2023, the ministry said."));
    await writeFile(join(input, "a1.md"), article("a1", "2024-03-04", "Kazakhstan sent 500 tons of humanitarian aid to Afghanistan by rail on March 2, 2024.\n\nOfficials in Astana said a further shipment is being prepared, and Uzbekistan has promised to send 40 railcars of flour."));
    const run = () => cli(["--input", input, "--out", out, "--sources", sources, "--cache", cache, "--no-report"]);

    const expectCorrected = async () => {
      expect((await table(out, "aid_shipments")).filter((r) => r.donor_iso3 !== "PAK").map((r) => [r.donor_iso3, r.weight_tonnes, r.railcars, r.reviewed])).toEqual([["KAZ", "500", "", "false"]]);
      expect((await table(out, "trade_flows")).filter((r) => r.flow === "turnover").map((r) => [r.value_usd, r.reviewed])).toEqual([["554000000", "true"]]);
      expect((await table(out, "grants")).map((r) => [r.donor_iso3, r.recipient_iso3, r.status, r.grants_per_year, r.reviewed])).toEqual([["KAZ", "AFG", "planned", "50", "true"]]);
      expect((await table(out, "evidence")).filter((e) => e.rule!.startsWith("review:")).map((e) => [e.rule, e.field]).sort()).toEqual([["review:a1", "grants_per_year"], ["review:r1", "railcars"], ["review:s1", "value_usd"]]);
    };

    expect((await run()).code).toBe(0);
    await expectCorrected();
    expect(await table(out, "corrections_unmatched")).toEqual([]);
    const first = await dataFiles(out);

    // Unchanged: nothing republished, the same bytes.
    expect((await run()).code).toBe(0);
    expect((await manifest(out)).run.republished).toBe(false);
    expect(await dataFiles(out)).toEqual(first);

    // An unrelated new article: only it is extracted, the corrections still hold.
    await writeFile(join(input, "n1.md"), article("n1", "2024-06-01", "Pakistan sent 40 tons of humanitarian aid to Afghanistan on May 30, 2024."));
    expect((await run()).code).toBe(0);
    expect((await manifest(out)).articles_reextracted).toBe(1);
    await expectCorrected();
    expect((await table(out, "aid_shipments")).map((r) => r.donor_iso3).sort()).toEqual(["KAZ", "PAK"]);

    // Only the corrections change: nothing re-extracted, republished with the new one applied.
    await appendFile(join(sources, "corrections", "corrections.csv"), "r2,reject,n1,aid_shipments,Pakistan sent 40 tons,,,duplicate report,ana,2026-12-03\n");
    expect((await run()).code).toBe(0);
    expect(await manifest(out)).toMatchObject({ articles_reextracted: 0, run: { republished: true } });
    expect((await table(out, "aid_shipments")).map((r) => r.donor_iso3)).toEqual(["KAZ"]);

    // The article is edited so that the set's quote is gone: published, exit 3, an unmatched row and a qa error.
    await writeFile(join(input, "t1.md"), article("t1", "2024-03-10", "Trade between Kazakhstan and Afghanistan came to $545 million in 2023, the ministry said."));
    const lost = await run();
    expect(lost.code).toBe(3);
    expect(lost.stderr).toContain("correction no longer applies");
    expect((await table(out, "corrections_unmatched")).map((u) => [u.correction_id, u.file, u.line, u.action, u.article_id, u.reason])).toEqual([
      ["s1", "corrections/corrections.csv", "3", "set", "t1", "the quote is no longer in the evidence of any trade_flows fact of the article"],
    ]);
    expect((await table(out, "qa_checks")).filter((q) => q.check === "correction_unmatched").map((q) => [q.severity, q.article_id])).toEqual([["error", "t1"]]);
    expect((await table(out, "trade_flows")).filter((r) => r.flow === "turnover").map((r) => [r.value_usd, r.reviewed])).toEqual([["545000000", "false"]]);
    // Unchanged after that: still exit 3, as long as the correction does not apply.
    expect((await run()).code).toBe(3);

    // A corrections file with a bad cell fails the run and names where; the previous output stays.
    const before = await dataFiles(out);
    const manifestBefore = await readFile(join(out, "manifest.json"));
    await appendFile(join(sources, "corrections", "corrections.csv"), "x1,remove,t1,trade_flows,came to $545 million,,,,ana,\n");
    const bad = await run();
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(sources, "corrections", "corrections.csv")} line 6, column 2 (action): expected one of reject, set, add`);
    expect(await dataFiles(out)).toEqual(before);
    expect(await readFile(join(out, "manifest.json"))).toEqual(manifestBefore);
  }, 240_000);
});
