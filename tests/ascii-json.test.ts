import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { parseArticle } from "../pipeline/ingest/article.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { asciiJson, oneByteAscii } from "../pipeline/ops/asciiJson.ts";
import { articleLines } from "../pipeline/ops/factlines.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";

/** V8's own tag for a string it holds one byte per character (the structured-clone format: '"', against 'c' for two bytes). */
const isOneByte = (s: string) => serialize(s)[2] === 0x22;

describe("asciiJson", () => {
  it("writes pure ASCII that parses back to the same value, astral characters and control escapes included", () => {
    const value = { quote: "Kazakhstan — “wheat” ğ 😀", tab: "a\tb\nc", n: 1.5, none: null };
    const json = asciiJson(value);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(json).toContain("\\u2014");
    expect(JSON.parse(json)).toEqual(value);
    expect(asciiJson({ plain: "ascii only" })).toBe(JSON.stringify({ plain: "ascii only" }));
  });
});

describe("oneByteAscii", () => {
  it("gives the one-byte form of ASCII held two bytes a character, unchanged in value", () => {
    const twoByte = JSON.stringify({ q: "Wheat \u2014 flour".slice(0, 5) });
    expect(isOneByte(twoByte)).toBe(false);
    expect(oneByteAscii(twoByte)).toBe('{"q":"Wheat"}');
    expect(isOneByte(oneByteAscii(twoByte))).toBe(true);
  });

  it("makes an article's lines one-byte even when a dash elsewhere in its body made its quotes two-byte", async () => {
    const g = buildGazetteer(await loadReference(DEFAULT_SOURCES));
    const text = "---\npublished: 2024-03-02\n---\nKazakhstan exported 120,000 tons of wheat to Afghanistan in 2023.\n\nTraders in Hairatan \u2014 the river port \u2014 expect more.\n";
    const parsed = parseArticle({ source_file: "dash.md", bytes: new TextEncoder().encode(text) }, new Map());
    const lines = articleLines(parsed, (a) => extractArticle(a, g), []);
    expect(lines.split("\n").slice(2).map((l) => JSON.parse(l.split("\t")[1]!).evidence[0].quote)).toEqual(["Kazakhstan exported 120,000 tons of wheat to Afghanistan in 2023."]);
    expect(isOneByte(lines)).toBe(true);
  });
});
