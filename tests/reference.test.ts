import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRows } from "../pipeline/ingest/csv.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";

const SOURCES = join(import.meta.dirname, "..", "sources");

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n';
    expect(parseCsv(text)).toEqual([
      { a: "1", b: "x, y", c: 'say "hi"' },
      { a: "2", b: "two\nlines", c: "" },
    ]);
  });

  it("keeps empty fields and a last line without a newline", () => {
    expect(parseCsvRows(",,\nx,,z")).toEqual([["", "", ""], ["x", "", "z"]]);
  });

  it("rejects malformed input instead of shifting columns", () => {
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow("CSV data row 1: 3 fields, header has 2");
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow("unclosed quoted field");
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow("text after a closing quote");
  });
});

describe("loadReference on sources/", async () => {
  const ref = await loadReference(SOURCES);

  it("loads the FX table without its empty cells", () => {
    expect(ref.fx.length).toBe(120);
    expect(ref.fx.find((r) => r.currency === "KZT" && r.year === 2023)?.units_per_usd).toBe(456.165);
    expect(ref.fx.some((r) => r.currency === "KZT" && r.year === 2025)).toBe(false);
    expect(ref.fx.every((r) => r.source.length > 0)).toBe(true);
  });

  it("finds places with their aliases, canonical name first", () => {
    const hairatan = ref.places.find((p) => p.place === "Hairatan");
    expect(hairatan).toMatchObject({ country_iso3: "AFG", kind: "border_crossing", lat: 37.23, lon: 67.42 });
    expect(hairatan?.aliases[0]).toBe("Hairatan");
    expect(hairatan?.aliases).toContain("Hairaton");
    expect(ref.places.find((p) => p.aliases.includes("Khargos"))?.place).toBe("Khorgos");
    expect(ref.places.find((p) => p.aliases.includes("Turgundi"))?.place).toBe("Torghundi");
    expect(ref.places.find((p) => p.place === "Kabul")?.kind).toBe("capital");
    expect(new Set(ref.places.map((p) => p.place)).size).toBe(ref.places.length);
  });

  it("finds agencies with their country", () => {
    const kazaid = ref.agencies.find((a) => a.channel === "KazAID");
    expect(kazaid?.country_iso3).toBe("KAZ");
    expect(kazaid?.aliases).toEqual(["KazAID", "Kazakhstan Agency for International Development", "Kazakhstan's Agency for International Development", "Kazakh Agency for International Development"]);
    const wfp = ref.agencies.find((a) => a.aliases.includes("United Nations World Food Program"));
    expect(wfp).toMatchObject({ channel: "WFP", country_iso3: null });
  });

  it("finds country aliases", () => {
    expect(ref.countryAliases).toContainEqual({ iso3: "KAZ", alias: "Kazakh", kind: "demonym" });
    expect(ref.countryAliases).toContainEqual({ iso3: "KAZ", alias: "Astana", kind: "capital" });
    expect(ref.countryAliases).toContainEqual({ iso3: "AFG", alias: "Islamic Emirate", kind: "name" });
    expect(ref.countryAliases).toContainEqual({ iso3: "TUR", alias: "Turkey", kind: "name" });
  });

  it("every gazetteer capital is also a country alias", () => {
    const capitals = new Set(ref.countryAliases.filter((c) => c.kind === "capital").map((c) => `${c.iso3}:${c.alias}`));
    for (const p of ref.places.filter((p) => p.kind === "capital")) expect(capitals).toContain(`${p.country_iso3}:${p.place}`);
  });
});

describe("loadReference on bad data", () => {
  it("names the file and row of an invalid value", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ref-"));
    await mkdir(join(dir, "gazetteer"));
    await writeFile(join(dir, "fx_annual_usd.csv"), "currency,year,units_per_usd,source\nKZT,2023,456.165,WDI\n");
    await writeFile(join(dir, "gazetteer", "places.csv"), "place,aliases,country_iso3,kind,lat,lon,note\nHairatan,,AFG,harbour,37.23,67.42,\n");
    await writeFile(join(dir, "gazetteer", "agencies.csv"), "channel,aliases,country_iso3,note\n");
    await writeFile(join(dir, "gazetteer", "countries.csv"), "iso3,alias,kind\n");
    await expect(loadReference(dir)).rejects.toThrow(/places\.csv row 2: .*kind/s);
  });
});
