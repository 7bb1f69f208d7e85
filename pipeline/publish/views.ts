import type { DuckDBConnection } from "@duckdb/node-api";
import { COUNTRY_LIST_SEPARATOR, FACT_TABLES, TABLES, columnsOf, factTable, type FactTable, type SeriesPair } from "../schema/tables.ts";
import { quoteIdent, sqlString } from "./duckdb.ts";

/** A convenience view created in dataset.duckdb; `sql` is its SELECT, in dependency order. */
export interface ViewDef {
  name: string;
  description: string;
  sql: string;
}

/**
 * The (table, projected kind, actual kind) triples of each fact table's series.compares, as SQL rows.
 * Non-directional pairs (turnover, contract parties) are stored in alphabetical order (normalize, checked by
 * publish), so the series shapes read them as stored.
 */
const COMPARABLE = FACT_TABLES.flatMap((t) =>
  Object.entries(factTable(t).series.compares).flatMap(([projected, actuals]) => actuals.map((a) => `(${sqlString(t)}, ${sqlString(projected)}, ${sqlString(a)})`)),
).join(", ");

const SERIES_KEY = "table_name, measure, unit, reporter_iso3, partner_iso3, commodity";
const SERIES_ORDER = `${SERIES_KEY}, status, period_start NULLS LAST, record_id`;
const SAME_SERIES = SERIES_KEY.split(", ").map((c) => `a.${c} IS NOT DISTINCT FROM t.${c}`).join(" AND ");
const isAnnual = (p = "") =>
  `(${p}period_start = make_date(year(${p}period_start), 1, 1) AND ${p}period_end = make_date(year(${p}period_start), 12, 31))`;

function hasColumn(table: FactTable, column: string): boolean {
  return columnsOf(TABLES.find((t) => t.name === table)!).some((c) => c.name === column);
}

/** A series pair as SQL: the two columns, or a list column's first code and the rest (COUNTRY_LIST_SEPARATOR-separated). */
function pairSql(pair: SeriesPair): [string, string] {
  if ("from" in pair) return [quoteIdent(pair.from), quoteIdent(pair.to)];
  const list = quoteIdent(pair.list);
  const sep = sqlString(COUNTRY_LIST_SEPARATOR);
  return [`split_part(${list}, ${sep}, 1)`, `nullif(substr(${list}, length(split_part(${list}, ${sep}, 1)) + 2), '')`];
}

/** One SELECT per amount column of a fact table, each row a (series, period, value) point. */
function seriesPoints(table: FactTable): string[] {
  const { series: shape, amounts } = factTable(table);
  // Aid and contracts often state a day instead of a period: the day is then the period.
  const day = hasColumn(table, "event_date") ? "event_date" : "NULL::DATE";
  const qualifier = hasColumn(table, "qualifier") ? "qualifier" : "NULL::VARCHAR";
  const [from, to] = pairSql(shape.pair);
  return Object.entries(amounts).map(
    ([amount, unit]) => `SELECT ${sqlString(table)} AS table_name, record_id, ${shape.measure ?? sqlString(amount)} AS measure,
    ${sqlString(unit)} AS unit, ${from} AS reporter_iso3, ${to} AS partner_iso3,
    ${shape.commodity ?? "NULL::VARCHAR"} AS commodity, ${shape.status} AS status,
    ${shape.status} IN (${shape.actual.map(sqlString).join(", ")}) AS is_actual,
    coalesce(period_start, ${day}) AS period_start, coalesce(period_end, ${day}) AS period_end,
    ${quoteIdent(amount)}::DOUBLE AS value, ${qualifier} AS qualifier, n_sources
  FROM ${quoteIdent(table)} WHERE ${quoteIdent(amount)} IS NOT NULL`,
  );
}

