import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockAddress } from "../pipeline/ops/lock.ts";
import { cli, scenario } from "./fixtures/cli.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
let work: string;

interface Answer {
  acquired: boolean;
  violation: boolean;
}

/** A long-lived contender process: starting one per trial would cost most of the test's time. */
class Contender {
  private readonly answers: ((a: Answer) => void)[] = [];
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (l) => this.answers.shift()?.(JSON.parse(l) as Answer));
  }
  static start(): Contender {
    return new Contender(spawn(process.execPath, ["--import", "tsx", join(fixtures, "lockContender.ts")], { stdio: "pipe" }));
  }
  race(path: string, at: number, waitMs: number, holdMs = 5): Promise<Answer> {
    return new Promise((resolve) => {
      this.answers.push(resolve);
      this.child.stdin.write(`${JSON.stringify({ path, at, waitMs, holdMs })}\n`);
    });
  }
}

/**
 * A process holding the lock at `path` until killed. `zombie`: its parent is a shell that exec'd `sleep` and never
 * reaps it, so once killed it stays a zombie, as under an init that does not reap.
 */
async function holder(path: string, zombie = false): Promise<{ pid: number; parent: ChildProcessWithoutNullStreams }> {
  const address = Buffer.from(await lockAddress(path), "latin1").toString("base64");
  const args = [join(fixtures, "lockHolder.mjs"), address, path];
  const parent = zombie
    ? spawn("sh", ["-c", `"${process.execPath}" "$@" & exec sleep 120`, "sh", ...args], { stdio: "pipe" })
    : spawn(process.execPath, args, { stdio: "pipe" });
  const line = await new Promise<string>((resolve) => createInterface({ input: parent.stdout }).once("line", resolve));
  expect(line).toMatch(/^\d+$/);
  return { pid: Number(line), parent };
}

function processState(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/stat`, "utf8").then(
    (s) => s.slice(s.lastIndexOf(")") + 2, s.lastIndexOf(")") + 3),
    () => "gone",
  );
}

let contenders: Contender[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "lock-"));
  contenders = Array.from({ length: 5 }, () => Contender.start());
  // Warm-up: every contender has loaded the lock module before the first timed trial.
  await Promise.all(contenders.map((c, i) => c.race(join(work, `warm-${i}.lock`), Date.now(), 0)));
}, 60_000);
afterAll(async () => {
  for (const c of contenders) c.child.kill();
  await rm(work, { recursive: true, force: true });
});

/** All contenders try for `path` at `at`; returns how many got it and how many held it alongside another. */
async function trial(path: string, at: number, waitMs: number, n = contenders.length): Promise<{ holders: number; doubles: number }> {
  const answers = await Promise.all(contenders.slice(0, n).map((c) => c.race(path, at, waitMs)));
  return { holders: answers.filter((a) => a.acquired).length, doubles: answers.filter((a) => a.violation).length };
}

describe("the run lock under races", () => {
  it("lets exactly one of 5 processes racing for a fresh lock hold it at a time, in 200 trials", async () => {
    let doubles = 0;
    let unheld = 0;
    for (let t = 0; t < 200; t++) {
      const r = await trial(join(work, `fresh-${t}.lock`), Date.now() + 25, 0);
      doubles += r.doubles;
      if (r.holders === 0) unheld++;
    }
    expect({ doubles, unheld }).toEqual({ doubles: 0, unheld: 0 });
  }, 120_000);

  it("hands a lock whose holder was killed with SIGKILL to exactly one of 3 racers at a time, in 60 trials", async () => {
    let doubles = 0;
    let unheld = 0;
    // Holders start a few trials ahead (each trial has its own lock), so their start-up overlaps the races.
    const ahead = (t: number) => holder(join(work, `stale-${t}.lock`));
    const pending = [ahead(0), ahead(1), ahead(2), ahead(3)];
    for (let t = 0; t < 60; t++) {
      const h = await pending.shift()!;
      if (t + 4 < 60) pending.push(ahead(t + 4));
      const at = Date.now() + 25;
      setTimeout(() => h.parent.kill("SIGKILL"), 20);
      const r = await trial(join(work, `stale-${t}.lock`), at, 3000, 3);
      doubles += r.doubles;
      if (r.holders === 0) unheld++;
    }
    expect({ doubles, unheld }).toEqual({ doubles: 0, unheld: 0 });
  }, 120_000);

  it("does not wait for a killed holder that lingers as a zombie", async () => {
    for (let t = 0; t < 10; t++) {
      const path = join(work, `zombie-${t}.lock`);
      const h = await holder(path, true);
      process.kill(h.pid, "SIGKILL");
      for (let i = 0; i < 100 && (await processState(h.pid)) !== "Z"; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await processState(h.pid)).toBe("Z");
      const r = await trial(path, Date.now() + 25, 1000, 3);
      expect(r).toMatchObject({ doubles: 0 });
      expect(r.holders).toBeGreaterThan(0);
      h.parent.kill("SIGKILL");
    }
  }, 120_000);
});

describe("the run lock from the command line", () => {
  it("exits 4 naming the live holder, queues behind it with --wait, and ignores a pid written into <out>.lock", async () => {
    const { out, args } = await scenario(work, "cli");
    const h = await holder(`${out}.lock`);
    const held = await cli(args);
    expect(held.code).toBe(4);
    expect(held.stderr).toMatch(/another run holds the lock/);
    expect(held.stderr).toContain(String(h.pid));

    const waiting = cli([...args, "--wait", "60"]);
    setTimeout(() => h.parent.kill("SIGKILL"), 1500);
    expect((await waiting).code).toBe(0);

    // A reused pid (here init's) in a lock file left by an earlier version holds nothing.
    await writeFile(`${out}.lock`, "1\n");
    expect((await cli(args)).code).toBe(0);
  }, 240_000);
});
