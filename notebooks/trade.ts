import { growth } from "../pipeline/api/verbs.ts";
import { table, text, timeChart } from "../pipeline/report/blocks.ts";
import { countryColors, enumShapes, enumValues } from "../pipeline/report/colors.ts";
import type { Row, Value } from "../pipeline/report/db.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { change, counterpart, countryNames, period, usd } from "./format.ts";
import { orderNullsLast, rowsOf } from "./query.ts";

function growthSentence(rows: Row[]): string {
  const computed = rows.filter((r) => typeof r.yoy_change_pct === "number");
  if (computed.length === 0) return "No series has two consecutive reported years, so no year-on-year change can be computed from the values alone.";
  return computed
    .map(
      (r) =>
        `${r.series} ${change(r.yoy_change_pct as number)} in ${r.year} (${usd(r.previous_value_usd as number)} → ${usd(r.value_usd as number)})${typeof r.stated_change_pct === "number" ? `; the article says it ${change(r.stated_change_pct)}` : ""}.`,
    )
    .join(" ");
}

/** Gives each row a `run`: its series and the first of the consecutive years it belongs to, so a line never bridges a missing year. */
function consecutiveRuns(rows: Row[]): Row[] {
  const last = new Map<unknown, { year: number; run: string }>();
  return [...rows]
    .sort((a, b) => Number(a.year) - Number(b.year))
    .map((r) => {
      const previous = last.get(r.series);
      const run = previous && previous.year === Number(r.year) - 1 ? previous.run : `${r.series} ${r.year}`;
      last.set(r.series, { year: Number(r.year), run });
      return { ...r, run };
    });
}

const FLOWS = enumValues("trade_flows", "flow");
const METHODS = enumValues("growth_rates", "method");

/** "KAZ→AFG export" for a direction, "AFG–KAZ turnover" for both directions. */
function seriesLabel(r: Row, flow: unknown): string {
  return `${r.reporter_iso3}${flow === "turnover" ? "–" : "→"}${r.partner_iso3} ${String(flow)}`;
}

export const trade: Notebook = {
  id: "trade",
  title: "Bilateral trade",
  summary: "Reported trade between Afghanistan and its neighbours by year and direction, with growth computed from the values and growth as the articles state it.",
  async run(ds) {
    const name = countryNames(ds.rows("countries"));
    const withPartner = (r: Row, flow: Value): Row => {
      const c = counterpart(r.reporter_iso3 as string, r.partner_iso3 as string | null, name);
      return { ...r, series: seriesLabel(r, flow), partner: c.label, partner_code: c.code, flow };
    };
    const annualTable = growth(ds, { table: "trade_flows", unit: "USD", commodity: null, status: "reported" })
      .join(ds.trade_flows.select("record_id", "qualifier", "n_sources"), "record_id")
      .orderby("year", "measure", "reporter_iso3", "partner_iso3");
    const annual = rowsOf(annualTable).map((r): Row => ({
      ...withPartner(r, r.measure!),
      year: String(r.year),
      period_start: `${r.year}-01-01`,
      period_end: `${r.year}-12-31`,
      value_usd: r.value!,
      value_usd_m: (r.value as number) / 1e6,
      previous_value_usd: r.previous_value!,
      yoy_change_pct: r.change_pct!,
    }));
    const growthRows = rowsOf(
      orderNullsLast(ds.growth_rates.filter((d: Row) => d.table_name === "trade_flows" && d.unit === "USD"), "period_start", (d) => seriesLabel(d, d.measure), "method"),
    ).map((r): Row => ({
      ...withPartner(r, r.measure!),
      change_pct: Math.round((r.change_pct as number) * 100) / 100,
      period: period(r.period_start, r.period_end),
      base_period: period(r.base_period_start, r.base_period_end),
    }));
    const other = rowsOf(
      orderNullsLast(ds.trade_flows.filter((d: Row) => d.status === "reported").antijoin(annualTable.select("record_id"), "record_id"), "period_start", (d) => seriesLabel(d, d.flow), "record_id"),
    ).map((r): Row => ({ ...withPartner(r, r.flow!), period: period(r.period_start, r.period_end) }));
    const growthChartRows = growthRows.filter((r) => r.method !== "implied");
    const annualChart = (title: string, rows: Row[]) =>
      timeChart(title, rows, {
        y: "value_usd_m",
        yTitle: "US$ million",
        color: { field: "partner", title: "Partner", scale: countryColors(rows.map((r) => [r.partner, r.partner_code])) },
        shape: { field: "flow", title: "Flow", scale: enumShapes(FLOWS, rows.map((r) => r.flow)) },
        line: "run",
        describe: (r) => `${r.series} ${r.year}: ${usd(r.value_usd as number)}`,
      });
    const valued = consecutiveRuns(annual.filter((r) => typeof r.value_usd === "number"));
    const withAfghanistan = valued.filter((r) => r.reporter_iso3 === "AFG" || r.partner_iso3 === "AFG");
    const between = valued.filter((r) => r.reporter_iso3 !== "AFG" && r.partner_iso3 !== "AFG");
    return [
      {
        title: "Annual trade by direction",
        blocks: [
          text("Whole calendar years of reported trade in all goods. Exports and imports are each reporter's figure as stated; turnover is both directions. A line joins consecutive years of one series; a bar spans the year a point stands for. Trade between two other countries has its own chart."),
          ...annualChart("Annual trade with Afghanistan, US$ million", withAfghanistan),
          ...(between.length > 0 ? annualChart("Annual trade between other countries, US$ million", between) : []),
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
          text(
            "computed: from two reported values for comparable periods; stated: the change an article gives. Each point sits in the middle of the period the change is for; implied base values (back-computed from a stated change) are in the table only.",
          ),
          ...timeChart("Change on the same period a year before, %", growthChartRows, {
            y: "change_pct",
            yTitle: "change %",
            color: { field: "partner", title: "Partner", scale: countryColors(growthChartRows.map((r) => [r.partner, r.partner_code])) },
            shape: { field: "method", title: "Method", scale: enumShapes(METHODS, growthChartRows.map((r) => r.method)) },
            describe: (r) => `${r.series} ${r.period}: ${change(r.change_pct as number)} (${r.method})`,
            undated: { title: "Growth rates with no stated period (not drawn)", columns: ["series", "value", "change_pct", "method", "record_id"] },
          }),
          table("Growth rates (USD series)", growthRows, ["series", "period", "base_period", "value", "base_value", "change_pct", "method", "stated_change_pct", "consistent", "record_id", "base_record_id"], ["record_id", "base_record_id"]),
        ],
      },
      {
        title: "Other reported figures",
        blocks: [
          text("Reported trade that is not a whole calendar year of all goods in US dollars: part-year periods, figures with no stated period, single commodities, and tonnages or stated changes without a dollar value."),
          table("Part-year, undated, commodity and tonnage figures", other, ["series", "period", { name: "value_usd", label: "value (USD)" }, "quantity_tonnes", "commodity", "qualifier", "record_id"]),
        ],
      },
    ];
  },
};
