import { desc, escape, op } from "arquero";
import type { Dataset } from "../pipeline/api/dataset.ts";
import { series, seriesPoints } from "../pipeline/api/verbs.ts";
import { barChart, table, text, timeChart, type TargetLine } from "../pipeline/report/blocks.ts";
import { countryColors, enumColors, enumValues } from "../pipeline/report/colors.ts";
import type { Row } from "../pipeline/report/db.ts";
import type { Block, Notebook } from "../pipeline/report/types.ts";
import { FACT_TABLES, factTable } from "../pipeline/schema/tables.ts";
import { count, period, usd } from "./format.ts";
import { orderNullsLast, rowsOf } from "./query.ts";

const CONTRACT_STATUS = enumValues("contracts", "status");

const amount = (value: number, unit: string) => (unit === "USD" ? usd(value) : count(value, unit));

function label(r: Row): string {
  const pair = r.partner_iso3 ? `${r.reporter_iso3}–${r.partner_iso3}` : String(r.reporter_iso3);
  return `${pair} ${String(r.measure).replace(/_(usd|tonnes)$/, "").replaceAll("_", " ")}${r.commodity ? ` (${r.commodity})` : ""}`;
}

function targetSentence(r: Row): string {
  const target = `${label(r)} ${r.status}: ${amount(r.target_value as number, r.unit as string)} (${period(r.target_period_start, r.target_period_end)})`;
  if (typeof r.actual_value !== "number") return `${target}; no actual figure of this series to compare.`;
  const when = r.actual_period_start ? period(r.actual_period_start, r.actual_period_end) : `no stated period, reported ${r.actual_first_published}`;
  return `${target}; latest actual ${amount(r.actual_value, r.unit as string)} (${when}) = ${r.actual_pct_of_target}% of it.`;
}

const SERIES = ["table_name", "measure", "unit", "reporter_iso3", "partner_iso3", "commodity"] as const;

/** A series as one join key: arquero's joins, like SQL's =, would never match a missing partner or commodity to another. */
const seriesKey = escape((d: Row) => JSON.stringify(SERIES.map((c) => d[c])));

/** Whether an actual's status is one a projection of its kind is measured against (the registry's `compares`). */
const comparable = escape((d: Row) => factTable(d.table_name as string).series.compares[d.status as string]?.includes(d.actual_status as string) ?? false);

/**
 * Every projected figure beside the latest comparable actual of its series (whole-year or undated), and the
 * actual as a percentage of it: the rows of the v_targets_vs_actuals view, from the API's series points.
 */
function targetsVsActuals(ds: Dataset): Row[] {
  const points = seriesPoints(ds).derive({ key: seriesKey });
  const actuals = points
    .filter((d: Row) => d.is_actual && (d.is_annual || d.period_start === null))
    .select("key", { record_id: "actual_record_id", status: "actual_status", period_start: "actual_period_start", period_end: "actual_period_end", first_published: "actual_first_published", value: "actual_value", as_of: "actual_as_of" });
  const projected = points
    .filter((d: Row) => !d.is_actual)
    .select(...SERIES, "key", "reporter_name", "partner_name", "status", { record_id: "target_record_id", period_start: "target_period_start", period_end: "target_period_end", value: "target_value" });
  const latest = projected
    .join(actuals, "key")
    .filter(comparable)
    .groupby("target_record_id", "measure", "unit")
    .orderby(desc("actual_as_of"), "actual_record_id")
    .filter(() => op.row_number() === 1)
    .ungroup()
    .select("target_record_id", "measure", "unit", "actual_record_id", "actual_status", "actual_period_start", "actual_period_end", "actual_first_published", "actual_value");
  const joined = projected
    .join_left(latest, [["target_record_id", "measure", "unit"], ["target_record_id", "measure", "unit"]])
    .derive({ actual_pct_of_target: escape((d: Row) => (typeof d.actual_value === "number" ? Math.round((d.actual_value / (d.target_value as number)) * 1000) / 10 : null)) });
  return rowsOf(orderNullsLast(joined, ...SERIES, "status", "target_record_id"));
}

/** The projected kinds of every fact table (target, pledge, planned, ...) after the actual, each with a fixed colour. */
const KINDS = ["latest actual", ...new Set(FACT_TABLES.flatMap((t) => Object.keys(factTable(t).series.compares)))];
const KIND_COLORS = enumColors(KINDS, KINDS);

/**
 * One chart per USD trade series with projections: its whole-year actuals over time, each projected
 * value as a rule across it; actuals with no stated period listed below.
 */
