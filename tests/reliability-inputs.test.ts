/**
 * Issue 23, items 2, 3 and 12: no input within the limits can exhaust memory, and no single bad entry of the
 * input folder (a name that is not UTF-8, a file that cannot be opened, one of 2 GiB, one over the size limit,
 * a FIFO, a link to /dev/zero, a subfolder) can fail, hang or stop the run: each is a `rejected` row with its
 * reason, and the rest is published. Each case drives the CLI as an operator's cron would.
 */
import { execFileSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractPool } from "../pipeline/extract/pool.ts";
import { parseCsv } from "../pipeline/ingest/csv.ts";
import { MAX_ARTICLE_BYTES, MAX_NUMBERS_PER_ARTICLE } from "../pipeline/ingest/limits.ts";
import { readFiles } from "../pipeline/ingest/read.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { pipeline, root, runScript } from "./fixtures/cli.ts";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "reliability-inputs-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function seedsInto(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of await readdir(join(root, "seeds"))) await cp(join(root, "seeds", f), join(dir, f));
}

async function rejectedRows(out: string): Promise<Map<string, string>> {
  return new Map(parseCsv(await readFile(join(out, "rejected.csv"), "utf8")).map((r) => [r.source_file!, r.reason!]));
}

/** What a run leaves beside its output folder besides the output itself (a lock, a scratch folder). */
/** What a run left beside `out` other than the output itself: `out` and the publication folder it links to. */
async function leftovers(out: string): Promise<string[]> {
  const name = out.split("/").pop()!;
  const published = (await realpath(out)).split("/").pop()!;
  return (await readdir(join(out, ".."))).filter((n) => n.startsWith(name) && n !== name && n !== published);
}

const PAIRS = ["Kazakhstan", "Uzbekistan", "Pakistan", "Iran"];

/** An article of `bytes` bytes of short trade sentences, three figures each: the densest text a feed could send. */
function denseArticle(id: string, bytes: number): string {
  const parts = [`---\nid: ${id}\npublished: 2023-05-01\n---\n`];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes - 200; i++) {
    const s = `Exports from ${PAIRS[i % 4]} to Afghanistan: $${(i % 900) + 1}m; imports $${(i % 97) + 1}m; turnover $${(i % 50) + 1}m. `;
    parts.push(s);
    size += Buffer.byteLength(s);
  }
  return parts.join("");
}

function ordinaryArticle(k: number): string {
  return `---\nid: ord${k}\npublished: 2023-01-15\n---\nKazakhstan's exports to Afghanistan reached $${100 + k} million in 2022, the ministry said.\n\nThe two sides discussed rail links.\n`;
}

