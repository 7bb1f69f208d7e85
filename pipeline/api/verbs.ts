import { desc, escape, op, table as newTable, type ColumnTable } from "arquero";
import { COUNTRY_LIST_SEPARATOR, FACT_TABLE_DEFS, type FactTable, type SeriesPair } from "../schema/tables.ts";
import type { Dataset } from "./dataset.ts";

type Cells = Record<string, unknown>;

/** What identifies a series (the same measure of the same pair and commodity, of one status). */
export interface SeriesKey {
  table_name: FactTable;
  /** The flow for trade (export, import, turnover), else the amount column (weight_tonnes, value_usd, students, ...). */
  measure: string;
  unit: string;
  reporter_iso3: string | null;
  partner_iso3: string | null;
  commodity: string | null;
  /** The fact's status column (status, or kind for aid). */
  status: string;
}

/** One amount of one fact as a point of a series: the columns of the v_series_points view. */
export interface SeriesPoint extends SeriesKey {
  record_id: string;
  /** Whether the status is an actual one (reported trade, delivered aid, signed contracts, current grants). */
  is_actual: boolean;
  /** The stated day stands in for a missing period. */
  period_start: string | null;
  period_end: string | null;
  value: number;
  qualifier: string | null;
  n_sources: number;
  reporter_name: string | null;
  partner_name: string | null;
  /** Whether the period is one whole calendar year. */
  is_annual: boolean | null;
  /** The earliest publication date of the articles stating the fact. */
  first_published: string | null;
  /** period_end, else first_published. */
  as_of: string | null;
}

/** Which series points to keep: each given field must match (commodity null = all goods; absent = any). */
export interface SeriesFilter {
  table?: FactTable;
  measure?: string;
  unit?: string;
  reporter?: string;
  partner?: string;
  commodity?: string | null;
  status?: string;
  actual?: boolean;
}

/** A year's value of a series beside the previous year's, like v_annual_trade's columns for any series. */
export interface GrowthRow extends SeriesKey {
  year: number;
  value: number;
  /** The value of the year before, when that year is in the series too. */
  previous_value: number | null;
  /** (value / previous_value - 1) × 100, rounded to 2 decimals, as v_annual_trade's yoy_change_pct. */
  change_pct: number | null;
  /** The change an article states for this record (growth_rates, method stated). */
  stated_change_pct: number | null;
  record_id: string;
}

/** The latest actual point of a series (v_latest_series): a SeriesPoint and how many actual points the series has. */
export interface LatestPoint extends SeriesPoint {
  n_values: number;
}

/** The columns withSources adds to each fact: its evidence row and the article's metadata (null when a fact has none). */
export interface SourceColumns {
  evidence_id: string | null;
  article_id: string | null;
  char_start: number | null;
  char_end: number | null;
  quote: string | null;
  value_text: string | null;
  field: string | null;
  stated_value: number | null;
  rule: string | null;
  evidence_confidence: number | null;
  title: string | null;
  publisher: string | null;
  url: string | null;
  published_date: string | null;
}

const SERIES_KEY = ["table_name", "measure", "unit", "reporter_iso3", "partner_iso3", "commodity"] as const;
const POINT_COLUMNS: readonly (keyof SeriesPoint)[] = [
  "table_name", "record_id", "measure", "unit", "reporter_iso3", "partner_iso3", "commodity", "status", "is_actual", "period_start", "period_end",
  "value", "qualifier", "n_sources", "reporter_name", "partner_name", "is_annual", "first_published", "as_of",
];

/**
 * Orders ascending like SQL's ORDER BY, whose default is NULLS LAST (arquero puts nulls first, and so
 * nulls last under its desc()).
 */
function orderNullsLast(table: ColumnTable, keys: readonly string[]): ColumnTable {
  return table.orderby(...keys.flatMap((k) => [escape((d: Cells) => d[k] == null), k]));
}

/** Null for the cells a left join or an empty aggregate leaves undefined, as SQL gives them. */
function nullForMissing(table: ColumnTable, columns: readonly string[]): ColumnTable {
  return table.derive(Object.fromEntries(columns.map((c) => [c, escape((d: Cells) => d[c] ?? null)])));
}

