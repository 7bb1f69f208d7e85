import type { Dataset } from "../pipeline/api/dataset.ts";
import { series } from "../pipeline/api/verbs.ts";
import { table, text, timeChart } from "../pipeline/report/blocks.ts";
import { countryColors, enumShapes, enumValues } from "../pipeline/report/colors.ts";
import type { Row } from "../pipeline/report/db.ts";
import type { Block, Notebook } from "../pipeline/report/types.ts";
import { count, period, usd } from "./format.ts";
import { orderNullsLast, rowsOf } from "./query.ts";

/** Aid amounts as series points: the API's series already puts a stated day in place of a missing period. */
function points(ds: Dataset, measure: string): Row[] {
  const aid = series(ds, { table: "aid_shipments", measure }).select({ record_id: "record_id", status: "kind", reporter_iso3: "donor_iso3", reporter_name: "donor", partner_iso3: "recipient_iso3" }, "period_start", "period_end", "first_published", "value", "qualifier", "as_of");
  return rowsOf(orderNullsLast(aid, "as_of", "record_id")).map((r): Row => ({ ...r, donor: r.donor ?? r.donor_iso3! }));
}

function totals(rows: Row[], unit: (n: number) => string): string {
  if (rows.length === 0) return "none reported";
  const shipments = rows.filter((r) => r.kind === "shipment");
  const others = rows.length - shipments.length;
  const sum = unit(shipments.reduce((s, r) => s + (r.value as number), 0));
  const parts = [shipments.length > 0 ? `${shipments.length} shipment(s) totalling ${sum}` : null, others > 0 ? `${others} aggregate or pledged figure(s)` : null];
  return parts.filter((p) => p !== null).join(", plus ");
}

const KINDS = enumValues("aid_shipments", "kind");

/** One chart of an aid measure over time, coloured by donor, shaped by kind; undated figures in a table below it. */
function aidChart(title: string, rows: Row[], y: string, yTitle: string, amount: (r: Row) => string): Block[] {
  return timeChart(title, rows, {
    y,
    yTitle,
    color: { field: "donor", title: "Donor", scale: countryColors(rows.map((r) => [r.donor, r.donor_iso3])) },
    shape: { field: "kind", title: "Kind", scale: enumShapes(KINDS, rows.map((r) => r.kind)) },
    describe: (r) => `${r.donor} ${r.kind}, ${period(r.period_start, r.period_end)}: ${amount(r)}`,
    undated: {
      title: `${title}: no stated day or period (not drawn)`,
      columns: ["donor", "kind", { name: y, label: yTitle }, "qualifier", { name: "first_published", label: "first published" }, "record_id"],
    },
  });
}

export const aid: Notebook = {
  id: "aid",
  title: "Humanitarian aid",
  summary: "Aid shipments over time by donor: weight in tonnes, railway cars and value, with the items itemized in the articles.",
  async run(ds) {
    const [tonnes, railcars, value] = [points(ds, "weight_tonnes"), points(ds, "railcars"), points(ds, "value_usd")];
    const valueRows = value.map((r): Row => ({ ...r, value_usd_m: (r.value as number) / 1e6 }));
    const shipments = rowsOf(orderNullsLast(ds.aid_shipments, (d) => d.event_date ?? d.period_start, "record_id"));
    const items = rowsOf(ds.aid_items.orderby("record_id", "item", "unit"));
    return [
      {
        title: "Aid over time",
        blocks: [
          text(
            `Weight: ${totals(tonnes, (n) => count(n, "t"))}. Railway cars: ${totals(railcars, (n) => count(n, "cars"))}. Value: ${totals(value, usd)}. ` +
              "A point is one shipment (or one aggregate over a span, or a pledge) at its stated day or in the middle of its period, with a bar across the period; figures with neither are listed under each chart.",
          ),
          ...aidChart("Weight, tonnes", tonnes, "value", "tonnes", (r) => count(r.value as number, "t")),
          ...aidChart("Railway cars", railcars, "value", "railway cars", (r) => count(r.value as number, "cars")),
          ...aidChart("Value, US$ million", valueRows, "value_usd_m", "US$ million", (r) => usd(r.value as number)),
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