function historyCharts(history: Row[], targets: Row[]): Block[] {
  const series = [...new Set(targets.filter((r) => r.table_name === "trade_flows" && r.unit === "USD").map(label))];
  return series.flatMap((s) => {
    const points = history.filter((r) => label(r) === s);
    if (points.length === 0) return [];
    // Projections of one value share a rule (its label names their kinds), so no two labels overprint.
    const byValue = new Map<number, Row[]>();
    for (const t of targets.filter((r) => label(r) === s && r.unit === "USD")) byValue.set(t.target_value as number, [...(byValue.get(t.target_value as number) ?? []), t]);
    const lines: TargetLine[] = [...byValue].map(([value, same]) => {
      const kinds = KINDS.filter((k) => same.some((t) => t.status === k));
      return { value: value / 1e6, label: `${kinds.join(", ")} ${usd(value)}`, color: KIND_COLORS.range[KIND_COLORS.domain.indexOf(kinds[0]!)]!, records: same.map((t) => t.target_record_id as string) };
    });
    const rows = points.map((r) => ({ ...r, series: s, value_usd_m: (r.value as number) / 1e6 }));
    return timeChart(`${s}: reported against its projections, US$ million`, rows, {
      y: "value_usd_m",
      yTitle: "US$ million",
      color: { field: "series", title: "Series", scale: countryColors([[s, points[0]!.partner_iso3 === "AFG" ? points[0]!.reporter_iso3 : points[0]!.partner_iso3]]) },
      line: "series",
      describe: (r) => `${s} ${period(r.period_start, r.period_end)}: ${usd(r.value as number)}`,
      targets: lines.sort((a, b) => a.value - b.value),
      undated: { title: `${s}: reported with no stated period (not drawn)`, columns: [{ name: "value", label: "value (USD)" }, { name: "first_published", label: "first published" }, "record_id"] },
    });
  });
}

export const contractsTargets: Notebook = {
  id: "contracts_targets",
  title: "Contracts and targets",
  summary: "Signed and planned contracts, and every target, forecast, potential, pledge or plan against the latest actual figure of the same series.",
  async run(ds) {
    const contracts = rowsOf(orderNullsLast(ds.contracts, (d) => d.event_date ?? d.period_start, "record_id")).map(
      (c): Row => ({ ...c, value_usd_m: typeof c.value_usd === "number" ? c.value_usd / 1e6 : null, what: `${c.commodity ?? "goods not stated"}, ${c.place ?? c.parties_iso3}` }),
    );
    const targets = targetsVsActuals(ds);
    const history = rowsOf(
      orderNullsLast(
        series(ds, { table: "trade_flows", unit: "USD", actual: true }).filter((d: Row) => d.is_annual || d.period_start === null),
        "as_of",
        "record_id",
      ),
    );
    // A series' projections and its latest actual, each distinct figure once with every record stating it.
    const usdBars = new Map<string, { what: string; kind: string; value_usd_m: number; record_id: string[] }>();
    for (const r of targets.filter((t) => t.unit === "USD")) {
      for (const [kind, value, record] of [[String(r.status), r.target_value, r.target_record_id], ["latest actual", r.actual_value, r.actual_record_id]] as const) {
        if (typeof value !== "number") continue;
        const key = JSON.stringify([label(r), kind, value]);
        const bar = usdBars.get(key) ?? { what: label(r), kind, value_usd_m: value / 1e6, record_id: [] };
        if (!bar.record_id.includes(record as string)) bar.record_id.push(record as string);
        usdBars.set(key, bar);
      }
    }
    return [
      {
        title: "Contracts",
        blocks: [
          text(
            contracts.length === 0
              ? "No contracts in the dataset."
              : `${contracts.length} contract record(s); with a stated value: ${usd(contracts.reduce((s, r) => s + ((r.value_usd as number | null) ?? 0), 0))} in total.`,
          ),
          barChart("Contract values, US$ million", contracts, {
            category: "what",
            value: "value_usd_m",
            group: { field: "status", title: "Status", scale: enumColors(CONTRACT_STATUS, contracts.map((r) => r.status)) },
            valueTitle: "US$ million",
            labelFormat: ",.1f",
          }),
          table("Contracts", contracts, [
            "parties_iso3",
            "status",
            "event_date",
            "place",
            { name: "value_usd", label: "value (USD)" },
            "n_contracts",
            "commodity",
            "quantity_tonnes",
            "qualifier",
            "n_sources",
            "record_id",
          ]),
        ],
      },
      {
        title: "Targets against actuals",
        blocks: [
          text(targets.length === 0 ? "No targets, forecasts, potentials, pledges or plans in the dataset." : targets.map(targetSentence).join(" ")),
          barChart("Projected against latest actual (US$ series), US$ million", [...usdBars.values()], {
            category: "what",
            value: "value_usd_m",
            group: { field: "kind", title: "Figure", scale: enumColors(KINDS, [...usdBars.values()].map((r) => r.kind)) },
            valueTitle: "US$ million",
            labelFormat: ",.1f",
          }),
          ...historyCharts(history, targets),
          table(
            "Projections and the latest actual of the same series",
            targets.map((r) => ({ ...r, series: label(r) })),
            ["series", "status", "unit", "target_value", "actual_value", "actual_pct_of_target", "actual_period_start", "actual_period_end", "actual_first_published", "target_record_id", "actual_record_id"],
            ["target_record_id", "actual_record_id"],
          ),
        ],
      },
    ];
  },
};