describe("memory is bounded for any input within the limits (item 2)", () => {
  it(
    "four 5 MB articles of dense trade sentences beside 60 ordinary ones: the dense ones are rejected with a reason, the rest published, nothing left behind",
    async () => {
      const input = join(work, "dense-in");
      const out = join(work, "dense-out");
      await mkdir(input, { recursive: true });
      for (let a = 0; a < 4; a++) await writeFile(join(input, `dense${a}.txt`), denseArticle(`dense${a}`, MAX_ARTICLE_BYTES - 1024));
      for (let k = 0; k < 60; k++) await writeFile(join(input, `ord${String(k).padStart(2, "0")}.txt`), ordinaryArticle(k));

      const r = await pipeline(["--input", input, "--out", out, "--cache", join(work, "dense-cache")]);
      expect(r.stderr).not.toMatch(/heap limit|ERR_WORKER_OUT_OF_MEMORY/);
      expect(r.code, r.log.filter((l) => l.level !== "info").map((l) => JSON.stringify(l)).join("\n")).toBe(3);
      const rejected = await rejectedRows(out);
      expect([...rejected.keys()]).toEqual(["dense0.txt", "dense1.txt", "dense2.txt", "dense3.txt"]);
      for (const reason of rejected.values()) expect(reason).toBe(`too many numbers to extract (over ${MAX_NUMBERS_PER_ARTICLE}): split the file`);
      const articles = (await readFile(join(out, "articles.csv"), "utf8")).trim().split("\r\n");
      expect(articles).toHaveLength(61);
      const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as { run: { peak_rss_mb: number } };
      expect(manifest.run.peak_rss_mb).toBeLessThan(700);
      expect(await leftovers(out)).toEqual([]);
    },
    300_000,
  );

  it(
    "a worker that runs out of memory costs the one article it held (a rejected row), not the run",
    async () => {
      const reference = await loadReference(join(root, "sources"));
      // 32 MB of heap: the ordinary articles fit, an article of nearly MAX_NUMBERS_PER_ARTICLE figures does not.
      const pool = new ExtractPool(reference, { threads: 2, inProcessBelow: 0, heapMb: 32, batchChars: 1 << 30 });
      const sentence = (i: number) => `Kazakhstan's exports to Afghanistan reached $${(i % 900) + 100} million in ${2015 + (i % 9)}, `;
      const dense = Array.from({ length: 9000 }, (_, i) => sentence(i)).join("") + ".";
      const ordinary = (k: number) => ({ source_file: `o${k}.txt`, bytes: Buffer.from(ordinaryArticle(k)) });
      try {
        const lines = await pool.runFiles([ordinary(1), { source_file: "dense.txt", bytes: Buffer.from(dense) }, ordinary(2), ordinary(3)], new Map());
        expect(lines.map((l) => JSON.parse(l.split("\n")[0]!) as { meta?: { article_id: string }; rejected?: string })).toEqual([
          expect.objectContaining({ meta: expect.objectContaining({ article_id: "ord1" }) }),
          { rejected: "extraction ran out of memory (a worker's heap is 32 MB): split the file" },
          expect.objectContaining({ meta: expect.objectContaining({ article_id: "ord2" }) }),
          expect.objectContaining({ meta: expect.objectContaining({ article_id: "ord3" }) }),
        ]);
      } finally {
        await pool.close();
      }
    },
    300_000,
  );
});

describe("a single bad entry of the input folder never fails the run (items 3 and 12)", () => {
  it(
    "a non-UTF-8 name, a socket, an unreadable file, 2 GiB, over the size limit, a FIFO, links (one to /dev/zero) and a subfolder: each a rejected row, logged, the seeds published",
    async () => {
      const input = join(work, "bad-in");
      const out = join(work, "bad-out");
      await seedsInto(input);
      await writeFile(Buffer.from(join(input, "latin1-\xe9.txt"), "latin1"), "---\nid: latin1\n---\nText.\n");
      await writeFile(join(input, "huge.txt"), "");
      await truncate(join(input, "huge.txt"), 2 ** 31);
      await writeFile(join(input, "big.txt"), "a".repeat(MAX_ARTICLE_BYTES + 1));
      execFileSync("mkfifo", [join(input, "fifo.txt")]);
      await symlink("/dev/zero", join(input, "zero.txt"));
      await symlink("000_dd213c9fd6fbecc0.txt", join(input, "link.md"));
      await mkdir(join(input, "2023"));
      await mkdir(join(input, ".git"));
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(join(input, "socket.txt"), resolve));
      // Root reads a file whatever its mode, so the unreadable case is only meaningful for another user.
      const asRoot = process.getuid?.() === 0;
      if (!asRoot) {
        await writeFile(join(input, "locked.txt"), ordinaryArticle(99));
        await chmod(join(input, "locked.txt"), 0o000);
      }
      try {
        const r = await pipeline(["--input", input, "--out", out, "--cache", join(work, "bad-cache")]);
        expect(r.code).toBe(3);
        const expected: Record<string, string> = {
          "2023": "not a regular file (a folder): not read",
          "big.txt": `file too large (${MAX_ARTICLE_BYTES + 1} bytes; limit ${MAX_ARTICLE_BYTES})`,
          "fifo.txt": "not a regular file (a FIFO): not read",
          "huge.txt": `file too large (${2 ** 31} bytes; limit ${MAX_ARTICLE_BYTES})`,
          "latin1-\\xe9.txt": "file name is not valid UTF-8: rename the file",
          "link.md": "not a regular file (a symbolic link): not read",
          "socket.txt": "not a regular file (a socket): not read",
          "zero.txt": "not a regular file (a symbolic link): not read",
          ...(asRoot ? {} : { "locked.txt": "cannot be opened (EACCES)" }),
        };
        expect(Object.fromEntries(await rejectedRows(out))).toEqual(expected);
        const logged = r.log.filter((l) => l.event === "rejected input").map((l) => l.file);
        expect(logged.sort()).toEqual(Object.keys(expected).sort());
        expect((await readFile(join(out, "articles.csv"), "utf8")).trim().split("\r\n")).toHaveLength(6);
        expect(await leftovers(out)).toEqual([]);
        if (asRoot) console.log("skipped the chmod 000 sub-case: tests run as root, who reads any file whatever its mode");
      } finally {
        server.close();
      }
    },
    300_000,
  );

  it(
    "an entry swapped after listing for a FIFO or a link to /dev/zero is refused on the open descriptor: no hang, no endless read",
    async () => {
      const dir = join(work, "swapped");
      await mkdir(dir, { recursive: true });
      execFileSync("mkfifo", [join(dir, "a.txt")]);
      await symlink("/dev/zero", join(dir, "b.txt"));
      await symlink("/dev/null", join(dir, "c.txt"));
      const files = await readFiles(dir, ["a.txt", "b.txt", "c.txt", "gone.txt"]);
      expect(files.map((f) => [f.source_file, f.bytes.length, f.unreadable])).toEqual([
        ["a.txt", 0, "not a regular file (a FIFO): not read"],
        ["b.txt", 0, "not a regular file (a symbolic link): not read"],
        ["c.txt", 0, "not a regular file (a symbolic link): not read"],
        ["gone.txt", 0, "cannot be opened (ENOENT)"],
      ]);
    },
    30_000,
  );
});

