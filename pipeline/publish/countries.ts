import { createRequire } from "node:module";
import type { Country as WorldCountry } from "world-countries";
import { COUNTRY_LIST_SEPARATOR, countryColumns, type Country, type TableDef } from "../schema/tables.ts";
import type { Row } from "./rows.ts";

/** Names and regions by ISO3, read once; required rather than imported so tsx does not compile 1.4 MB of JSON. */
let byIso3: Map<string, WorldCountry> | undefined;
function worldCountries(): Map<string, WorldCountry> {
  byIso3 ??= new Map((createRequire(import.meta.url)("world-countries/countries.json") as WorldCountry[]).map((c) => [c.cca3, c]));
  return byIso3;
}

/**
 * Collects the country codes the published tables use, as their rows stream past, so that the countries
 * table holds exactly those codes (and every foreign key to it resolves) without a second pass.
 */
export class CountryCodes {
  private readonly codes = new Set<string>();

  /** Passes the table's chunks through, noting the codes of its country columns. */
  async *observe(def: TableDef, chunks: AsyncIterable<Row[]>): AsyncGenerator<Row[]> {
    const columns = countryColumns(def);
    for await (const rows of chunks) {
      if (columns.length > 0) for (const row of rows) for (const { name, list } of columns) this.add(row[name], list);
      yield rows;
    }
  }

  private add(cell: unknown, list: boolean): void {
    if (typeof cell !== "string" || cell === "") return;
    if (!list) this.codes.add(cell);
    else for (const code of cell.split(COUNTRY_LIST_SEPARATOR)) if (code !== "") this.codes.add(code);
  }

  /** One row per code seen: its common name, region and subregion, or nulls for a code world-countries lacks. */
  rows(): Country[] {
    const world = worldCountries();
    return [...this.codes].sort().map((iso3) => {
      const c = world.get(iso3);
      return { iso3, name: c?.name.common ?? null, region: c?.region ?? null, subregion: c?.subregion || null };
    });
  }
}