/** A series pair of a row: the two columns, or a sorted list column's first code and the rest. */
function pairOf(pair: SeriesPair, row: Cells): [string | null, string | null] {
  if ("from" in pair) return [(row[pair.from] as string | null) ?? null, (row[pair.to] as string | null) ?? null];
  const list = row[pair.list] as string | null;
  if (list == null) return [null, null];
  const [first, ...rest] = list.split(COUNTRY_LIST_SEPARATOR);
  return [first ?? null, rest.length > 0 ? rest.join(COUNTRY_LIST_SEPARATOR) : null];
}

/** Whether a period is one calendar year, with SQL's nulls: unknown when a bound that decides it is missing. */
function isAnnual(start: string | null, end: string | null): boolean | null {
  if (start === null) return null;
  if (!start.endsWith("-01-01")) return false;
  return end === null ? null : end === `${start.slice(0, 4)}-12-31`;
}

/**
 * Every amount of every fact as a point of a series, the same rows and order as the v_series_points view:
 * one point per fact and amount column the registry lists (pipeline/schema/registry.ts, `amounts`), with
 * the country names and the first publication date.
 */
export function seriesPoints(ds: Dataset): ColumnTable {
  const names = new Map(ds.rows("countries").map((c) => [c.iso3, c.name]));
  const published = ds.evidence
    .select("record_id", "article_id")
    .join(ds.articles.select("article_id", "published_date"), "article_id")
    .groupby("record_id")
    .rollup({ first_published: op.min("published_date") });
  const firstPublished = new Map((published.objects() as Cells[]).map((r) => [r.record_id as string, (r.first_published as string | undefined) ?? null]));
  const points: Cells[] = [];
  for (const def of FACT_TABLE_DEFS) {
    const { series: shape, amounts } = def;
    for (const row of ds.rows(def.name) as Cells[]) {
      const [reporter, partner] = pairOf(shape.pair, row);
      for (const [amount, unit] of Object.entries(amounts)) {
        if (row[amount] == null) continue;
        const day = (row.event_date as string | null | undefined) ?? null;
        const period_start = (row.period_start as string | null) ?? day;
        const period_end = (row.period_end as string | null) ?? day;
        const first_published = firstPublished.get(row.record_id as string) ?? null;
        const status = row[shape.status] as string;
        points.push({
          table_name: def.name,
          record_id: row.record_id,
          measure: shape.measure === null ? amount : row[shape.measure],
          unit,
          reporter_iso3: reporter,
          partner_iso3: partner,
          commodity: shape.commodity === null ? null : ((row[shape.commodity] as string | null) ?? null),
          status,
          is_actual: shape.actual.includes(status),
          period_start,
          period_end,
          value: row[amount],
          qualifier: (row.qualifier as string | undefined) ?? null,
          n_sources: row.n_sources,
          reporter_name: reporter === null ? null : (names.get(reporter) ?? null),
          partner_name: partner === null ? null : (names.get(partner) ?? null),
          is_annual: isAnnual(period_start, period_end),
          first_published,
          as_of: period_end ?? first_published,
        });
      }
    }
  }
  const table = newTable(Object.fromEntries(POINT_COLUMNS.map((c) => [c, points.map((p) => p[c])])));
  return orderNullsLast(table, [...SERIES_KEY, "status", "period_start", "record_id"]);
}

/** Whether a point passes a filter: every given field equal (a commodity of null asks for all goods). */
function matches(filter: SeriesFilter): (p: Cells) => boolean {
  const wanted: [string, unknown][] = [
    ["table_name", filter.table],
    ["measure", filter.measure],
    ["unit", filter.unit],
    ["reporter_iso3", filter.reporter],
    ["partner_iso3", filter.partner],
    ["commodity", filter.commodity],
    ["status", filter.status],
    ["is_actual", filter.actual],
  ];
  const given = wanted.filter(([, v]) => v !== undefined);
  return (p) => given.every(([k, v]) => p[k] === v);
}

/**
 * A measure over time: the series points (seriesPoints) that match `filter`, each with its unit, ordered
 * by series, then period. E.g. Kazakhstan's reported exports to Afghanistan in dollars, all goods:
 * `series(ds, { measure: "export", reporter: "KAZ", partner: "AFG", unit: "USD", commodity: null, actual: true })`.
 */
