/**
 * Loads the reference data kept in sources/ (FX rates, gazetteer). Every row is
 * validated: these files are edited by hand, and a bad code or a shifted column must
 * fail loudly at load time instead of producing wrong conversions or entities later.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Agency, CountryAlias, FxRate, Place, Reference } from "../types.ts";
import { parseCsv } from "./csv.ts";

const code3 = z.string().regex(/^[A-Z]{3}$/, "expected a 3-letter upper-case code");
const optionalIso3 = z.union([code3, z.literal("").transform(() => null)]);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal number").transform(Number);
const optionalDecimal = z.union([decimal, z.literal("").transform(() => null)]);

const fxRow = z.object({
  currency: code3,
  year: z.string().regex(/^\d{4}$/, "expected a 4-digit year").transform(Number),
  units_per_usd: decimal.pipe(z.number().positive()),
  source: z.string().min(1, "a rate needs its source"),
});

const placeRow = z.object({
  place: z.string().min(1),
  aliases: z.string(),
  country_iso3: code3,
  kind: z.enum(["capital", "city", "province", "border_crossing", "port", "dry_port", "station"]),
  lat: optionalDecimal.pipe(z.number().min(-90).max(90).nullable()),
  lon: optionalDecimal.pipe(z.number().min(-180).max(180).nullable()),
});

const agencyRow = z.object({
  channel: z.string().min(1),
  aliases: z.string(),
  country_iso3: optionalIso3,
});

const countryRow = z.object({
  iso3: code3,
  alias: z.string().min(1),
  kind: z.enum(["name", "demonym", "capital"]),
});

/** The canonical name first, then the `|`-separated variants, without case-insensitive repeats. */
function aliasList(canonical: string, cell: string): string[] {
  const byKey = new Map<string, string>();
  for (const alias of [canonical, ...cell.split("|")].map((a) => a.trim())) {
    if (alias !== "" && !byKey.has(alias.toLowerCase())) byKey.set(alias.toLowerCase(), alias);
  }
  return [...byKey.values()];
}

async function readRows<T extends z.ZodType>(dir: string, file: string, schema: T, keep: (row: Record<string, string>) => boolean = () => true): Promise<z.output<T>[]> {
  const rows = parseCsv(await readFile(join(dir, file), "utf8"));
  return rows.flatMap((row, i) => {
    if (!keep(row)) return [];
    const parsed = schema.safeParse(row);
    // +2: the header is line 1 and rows are 0-based (exact for files without quoted line breaks).
    if (!parsed.success) throw new Error(`${file} row ${i + 2}: ${z.prettifyError(parsed.error)}`);
    return [parsed.data];
  });
}

/**
 * Reads sources/fx_annual_usd.csv (rows with no rate are skipped: the table marks
 * missing years with an empty cell) and sources/gazetteer/{places,agencies,countries}.csv.
 * `Place.aliases` and `Agency.aliases` start with the canonical name so a matcher needs
 * only the alias list.
 */
export async function loadReference(sourcesDir: string): Promise<Reference> {
  const gazetteer = join(sourcesDir, "gazetteer");
  const [fx, places, agencies, countryAliases] = await Promise.all([
    readRows(sourcesDir, "fx_annual_usd.csv", fxRow, (row) => (row.units_per_usd ?? "").trim() !== ""),
    readRows(gazetteer, "places.csv", placeRow),
    readRows(gazetteer, "agencies.csv", agencyRow),
    readRows(gazetteer, "countries.csv", countryRow),
  ]);
  return {
    fx: fx satisfies FxRate[],
    places: places.map((p): Place => ({ ...p, aliases: aliasList(p.place, p.aliases) })),
    agencies: agencies.map((a): Agency => ({ ...a, aliases: aliasList(a.channel, a.aliases) })),
    countryAliases: countryAliases satisfies CountryAlias[],
  };
}