export const VIEWS: readonly ViewDef[] = [
  {
    name: "v_facts",
    description: "The four fact tables stacked (UNION ALL BY NAME), with table_name first; columns a table lacks are null.",
    sql: `SELECT * FROM (
  ${FACT_TABLES.map((t) => `SELECT ${sqlString(t)} AS table_name, * FROM ${quoteIdent(t)}`).join("\n  UNION ALL BY NAME\n  ")}
) ORDER BY table_name, record_id`,
  },
  {
    name: "v_facts_with_sources",
    description: "Every fact with each evidence row that supports it (quote, value as written, field) and the article's title, publisher, url and published_date.",
    sql: `SELECT f.*, e.* EXCLUDE (table_name, record_id), a.title, a.publisher, a.url, a.published_date
FROM v_facts f
LEFT JOIN evidence e ON e.table_name = f.table_name AND e.record_id = f.record_id
LEFT JOIN articles a ON a.article_id = e.article_id
ORDER BY f.table_name, f.record_id, e.article_id, e.char_start, e.evidence_id`,
  },
  {
    name: "v_series_points",
    description:
      "Every amount of every fact as a point of a series (table, measure, unit, pair, commodity): measure is the flow for trade, else the amount column; turnover pairs are in alphabetical order, as stored; reporter_name and partner_name from countries; a stated day stands in for a missing period; as_of = period_end, else the first publication date of the articles stating it.",
    sql: `WITH points AS (
  ${FACT_TABLES.flatMap(seriesPoints).join("\n  UNION ALL\n  ")}
), published AS (
  SELECT e.record_id, min(a.published_date) AS first_published
  FROM evidence e JOIN articles a USING (article_id) GROUP BY e.record_id
)
SELECT p.*, rc.name AS reporter_name, pc.name AS partner_name, ${isAnnual("p.")} AS is_annual, pub.first_published,
  coalesce(p.period_end, pub.first_published) AS as_of
FROM points p LEFT JOIN published pub USING (record_id)
LEFT JOIN countries rc ON rc.iso3 = p.reporter_iso3 LEFT JOIN countries pc ON pc.iso3 = p.partner_iso3
ORDER BY ${SERIES_ORDER}`,
  },
  {
    name: "v_latest_series",
    description: "The latest actual value of each series (reported trade, delivered aid, signed contracts, current grants): the point with the latest as_of; n_values counts the series' actual points.",
    sql: `SELECT *, count(*) OVER (PARTITION BY ${SERIES_KEY}, status) AS n_values FROM v_series_points
WHERE is_actual
QUALIFY row_number() OVER (PARTITION BY ${SERIES_KEY}, status ORDER BY as_of DESC NULLS LAST, period_start DESC NULLS LAST, record_id) = 1
ORDER BY ${SERIES_ORDER}`,
  },
  {
    name: "v_annual_trade",
    description:
      "Reported trade for whole calendar years, by pair, flow, commodity and year, with the change from the previous year when that year is reported too (yoy_change_pct) and the change an article states (stated_change_pct). Turnover pairs are in alphabetical order, as stored; reporter_name and partner_name from countries.",
    sql: `WITH annual AS (
  SELECT reporter_iso3, partner_iso3, flow, commodity,
    year(period_start) AS year, value_usd, quantity_tonnes, qualifier, n_sources, record_id
  FROM trade_flows WHERE status = 'reported' AND ${isAnnual()}
), stated AS (
  SELECT record_id, arg_min(stated_change_pct, growth_id) AS stated_change_pct
  FROM growth_rates WHERE method = 'stated' GROUP BY record_id
), with_previous AS (
  SELECT annual.*, stated.stated_change_pct,
    lag(year) OVER w AS previous_year, lag(value_usd) OVER w AS previous_value_usd
  FROM annual LEFT JOIN stated USING (record_id)
  WINDOW w AS (PARTITION BY reporter_iso3, partner_iso3, flow, commodity ORDER BY year)
)
SELECT reporter_iso3, partner_iso3, rc.name AS reporter_name, pc.name AS partner_name, flow, commodity, year, value_usd, quantity_tonnes,
  CASE WHEN previous_year = year - 1 THEN previous_value_usd END AS previous_value_usd,
  CASE WHEN previous_year = year - 1 THEN round((value_usd / previous_value_usd - 1) * 100, 2) END AS yoy_change_pct,
  stated_change_pct, qualifier, n_sources, record_id
FROM with_previous LEFT JOIN countries rc ON rc.iso3 = reporter_iso3 LEFT JOIN countries pc ON pc.iso3 = partner_iso3
ORDER BY reporter_iso3, partner_iso3, flow, commodity NULLS FIRST, year`,
  },
  {
    name: "v_targets_vs_actuals",
    description:
      "Every projected figure (trade target/forecast/potential, aid pledge, planned contract, planned grants) beside the latest comparable actual: the same table, measure, unit, pair and commodity, a comparable kind (trade: reported; an aid pledge: a delivered aggregate, not one shipment; planned grants: current; a planned contract: none, other deals do not fulfil it), for a whole year or with no stated period; and the actual as a percentage of the projection.",
    sql: `WITH comparable(table_name, projected, actual) AS (VALUES ${COMPARABLE}),
actual AS (
  SELECT * FROM v_series_points WHERE is_actual AND (is_annual OR period_start IS NULL)
)
SELECT t.${SERIES_KEY.split(", ").join(", t.")}, t.reporter_name, t.partner_name, t.status,
  t.record_id AS target_record_id, t.period_start AS target_period_start, t.period_end AS target_period_end, t.value AS target_value,
  a.record_id AS actual_record_id, a.status AS actual_status, a.period_start AS actual_period_start, a.period_end AS actual_period_end,
  a.first_published AS actual_first_published, a.value AS actual_value,
  round(a.value / t.value * 100, 1) AS actual_pct_of_target
FROM v_series_points t
LEFT JOIN comparable c ON c.table_name = t.table_name AND c.projected = t.status
LEFT JOIN actual a ON a.status = c.actual AND ${SAME_SERIES}
WHERE NOT t.is_actual
QUALIFY row_number() OVER (PARTITION BY t.record_id, t.measure, t.unit ORDER BY a.as_of DESC NULLS LAST, a.record_id) = 1
ORDER BY ${SERIES_KEY.split(", ").map((c) => `t.${c}`).join(", ")}, t.status, t.record_id`,
  },
];

/** Creates the views after the tables are loaded and exported, so they change no data file. */
export async function createViews(connection: DuckDBConnection): Promise<void> {
  for (const view of VIEWS) {
    await connection.run(`CREATE VIEW ${quoteIdent(view.name)} AS ${view.sql}`);
    await connection.run(`COMMENT ON VIEW ${quoteIdent(view.name)} IS ${sqlString(view.description)}`);
  }
}