export function series(ds: Dataset, filter: SeriesFilter = {}): ColumnTable {
  return seriesPoints(ds).filter(escape(matches(filter)));
}

/**
 * Year-on-year change of every series that `filter` selects: its actual points for whole calendar years,
 * each beside the value of the year before when that year is there too, and the change an article states
 * for the record. For reported trade in USD these are v_annual_trade's value_usd, previous_value_usd,
 * yoy_change_pct and stated_change_pct.
 */
export function growth(ds: Dataset, filter: SeriesFilter = {}): ColumnTable {
  const stated = ds.growth_rates
    .filter((d: { method: string }) => d.method === "stated")
    .groupby("record_id")
    .orderby("growth_id")
    .filter(() => op.row_number() === 1)
    .ungroup()
    .select("record_id", "stated_change_pct");
  const annual = series(ds, { ...filter, actual: true })
    .filter((d: { is_annual: boolean }) => d.is_annual)
    .derive({ year: escape((d: Cells) => Number((d.period_start as string).slice(0, 4))) });
  const withPrevious = annual
    .groupby(...SERIES_KEY, "status")
    .orderby("year")
    .derive({ previous_year: op.lag("year"), previous_value: op.lag("value") })
    .ungroup()
    .derive({
      previous_value: escape((d: Cells) => (d.previous_year === (d.year as number) - 1 ? d.previous_value : null)),
    })
    .derive({ change_pct: escape((d: Cells) => (d.previous_value == null ? null : round((d.value as number) / (d.previous_value as number) * 100 - 100, 2))) });
  const columns: (keyof GrowthRow)[] = [...SERIES_KEY, "status", "year", "value", "previous_value", "change_pct", "stated_change_pct", "record_id"];
  const joined = nullForMissing(withPrevious.join_left(stated, "record_id"), ["stated_change_pct"]).select(columns);
  return orderNullsLast(joined, [...SERIES_KEY, "status", "year"]);
}

/** Rounds half away from zero to `digits` decimals, as DuckDB's round does. */
function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * scale)) / scale;
}

/**
 * The latest actual value of each series that `filter` selects, as the v_latest_series view: the point with
 * the latest as_of (then period_start), and n_values, how many actual points the series has.
 */
export function latest(ds: Dataset, filter: SeriesFilter = {}): ColumnTable {
  const actual = series(ds, { ...filter, actual: true });
  const counted = actual.groupby(...SERIES_KEY, "status").derive({ n_values: op.count() });
  const ranked = counted.orderby(desc("as_of"), desc("period_start"), "record_id").derive({ rank: op.row_number() }).ungroup();
  return orderNullsLast(ranked.filter((d: { rank: number }) => d.rank === 1).select(...POINT_COLUMNS, "n_values"), [...SERIES_KEY, "status", "period_start", "record_id"]);
}

const EVIDENCE_COLUMNS = ["evidence_id", "article_id", "char_start", "char_end", "quote", "value_text", "field", "stated_value", "rule"] as const;
const SOURCE_COLUMNS: readonly (keyof SourceColumns)[] = [...EVIDENCE_COLUMNS, "evidence_confidence", "title", "publisher", "url", "published_date"];

/**
 * Facts beside their sources, as the v_facts_with_sources view: one row per evidence row of each fact
 * (matched by record_id; a fact without evidence keeps one row of nulls), with the quote, the number as
 * written and the article's title, publisher, url and publication date. `facts` is any table with a
 * record_id column: a fact table, a filtered one, or series points.
 */
export function withSources(ds: Dataset, facts: ColumnTable): ColumnTable {
  const evidence = ds.evidence
    .select("record_id", ...EVIDENCE_COLUMNS, { confidence: "evidence_confidence" })
    .join_left(ds.articles.select("article_id", "title", "publisher", "url", "published_date"), "article_id");
  const joined = nullForMissing(facts.join_left(evidence, "record_id"), SOURCE_COLUMNS);
  const keys = joined.columnNames().includes("table_name") ? ["table_name", "record_id"] : ["record_id"];
  return orderNullsLast(joined, [...keys, "article_id", "char_start", "evidence_id"]);
}
