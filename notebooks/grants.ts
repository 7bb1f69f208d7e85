import { barChart, table, text } from "../pipeline/report/blocks.ts";
import type { Row } from "../pipeline/report/db.ts";
import { enumColors, enumValues } from "../pipeline/report/colors.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { countryNames, qualified } from "./format.ts";
import { rowsOf } from "./query.ts";

const STATUS = enumValues("grants", "status");

function sentence(grants: Row[]): string {
  if (grants.length === 0) return "No grants or student numbers in the dataset.";
  return grants
    .map((g) => {
      const parts = [
        typeof g.grants_per_year === "number" ? `${g.grants_per_year} grants a year` : null,
        typeof g.students === "number" ? `${g.students} students` : null,
        typeof g.institutions === "number" ? `${g.institutions} host institutions` : null,
      ].filter((p) => p !== null);
      // The qualifier is the record's main number's: the first one stated.
      if (parts.length > 0) parts[0] = qualified(g.qualifier, parts[0]!);
      return `Hosted by ${g.donor_name ?? g.donor_iso3}, for students from ${g.recipient_name ?? g.recipient_iso3} (${g.status}${g.program ? `, ${g.program}` : ""}): ${parts.join(", ")}.`;
    })
    .join(" ");
}

export const grants: Notebook = {
  id: "grants",
  title: "Grants and students",
  summary: "Educational grants and scholarships per year, current and planned, and the students and universities hosting them.",
  async run(ds) {
    const name = countryNames(ds.rows("countries"));
    const all = rowsOf(ds.grants.orderby("donor_iso3", "recipient_iso3", "status", "record_id")).map((g): Row => {
      const [donor, recipient] = [name(g.donor_iso3 as string), name(g.recipient_iso3 as string)];
      return { ...g, donor_name: donor, recipient_name: recipient, pair: `${donor} → ${recipient}` };
    });
    const status = (rows: Row[]) => ({ field: "status", title: "Status", scale: enumColors(STATUS, rows.map((r) => r.status)) });
    // Students and institutions are different units, so each has its own chart and axis.
    const perDonor = (field: string, title: string, valueTitle: string) =>
      barChart(title, all, { category: "pair", value: field, group: status(all), valueTitle, labelFormat: ",.0f" });
    return [
      {
        title: "Grants per year",
        blocks: [
          text(sentence(all)),
          perDonor("grants_per_year", "Educational grants per year, current and planned", "grants per year"),
        ],
      },
      {
        title: "Students and host institutions",
        blocks: [
          perDonor("students", "Students", "students"),
          perDonor("institutions", "Host institutions", "institutions"),
          table("Grants, students and institutions", all, ["donor_iso3", "recipient_iso3", "program", "grants_per_year", "students", "institutions", "period_start", "period_end", "status", "qualifier", "n_sources", "record_id"]),
        ],
      },
    ];
  },
};
