import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { pipelineLaunch } from "../bench/pipelineLaunch.ts";

const root = new URL("..", import.meta.url).pathname;
let work: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the environment and Node flags of `npm run pipeline`. */
async function cli(args: string[]): Promise<Result> {
  const { env, flags } = await pipelineLaunch(root);
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, "--import", "tsx", join(root, "pipeline/cli.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function seedsCopy(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const f of await readdir(join(root, "seeds"))) await cp(join(root, "seeds", f), join(dir, f));
  return dir;
}

async function dataFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(dir)).filter((x) => /\.(parquet|arrow|csv|json)$/.test(x) && x !== "manifest.json").sort()) {
    out.set(f, createHash("sha256").update(await readFile(join(dir, f))).digest("hex"));
  }
  return out;
}

/** A published folder is valid when every file its datapackage lists is there with that hash. */
async function validOutput(dir: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, "datapackage.json"), "utf8")) as { resources: { path: string; hash: string }[] };
    for (const r of pkg.resources) {
      const h = createHash("sha256").update(await readFile(join(dir, r.path))).digest("hex");
      if (`sha256:${h}` !== r.hash) return false;
    }
    return pkg.resources.length > 0;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cli-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("scheduled runs", () => {
  it("re-extracts nothing when nothing changed, and only the new article when one is added", async () => {
    const input = await seedsCopy("inc-in");
    const out = join(work, "inc-out");
    const cache = join(work, "inc-cache");
    expect((await cli(["--input", input, "--out", out, "--cache", cache])).code).toBe(0);
    const first = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(first.articles_reextracted).toBe(5);
    expect(first.articles).toEqual({ new: 5, changed: 0, unchanged: 0, removed: 0 });
    const before = await dataFiles(out);

    expect((await cli(["--input", input, "--out", out, "--cache", cache])).code).toBe(0);
    const second = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(second.articles_reextracted).toBe(0);
    expect(second.articles).toEqual({ new: 0, changed: 0, unchanged: 5, removed: 0 });
    expect(await dataFiles(out)).toEqual(before);

    await writeFile(join(input, "zz_new.md"), "---\nid: zz_new\npublished: 2024-05-02\n---\nTajikistan exported goods worth $12 million to Afghanistan in 2023.\n");
    expect((await cli(["--input", input, "--out", out, "--cache", cache])).code).toBe(0);
    const third = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(third.articles_reextracted).toBe(1);
    expect(third.articles).toEqual({ new: 1, changed: 0, unchanged: 5, removed: 0 });
    expect(third.row_counts.trade_flows).toBe(first.row_counts.trade_flows + 1);
    expect(third.inputs.find((i: { source_file: string }) => i.source_file === "zz_new.md").sha256).toMatch(/^[0-9a-f]{64}$/);

    // Touched but not changed: the new time stamp makes the run hash the file again, and it finds nothing to do.
    const touched = join(input, "zz_new.md");
    await utimes(touched, new Date(), new Date(Date.now() + 60_000));
    expect((await cli(["--input", input, "--out", out, "--cache", cache])).code).toBe(0);
    const fourth = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(fourth.run.republished).toBe(false);
    expect(fourth.articles).toEqual({ new: 0, changed: 0, unchanged: 6, removed: 0 });

    // Rewritten with the same size: the time stamp gives it away, and the new value is published.
    await writeFile(touched, (await readFile(touched, "utf8")).replace("$12 million", "$13 million"));
    expect((await cli(["--input", input, "--out", out, "--cache", cache])).code).toBe(0);
    const fifth = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(fifth.articles).toEqual({ new: 0, changed: 1, unchanged: 5, removed: 0 });
    expect(fifth.articles_reextracted).toBe(1);
    expect(await readFile(join(out, "trade_flows.csv"), "utf8")).toContain(",13000000,");
  }, 60_000);

  it("gives byte-identical data files on two full runs with fresh caches", async () => {
    const a = join(work, "det-a");
    const b = join(work, "det-b");
    await cli(["--out", a, "--cache", join(work, "det-ca")]);
    await cli(["--out", b, "--cache", join(work, "det-cb")]);
    const fa = await dataFiles(a);
    expect(fa.size).toBeGreaterThan(20);
    expect(await dataFiles(b)).toEqual(fa);
  }, 60_000);

  it("exits 4 while another live process holds the lock, takes over a stale lock, and waits with --wait", async () => {
    const out = join(work, "lock-out");
    await writeFile(`${out}.lock`, `${process.pid}\n`);
    const held = await cli(["--out", out, "--cache", join(work, "lock-cache")]);
    expect(held.code).toBe(4);
    expect(held.stderr).toMatch(/another run holds the lock/);

    const waiting = cli(["--out", out, "--cache", join(work, "lock-cache"), "--wait", "20"]);
    setTimeout(() => void rm(`${out}.lock`, { force: true }), 1500);
    expect((await waiting).code).toBe(0);

    const dead = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => dead.on("exit", r));
    expect(dead.pid).toBeGreaterThan(0);
    await writeFile(`${out}.lock`, `${dead.pid}\n`);
    expect((await cli(["--out", out, "--cache", join(work, "lock-cache")])).code).toBe(0);
    expect(await readdir(work)).not.toContain("lock-out.lock");
  }, 60_000);

  it("runs an archive-sized input on the worker pool under npm run pipeline's heap flag and malloc setting", async () => {
    const launch = await pipelineLaunch(root);
    expect(launch.flags).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
    expect(launch.env).toEqual({ MALLOC_ARENA_MAX: "2" });
    const input = join(work, "archive-in");
    await mkdir(input);
    for (const a of generateArticles(3, 80)) await writeFile(join(input, a.name), a.text);
    const out = join(work, "archive-out");
    const r = await cli(["--input", input, "--out", out, "--cache", join(work, "archive-cache"), "--no-report", "--log-format", "json"]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.row_counts.articles).toBe(80);
    expect(manifest.articles_reextracted).toBe(80);
  }, 120_000);

  it("exits 2 on usage errors", async () => {
    expect((await cli(["--no-such-flag"])).code).toBe(2);
    expect((await cli(["--input", join(work, "missing")])).code).toBe(2);
    expect((await cli(["--log-format", "xml"])).code).toBe(2);
  }, 30_000);

  it("writes JSON lines with --log-format json", async () => {
    const r = await cli(["--out", join(work, "json-out"), "--cache", join(work, "json-cache"), "--log-format", "json"]);
    const lines = r.stderr.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((l) => l.event === "published" && l.trade_flows > 0)).toBe(true);
    expect(lines.every((l) => typeof l.time === "string" && typeof l.level === "string")).toBe(true);
  }, 30_000);

  it("rejects bad inputs with clear reasons, publishes the rest, and exits 3", async () => {
    const input = join(work, "bad-in");
    await mkdir(input, { recursive: true });
    const good = "Kazakhstan exported 5,000 tons of flour to Afghanistan in 2022.\n";
    await writeFile(join(input, "ok_crlf_bom.txt"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`---\r\nid: crlf\r\npublished: 2023-01-05\r\n---\r\n${good.replace("\n", "\r\n")}`)]));
    await writeFile(join(input, "bad_utf8.txt"), Buffer.from([0x41, 0xff, 0xfe, 0x42]));
    await writeFile(join(input, "empty.txt"), "");
    await writeFile(join(input, "blank.txt"), "  \n\t\n");
    await writeFile(join(input, "binary.txt"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    await writeFile(join(input, "huge.txt"), Buffer.alloc(20 * 1024 * 1024, "a"));
    await writeFile(join(input, "oneline.txt"), `${"Trade rose 5 percent and exports grew ".repeat(27000)}.`);
    await writeFile(join(input, "open_fm.md"), "---\nid: open\ntitle: never closed\n");
    await writeFile(join(input, "bad_date.md"), "---\nid: baddate\npublished: 2023-02-30\n---\nText.\n");
    await writeFile(join(input, "dup1.md"), `---\nid: same\n---\n${good}`);
    await writeFile(join(input, "dup2.md"), `---\nid: same\n---\n${good}`);
    await writeFile(join(input, "escape.md"), `---\nid: ../x\n---\n${good}`);
    await writeFile(join(input, "absolute.md"), `---\nid: /etc/passwd\n---\n${good}`);
    const r = await cli(["--input", input, "--out", join(work, "bad-out"), "--cache", join(work, "bad-cache")]);
    expect(r.code).toBe(3);
    const rejected = (await readFile(join(work, "bad-out", "rejected.csv"), "utf8")).split("\r\n");
    const reason = (file: string) => rejected.find((l) => l.startsWith(`${file},`)) ?? "";
    expect(reason("bad_utf8.txt")).toMatch(/not valid UTF-8/);
    expect(reason("empty.txt")).toMatch(/empty/);
    expect(reason("blank.txt")).toMatch(/whitespace/);
    expect(reason("binary.txt")).toMatch(/binary/);
    expect(reason("huge.txt")).toMatch(/too large/);
    expect(reason("open_fm.md")).toMatch(/front matter/);
    expect(reason("bad_date.md")).toMatch(/invalid published date/);
    expect(reason("dup2.md")).toMatch(/duplicate article id 'same'/);
    expect(reason("escape.md")).toMatch(/unsafe article id/);
    expect(reason("absolute.md")).toMatch(/unsafe article id/);
    const articles = await readFile(join(work, "bad-out", "articles.csv"), "utf8");
    expect(articles).toMatch(/^crlf,/m);
    expect(articles).toMatch(/^oneline,/m);
    const trade = await readFile(join(work, "bad-out", "trade_flows.csv"), "utf8");
    expect(trade).toMatch(/KAZ,AFG,export,2022-01-01,2022-12-31,reported,,5000,flour/);
    expect(await readdir(work)).not.toContain("x");

    // Nothing changed: nothing is republished, and the run still says some inputs are rejected.
    expect((await cli(["--input", input, "--out", join(work, "bad-out"), "--cache", join(work, "bad-cache")])).code).toBe(3);
    const manifest = JSON.parse(await readFile(join(work, "bad-out", "manifest.json"), "utf8"));
    expect(manifest.run.republished).toBe(false);
    expect(manifest.inputs.filter((i: { status: string }) => i.status === "rejected")).toHaveLength(10);
  }, 60_000);

  it("survives kill -9 at random moments: the previous output stays valid and the next run succeeds", async () => {
    const input = await seedsCopy("kill-in");
    const out = join(work, "kill-out");
    expect((await cli(["--input", input, "--out", out, "--cache", join(work, "kill-cache")])).code).toBe(0);
    for (let i = 0; i < 8; i++) {
      // A changed input forces a real republish each time, so kills land in extract, publish and swap.
      await writeFile(join(input, "extra.md"), `---\nid: extra\npublished: 2024-01-0${(i % 9) + 1}\n---\nUzbekistan exported goods worth $${i + 10} million to Afghanistan in 2023.\n`);
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "pipeline/cli.ts"), "--input", input, "--out", out, "--cache", join(work, "kill-cache")], { cwd: root, stdio: "ignore" });
      const exited = new Promise((r) => child.on("exit", r));
      await new Promise((r) => setTimeout(r, 300 + ((i * 397) % 1700)));
      child.kill("SIGKILL");
      await exited;
      const names = await readdir(work);
      if (names.includes("kill-out")) expect(await validOutput(out)).toBe(true);
      else expect(names.some((n) => n.startsWith("kill-out.old-"))).toBe(true);
    }
    expect((await cli(["--input", input, "--out", out, "--cache", join(work, "kill-cache")])).code).toBe(0);
    expect(await validOutput(out)).toBe(true);
    expect((await readdir(work)).filter((n) => n.startsWith("kill-out.tmp-") || n.startsWith("kill-out.old-"))).toEqual([]);
  }, 120_000);
});
