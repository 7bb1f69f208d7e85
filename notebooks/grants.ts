import { barChart, table, text } from "../pipeline/report/blocks.ts";
import type { Row } from "../pipeline/report/db.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { qualified } from "./format.ts";

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
  async run(db) {
    const all = await db.rows(`SELECT g.*, donor_iso3 || '→' || recipient_iso3 AS pair, d.name AS donor_name, r.name AS recipient_name
      FROM grants g LEFT JOIN countries d ON d.iso3 = g.donor_iso3 LEFT JOIN countries r ON r.iso3 = g.recipient_iso3
      ORDER BY donor_iso3, recipient_iso3, status, record_id`);
    const people = await db.rows(`SELECT record_id, status, reporter_iso3 || '→' || partner_iso3 || ' ' || measure AS what, value
      FROM v_series_points WHERE table_name = 'grants' AND measure IN ('students', 'institutions')
      ORDER BY measure DESC, status, record_id`);
    return [
      {
        title: "Grants per year",
        blocks: [
          text(sentence(all)),
          barChart("Educational grants per year, current and planned", all, { x: "pair", y: "grants_per_year", group: "status", xTitle: "Host → students' country", yTitle: "grants per year", labelFormat: ",.0f" }),
        ],
      },
      {
        title: "Students and host institutions",
        blocks: [
          barChart("Students and host institutions", people, { x: "what", y: "value", group: "status", xTitle: "", yTitle: "count", labelFormat: ",.0f" }),
          table("Grants, students and institutions", all, ["donor_iso3", "recipient_iso3", "program", "grants_per_year", "students", "institutions", "period_start", "period_end", "status", "qualifier", "n_sources", "record_id"]),
        ],
      },
    ];
  },
};