describe("article metadata a reader could be misled by (items 11 and 13)", () => {
  it(
    "a javascript: url stays text with a QA flag and never becomes a link in the report; a date past the reference data's horizon is flagged",
    async () => {
      const input = join(work, "meta-in");
      const out = join(work, "meta-out");
      await mkdir(input, { recursive: true });
      const article = (id: string, url: string, published: string, value: number) =>
        `---\nid: ${id}\ntitle: Article ${id}\nurl: ${url}\npublished: ${published}\n---\nKazakhstan's exports to Afghanistan reached $${value} million in 2022, the ministry said.\n`;
      await writeFile(join(input, "js.txt"), article("js", "javascript:alert(document.cookie)", "2023-02-01", 310));
      await writeFile(join(input, "future.txt"), article("future", "https://example.org/future", "2099-01-01", 320));
      await writeFile(join(input, "recent.txt"), article("recent", "http://example.org/recent", "2026-11-30", 330));
      const r = await pipeline(["--input", input, "--out", out, "--cache", join(work, "meta-cache")]);
      expect(r.code).toBe(0);

      const qa = parseCsv(await readFile(join(out, "qa_checks.csv"), "utf8")).filter((q) => q.table_name === "articles");
      expect(qa.map((q) => [q.check, q.article_id, q.severity])).toEqual(
        expect.arrayContaining([
          ["url_not_web", "js", "warning"],
          ["published_in_future", "future", "warning"],
        ]),
      );
      expect(qa.filter((q) => q.article_id === "recent")).toEqual([]);
      expect(qa).toHaveLength(2);
      expect(parseCsv(await readFile(join(out, "articles.csv"), "utf8")).find((a) => a.article_id === "js")?.url).toBe("javascript:alert(document.cookie)");

      const report = await runScript("pipeline/report/cli.ts", ["--out", out]);
      expect(report.code).toBe(0);
      const pages = await Promise.all((await readdir(join(out, "report"))).filter((f) => f.endsWith(".html")).map((f) => readFile(join(out, "report", f), "utf8")));
      const html = pages.join("\n");
      expect(html).toContain("Article js");
      expect(html).not.toMatch(/href="\s*javascript:/i);
      expect(html).toContain('<a href="https://example.org/future">Article future</a>');
      expect(html).toContain('<a href="http://example.org/recent">Article recent</a>');
    },
    300_000,
  );
});
