import { describe, expect, it } from "vitest";
import { fileHash, parseArticle } from "../pipeline/ingest/article.ts";
import { segmentBody } from "../pipeline/ingest/chrome.ts";
import { InputListing } from "../pipeline/ingest/read.ts";

const file = (source_file: string, text: string | Uint8Array) => ({ source_file, bytes: typeof text === "string" ? new TextEncoder().encode(text) : text });

describe("parseArticle", () => {
  it("records the file's sha256, taking the reader's when it has one instead of hashing again", () => {
    const text = "---\nid: h1\n---\nKazakhstan shipped 5,000 tons of flour to Afghanistan.\n";
    const own = parseArticle(file("h.md", text), new Map());
    expect(own.ok && own.article.meta.sha256).toBe(fileHash(new TextEncoder().encode(text)));
    const given = parseArticle({ ...file("h.md", text), sha256: "f".repeat(64) }, new Map());
    expect(given.ok && given.article.meta.sha256).toBe("f".repeat(64));
  });
  it("counts characters as code points, an emoji as one, and chrome apart", () => {
    const r = parseArticle(file("a.md", "---\nid: a1\n---\nWheat prices rose \u{1F33E} in Kabul.\nPhoto credit: Ariana\n"), new Map());
    expect(r.ok && r.article.meta).toMatchObject({ article_id: "a1", n_chars: 51, n_chrome_chars: 20 });
  });

  it("turns CRLF and lone CR line ends into LF, and keeps text without them as it is", () => {
    const r = parseArticle(file("crlf.md", "---\r\nid: c1\r\n---\r\nFirst line.\rSecond line.\r\n"), new Map());
    expect(r.ok && r.article.body).toBe("First line.\nSecond line.\n");
    const plain = parseArticle(file("lf.md", "Only\nLF here.\n"), new Map());
    expect(plain.ok && plain.article.body).toBe("Only\nLF here.\n");
  });

  it("rejects a body of whitespace only, line breaks and no-break spaces included", () => {
    const r = parseArticle(file("blank.md", "---\nid: b1\n---\n \u00a0\n\t\r\n"), new Map());
    expect(r).toEqual({ ok: false, rejected: { source_file: "blank.md", reason: "no article body (empty or whitespace only)" } });
  });

  it("reads a valid file right after an invalid one (one decoder serves every file)", () => {
    expect(parseArticle(file("bad.md", new Uint8Array([0x61, 0xc3])), new Map())).toEqual({ ok: false, rejected: { source_file: "bad.md", reason: "not valid UTF-8" } });
    const r = parseArticle(file("good.md", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("Caf\u00e9 trade.")])), new Map());
    expect(r.ok && r.article.body).toBe("Caf\u00e9 trade.");
  });
});

describe("segmentBody", () => {
  it("gives every non-blank line its trimmed span, the last line without a newline included", () => {
    const body = "Kabul, 2 May\n\n  Exports rose 5%.  \nLatest news\nOther story";
    expect(segmentBody(body, null)).toEqual([
      { start: 0, end: 12, kind: "headline" },
      { start: 16, end: 32, kind: "prose" },
      { start: 35, end: 46, kind: "chrome" },
      { start: 47, end: 58, kind: "chrome" },
    ]);
  });
});

describe("InputListing", () => {
  const stats = [
    { source_file: "a.md", size: 10, mtime_ms: 1733000000000.5 },
    { source_file: "kabul-times-2024.txt", size: 4096, mtime_ms: 2 },
    { source_file: "\u0645\u0642\u0627\u0644\u0647.md", size: 0, mtime_ms: 3 },
  ];

  it("gives back every file as it was listed, by place and by range", () => {
    const listing = InputListing.of(stats);
    expect(listing).toHaveLength(3);
    expect([0, 1, 2].map((i) => listing.at(i))).toEqual(stats);
    expect(listing.slice(1, 3)).toEqual(stats.slice(1, 3));
    expect(listing.slice(2, 10)).toEqual(stats.slice(2));
    expect([...listing.fileSizes()]).toEqual([10, 4096, 0]);
  });

  it("is empty once released", () => {
    const listing = InputListing.of(stats);
    listing.release();
    expect(listing).toHaveLength(0);
    expect(listing.slice(0, 3)).toEqual([]);
    expect(InputListing.of([])).toHaveLength(0);
  });
});
