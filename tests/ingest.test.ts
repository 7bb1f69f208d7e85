import { describe, expect, it } from "vitest";
import { fileHash, parseArticle } from "../pipeline/ingest/article.ts";
import { segmentBody } from "../pipeline/ingest/chrome.ts";
import { MAX_FRONT_MATTER_BYTES, parseFrontMatter } from "../pipeline/ingest/frontmatter.ts";
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

describe("front matter", () => {
  const body = "Kazakhstan shipped 5,000 tons of flour to Afghanistan.\n";
  const parse = (fm: string) => parseArticle(file("fm.md", `---\n${fm}---\n${body}`), new Map());
  const meta = (fm: string) => {
    const r = parse(fm);
    if (!r.ok) throw new Error(r.rejected.reason);
    return r.article.meta;
  };
  const reason = (fm: string) => {
    const r = parse(fm);
    return r.ok ? null : r.rejected.reason;
  };

  it("reads folded and literal scalars, and ignores lists, comments and keys it does not know", () => {
    const fm = [
      "id: f1  # the article's id",
      "title: >-",
      "  Kazakhstan and Afghanistan",
      "  sign a rail deal",
      "tags:",
      "  - trade",
      "  - rail",
      "summary: |",
      "  Two lines",
      "  of summary.",
      "author: {name: A. Writer, role: staff}",
      "# a comment line",
      "publisher: 'Ariana News'",
      "url: https://ariananews.af/?p=1#top",
      "language: en",
      "",
    ].join("\n");
    expect(meta(fm)).toMatchObject({ article_id: "f1", title: "Kazakhstan and Afghanistan sign a rail deal", publisher: "Ariana News", url: "https://ariananews.af/?p=1#top" });
    expect(parseFrontMatter(`---\n${fm}---\n${body}`)).toEqual({
      ok: true,
      value: { fields: { id: "f1", title: "Kazakhstan and Afghanistan sign a rail deal", publisher: "Ariana News", url: "https://ariananews.af/?p=1#top", language: "en" }, body },
    });
    expect(meta("id: f2\ntitle: |\n  First line\n  second line\n").title).toBe("First line\nsecond line");
  });

  it("keeps a YAML date as the date written, whatever the time zone, and an unquoted number as its digits", () => {
    expect(meta("id: d1\npublished: 2023-08-04\n").published_date).toBe("2023-08-04");
    const tz = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(meta("id: d2\npublished: !!timestamp 2023-08-04\n").published_date).toBe("2023-08-04");
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(meta('id: "0012"\n').article_id).toBe("0012");
    expect(meta("id: 0012\n").article_id).toBe("0012");
    expect(meta("id: d3\ntitle: 2024\n").title).toBe("2024");
  });

  it("treats an empty or null key as absent, so the registry or the file name supplies it", () => {
    expect(meta("id:\npublished:\ntitle: ~\n")).toMatchObject({ article_id: "fm", published_date: null, title: null });
    expect(meta("# nothing but a comment\n")).toMatchObject({ article_id: "fm", published_date: null });
  });

  it("rejects malformed YAML with the file's line and column", () => {
    expect(reason("id: m1\ntitle: Kazakhstan: trade rises\n")).toBe("malformed front matter: invalid YAML at line 3, column 8: Nested mappings are not allowed in compact mappings");
    expect(reason("id: m1\nid: m2\n")).toBe("malformed front matter: invalid YAML at line 3, column 1: Map keys must be unique");
    expect(reason("id: m1\ntitle: [unclosed\n")).toMatch(/^malformed front matter: invalid YAML at line 4, column 1: Flow sequence/);
  });

  it("rejects a contract key that is not a single value, and a block that is not a mapping", () => {
    expect(reason("id: l1\ntitle:\n  - one\n  - two\n")).toBe("malformed front matter: 'title' is a list, not a single value");
    expect(reason("- id: l2\n")).toBe("malformed front matter: not a mapping of 'key: value' lines");
  });

  it("resolves an honest alias and rejects an alias bomb", () => {
    expect(meta("id: a1\nname: &n Ariana News\npublisher: *n\n").publisher).toBe("Ariana News");
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [k, prev] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"], ["h", "g"], ["i", "h"]]) {
      bomb.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    expect(reason(`id: bomb\n${bomb.join("\n")}\n`)).toBe("malformed front matter: expands aliases more than 100 times");
  });

  it("accepts a large front matter and rejects one over the limit, without parsing it", () => {
    const notes = (bytes: number) => `id: big\nnotes: >-\n${"  Kazakh-Afghan trade notes\n".repeat(Math.ceil(bytes / 28))}`;
    expect(meta(notes(60_000)).article_id).toBe("big");
    expect(reason(notes(100_000))).toMatch(new RegExp(`^malformed front matter: too large \\(\\d+ bytes; limit ${MAX_FRONT_MATTER_BYTES}\\)$`));
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
