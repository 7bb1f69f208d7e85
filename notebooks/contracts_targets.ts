import { barChart, table, text } from "../pipeline/report/blocks.ts";
import type { ReadOnlyDb, Row } from "../pipeline/report/db.ts";
import type { Notebook, Section } from "../pipeline/report/types.ts";
import { count, period, usd } from "./format.ts";

const amount = (value: number, unit: string) => (unit === "USD" ? usd(value) : count(value, unit));

function label(r: Row): string {
  const pair = r.partner_iso3 ? `${r.reporter_iso3}–${r.partner_iso3}` : String(r.reporter_iso3);
  return `${pair} ${String(r.measure).replaceAll("_", " ")}${r.commodity ? ` (${r.commodity})` : ""}`;
}

function targetSentence(r: Row): string {
  const target = `${label(r)} ${r.status}: ${amount(r.target_value as number, r.unit as string)} (${period(r.target_period_start, r.target_period_end)})`;
  if (typeof r.actual_value !== "number") return `${target}; no actual figure of this series to compare.`;
  const when = r.actual_period_start ? period(r.actual_period_start, r.actual_period_end) : `no stated period, reported ${r.actual_first_published}`;
  return `${target}; latest actual ${amount(r.actual_value, r.unit as string)} (${when}) = ${r.actual_pct_of_target}% of it.`;
}

/** For each USD trade projection: the whole-year and undated actuals of its series as bars, the projection as a rule. */
async function historyCharts(db: ReadOnlyDb, targets: Row[]): Promise<Section["blocks"]> {
  const blocks: Section["blocks"] = [];
  for (const t of targets.filter((r) => r.table_name === "trade_flows" && r.unit === "USD")) {
    const same = (c: string) => (t[c] === null ? `${c} IS NULL` : `${c} = '${String(t[c]).replaceAll("'", "''")}'`);
    const history = await db.rows(`SELECT record_id, period_start, period_end, first_published, value / 1e6 AS value_usd_m
      FROM v_series_points WHERE table_name = 'trade_flows' AND is_actual AND unit = 'USD' AND (is_annual OR period_start IS NULL)
        AND ${["measure", "reporter_iso3", "partner_iso3", "commodity"].map(same).join(" AND ")}
      ORDER BY as_of, record_id`);
    if (history.length === 0) continue;
    const bars = history.map((r) => ({ ...r, when: r.period_start ? period(r.period_start, r.period_end) : `undated (${r.first_published})` }));
    blocks.push(
      barChart(`${label(t)}: reported against the ${usd(t.target_value as number)} ${t.status}, US$ million`, bars, {
        x: "when",
        y: "value_usd_m",
        xTitle: "Reported for",
        yTitle: "US$ million",
        labelFormat: ",.1f",
        target: { value: (t.target_value as number) / 1e6, label: `${t.status} ${usd(t.target_value as number)}`, record_id: t.target_record_id as string },
      }),
    );
  }
  return blocks;
}

export const contractsTargets: Notebook = {
  id: "contracts_targets",
  title: "Contracts and targets",
  summary: "Signed and planned contracts, and every target, forecast, potential, pledge or plan against the latest actual figure of the same series.",
  async run(db) {
    const contracts = await db.rows(`SELECT c.*, c.value_usd / 1e6 AS value_usd_m, coalesce(c.commodity, 'goods not stated') || ', ' || coalesce(c.place, c.parties_iso3) AS what
      FROM contracts c ORDER BY coalesce(event_date, period_start) NULLS LAST, record_id`);
    const targets = await db.rows("SELECT * FROM v_targets_vs_actuals");
    const usdBars = targets
      .filter((r) => r.unit === "USD")
      .flatMap((r) => [
        { what: label(r), kind: `${r.status}`, value_usd_m: (r.target_value as number) / 1e6, record_id: r.target_record_id ?? null },
        { what: label(r), kind: "latest actual", value_usd_m: typeof r.actual_value === "number" ? r.actual_value / 1e6 : null, record_id: r.actual_record_id ?? null },
      ]);
    return [
      {
        title: "Contracts",
        blocks: [
          text(
            contracts.length === 0
              ? "No contracts in the dataset."
              : `${contracts.length} contract record(s); with a stated value: ${usd(contracts.reduce((s, r) => s + ((r.value_usd as number | null) ?? 0), 0))} in total.`,
          ),
          barChart("Contract values, US$ million", contracts, { x: "what", y: "value_usd_m", group: "status", xTitle: "Goods, place", yTitle: "US$ million", labelFormat: ",.1f" }),
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
          barChart("Projected against latest actual (US$ series), US$ million", usdBars, { x: "what", y: "value_usd_m", group: "kind", xTitle: "Series", yTitle: "US$ million", labelFormat: ",.1f" }),
          ...(await historyCharts(db, targets)),
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
