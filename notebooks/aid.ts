import { barChart, table, text } from "../pipeline/report/blocks.ts";
import type { ReadOnlyDb, Row } from "../pipeline/report/db.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { count, period, usd } from "./format.ts";

/**
 * Aid amounts as series points: v_series_points already puts a stated day in place of a missing
 * period and gives each point an as_of date (the period's end, else the article's date) to order by.
 */
async function points(db: ReadOnlyDb, measure: string): Promise<Row[]> {
  const rows = await db.rows(`SELECT record_id, status AS kind, reporter_iso3 AS donor_iso3, partner_iso3 AS recipient_iso3,
      period_start, period_end, first_published, value, qualifier
    FROM v_series_points WHERE table_name = 'aid_shipments' AND measure = '${measure}'
    ORDER BY as_of, record_id`);
  return rows.map((r) => ({
    ...r,
    when: r.period_start ? period(r.period_start, r.period_end) : `undated (${r.first_published})`,
  }));
}

function totals(rows: Row[], unit: (n: number) => string): string {
  if (rows.length === 0) return "none reported";
  const shipments = rows.filter((r) => r.kind === "shipment");
  const others = rows.length - shipments.length;
  const sum = unit(shipments.reduce((s, r) => s + (r.value as number), 0));
  const parts = [shipments.length > 0 ? `${shipments.length} shipment(s) totalling ${sum}` : null, others > 0 ? `${others} aggregate or pledged figure(s)` : null];
  return parts.filter((p) => p !== null).join(", plus ");
}

export const aid: Notebook = {
  id: "aid",
  title: "Humanitarian aid",
  summary: "Aid shipments over time: weight in tonnes, railway cars and value, with the items itemized in the articles.",
  async run(db) {
    const [tonnes, railcars, value] = await Promise.all([points(db, "weight_tonnes"), points(db, "railcars"), points(db, "value_usd")]);
    const valueRows = value.map((r) => ({ ...r, value_usd_m: (r.value as number) / 1e6 }));
    const shipments = await db.rows(`SELECT s.record_id, donor_iso3, recipient_iso3, kind, event_date, period_start, period_end, weight_tonnes, railcars,
        value_usd, value_original, currency_original, usd_rate, usd_rate_basis, transport_mode, channel, place, items, qualifier, n_sources
      FROM aid_shipments s ORDER BY coalesce(event_date, period_start) NULLS LAST, record_id`);
    const items = await db.rows("SELECT record_id, item, quantity, unit FROM aid_items ORDER BY record_id, item, unit");
    return [
      {
        title: "Aid over time",
        blocks: [
          text(
            `Weight: ${totals(tonnes, (n) => count(n, "t"))}. Railway cars: ${totals(railcars, (n) => count(n, "cars"))}. Value: ${totals(value, usd)}. ` +
              "A bar is one shipment (or one aggregate over a span, or a pledge), placed at its stated day or period; an undated one at its article's publication date.",
          ),
          barChart("Weight, tonnes", tonnes, { x: "when", y: "value", group: "kind", xTitle: "Delivered", yTitle: "tonnes", labelFormat: ",.0f" }),
          barChart("Railway cars", railcars, { x: "when", y: "value", group: "kind", xTitle: "Delivered", yTitle: "railway cars", labelFormat: ",.0f" }),
          barChart("Value, US$ million", valueRows, { x: "when", y: "value_usd_m", group: "kind", xTitle: "Period", yTitle: "US$ million", labelFormat: ",.1f" }),
        ],
      },
      {
        title: "Shipments",
        blocks: [
          table("Aid shipments", shipments, [
            "donor_iso3",
            "recipient_iso3",
            "kind",
            "event_date",
            "period_start",
            "period_end",
            { name: "weight_tonnes", label: "tonnes" },
            "railcars",
            { name: "value_usd", label: "value (USD)" },
            "value_original",
            "currency_original",
            { name: "usd_rate", label: "rate (per USD)" },
            { name: "usd_rate_basis", label: "rate basis" },
            "transport_mode",
            "channel",
            "place",
            "items",
            "qualifier",
            "record_id",
          ]),
          table("Itemized quantities", items, ["item", "quantity", "unit", "record_id"]),
        ],
      },
    ];
  },
};
