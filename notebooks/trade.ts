import { barChart, table, text } from "../pipeline/report/blocks.ts";
import type { Row } from "../pipeline/report/db.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { period, usd } from "./format.ts";

/** "KAZ→AFG export" for a direction, "AFG–KAZ turnover" for both directions. */
const seriesLabel = (flow = "flow") =>
  `CASE WHEN ${flow} = 'turnover' THEN reporter_iso3 || '–' || partner_iso3 ELSE reporter_iso3 || '→' || partner_iso3 END || ' ' || ${flow}`;

function growthSentence(rows: Row[]): string {
  const computed = rows.filter((r) => typeof r.yoy_change_pct === "number");
  if (computed.length === 0) return "No series has two consecutive reported years, so no year-on-year change can be computed from the values alone.";
  return computed
    .map((r) => `${r.series} grew ${r.yoy_change_pct}% in ${r.year} (${usd(r.previous_value_usd as number)} → ${usd(r.value_usd as number)})${typeof r.stated_change_pct === "number" ? `; the article states ${r.stated_change_pct}%` : ""}.`)
    .join(" ");
}

export const trade: Notebook = {
  id: "trade",
  title: "Bilateral trade",
  summary: "Reported trade between Afghanistan and its neighbours by year and direction, with growth computed from the values and growth as the articles state it.",
  async run(db) {
    const annual = await db.rows(`SELECT ${seriesLabel()} AS series, year::VARCHAR AS year, value_usd, value_usd / 1e6 AS value_usd_m,
        previous_value_usd, yoy_change_pct, stated_change_pct, qualifier, n_sources, record_id
      FROM v_annual_trade WHERE commodity IS NULL ORDER BY year, flow, series`);
    const growth = await db.rows(`SELECT ${seriesLabel("measure")} AS series, period_start, period_end, base_period_start, base_period_end,
        value, base_value, round(change_pct, 2) AS change_pct, method, stated_change_pct, consistent, record_id, base_record_id
      FROM growth_rates WHERE table_name = 'trade_flows' AND unit = 'USD' ORDER BY period_start, series, method`);
    const other = await db.rows(`SELECT ${seriesLabel()} AS series, period_start, period_end, value_usd, quantity_tonnes, commodity, qualifier, record_id
      FROM trade_flows
      WHERE status = 'reported' AND record_id NOT IN (SELECT record_id FROM v_annual_trade WHERE commodity IS NULL)
      ORDER BY period_start NULLS LAST, series, record_id`);
    const withPeriods = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, period: period(r.period_start, r.period_end), base_period: period(r.base_period_start, r.base_period_end) }));
    const growthRows = withPeriods(growth);
    const growthChartRows = growthRows.filter((r) => r.method !== "implied").map((r) => ({ ...r, what: `${r.series} ${r.period}` }));
    return [
      {
        title: "Annual trade by direction",
        blocks: [
          text("Whole calendar years of reported trade in all goods. Exports and imports are each reporter's figure as stated; turnover is both directions."),
          barChart("Annual trade, US$ million", annual, { x: "year", y: "value_usd_m", group: "series", xTitle: "Year", yTitle: "US$ million", labelFormat: ",.1f" }),
          text(growthSentence(annual)),
          table("Annual trade", annual, [
            "series",
            "year",
            { name: "value_usd", label: "value (USD)" },
            { name: "previous_value_usd", label: "previous year (USD)" },
            { name: "yoy_change_pct", label: "change %" },
            { name: "stated_change_pct", label: "stated change %" },
            "qualifier",
            "n_sources",
            "record_id",
          ]),
        ],
      },
      {
        title: "Growth: computed against stated",
        blocks: [
          text("computed: from two reported values for comparable periods; stated: the change an article gives. Implied base values (back-computed from a stated change) are in the table only."),
          barChart("Change on the same period a year before, %", growthChartRows, { x: "what", y: "change_pct", group: "method", xTitle: "Series and period", yTitle: "change %", labelFormat: ".1f" }),
          table("Growth rates (USD series)", growthRows, ["series", "period", "base_period", "value", "base_value", "change_pct", "method", "stated_change_pct", "consistent", "record_id", "base_record_id"], ["record_id", "base_record_id"]),
        ],
      },
      {
        title: "Other reported figures",
        blocks: [
          text("Reported trade that is not a whole calendar year of all goods: part-year periods, figures with no stated period, single commodities and tonnages."),
          table("Part-year, undated and commodity figures", withPeriods(other), ["series", "period", { name: "value_usd", label: "value (USD)" }, "quantity_tonnes", "commodity", "qualifier", "record_id"]),
        ],
      },
    ];
  },
};
