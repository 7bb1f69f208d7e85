import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FRONT_MATTER_KEYS, parseFrontMatter, simpleBlock, yamlBlock } from "../pipeline/ingest/frontmatter.ts";

describe("front matter of plain 'key: value' lines", () => {
  it("reads them without the YAML library, as the library would", () => {
    const block = "id: 0031\ntitle: Uzbek rail freight (2023) rises, officials say\nurl: https://example.org/a?b=1\npublished: 2023-08-04\nlanguage:\nrating: 4.5\n";
    expect(simpleBlock(block)).toEqual({ id: "0031", title: "Uzbek rail freight (2023) rises, officials say", url: "https://example.org/a?b=1", published: "2023-08-04" });
    const quoted = `title: "[Tashkent: exports up # again]"\npublisher: 'Steppe Wire'\nlanguage: "null"\nid: null\n`;
    expect(simpleBlock(quoted)).toEqual({ title: "[Tashkent: exports up # again]", publisher: "Steppe Wire", language: "null" });
    expect(yamlBlock(quoted)).toEqual({ ok: true, fields: simpleBlock(quoted) });
    expect(yamlBlock(block)).toEqual({ ok: true, fields: simpleBlock(block) });
  });

  it("leaves to the library what only it reads right", () => {
    for (const block of ["title: >-\n  folded\n  title\n", "title: a: b\n", "title: kept # a comment\n", "id: 1\nid: 2\n", "tags:\n  - trade\n", "title: 'it''s'\n", 'title: "a \\" b"\n', "publisher: ~\n", "# note\nid: 7\n"]) {
      expect(simpleBlock(block), block).toBeNull();
    }
    expect(parseFrontMatter("---\ntitle: kept # a comment\n---\nBody.").ok && parseFrontMatter("---\ntitle: kept # a comment\n---\nBody.")).toMatchObject({ value: { fields: { title: "kept" }, body: "Body." } });
    expect(parseFrontMatter("---\nid: 1\nid: 2\n---\nBody.")).toMatchObject({ ok: false });
  });

  it("agrees with the library on every block it takes", () => {
    const key = fc.constantFrom(...FRONT_MATTER_KEYS, "tags", "author", "true", "null");
    const value = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.string({ unit: fc.constantFrom("a", "1", " ", ":", "#", "-", "'", '"', "*", "&", "!", "(", ",", "[", "\u2028", "\u00a0", "é", "\u0085"), maxLength: 12 }),
      fc.constantFrom("null", "NULL", "true", "0x1F", "1e3", "0012", "2023-08-04", ".inf", "~", "Kabul: the capital", "a #b", "a#b", '"null"', "'it''s'", '"a \\" b"', '"Herat: \u2028 #1"', "'x' # c"),
      fc.string({ unit: fc.constantFrom("a", " ", ":", "#", "\\", "'", "\u2028", "é"), maxLength: 8 }).chain((t) => fc.constantFrom(`"${t}"`, `'${t}'`)),
    );
    const line = fc.tuple(key, fc.constantFrom(": ", ":", ":  ", " : "), value, fc.constantFrom("", " ", "  ")).map(([k, sep, v, trail]) => `${k}${sep}${v}${trail}`);
    let taken = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.constantFrom("", " ")), { maxLength: 6 }), (lines) => {
        const block = `${lines.join("\n")}\n`;
        const simple = simpleBlock(block);
        if (simple === null) return;
        taken++;
        expect(yamlBlock(block)).toEqual({ ok: true, fields: simple });
      }),
      { numRuns: 3000, seed: 22 },
    );
    // The fast path must have been compared on a good share of the blocks, not on a handful.
    expect(taken).toBeGreaterThan(500);
  }, 60_000);
});
