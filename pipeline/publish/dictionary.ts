import { FACT_TABLES } from "../schema/tables.ts";
import type { PackageInfo } from "./datapackage.ts";
import { caveatsSection, cell, citationSection, filesSection, spreadsheetSection, viewsSection } from "./guide.ts";
import { arrowPath, csvPath, parquetPath, WORKBOOK_PATH } from "./paths.ts";
import { reviewQueueSection } from "./reviewQueue.ts";
import type { PublishedTable } from "./rows.ts";

const code = (names: string[]) => names.map((n) => `\`${n}\``).join(", ");

function tableSection({ def, columns, rowCount }: PublishedTable): string[] {
  const lines = [
    `### ${def.name}`,
    "",
    def.description,
    "",
    `Rows: ${rowCount}. Primary key: (${code(def.primaryKey)}).`,
  ];
  for (const fk of def.foreignKeys) {
    lines.push(`Foreign key: (${code(fk.fields)}) references \`${fk.reference.resource}\` (${code(fk.reference.fields)}).`);
  }
  lines.push(`Files: ${code([parquetPath(def.name), arrowPath(def.name), csvPath(def.name)])}; sheet \`${def.name}\` of \`${WORKBOOK_PATH}\`.`, "", "| Column | Type | Description |", "|---|---|---|");
  for (const c of columns) {
    const type = c.required ? `${c.sql}, required` : c.sql;
    const values = c.enum ? ` One of: ${c.enum.map((v) => `\`${v}\``).join(", ")}.` : "";
    const range = c.range ? ` From ${c.range[0]} to ${c.range[1]}.` : "";
    lines.push(`| \`${c.name}\` | ${type} | ${cell(c.description + values + range)} |`);
  }
  lines.push("");
  return lines;
}

/** The folder's README: a data dictionary generated from the schemas. No timestamps, so it is reproducible. */
export function buildReadme(info: PackageInfo, tables: PublishedTable[]): string {
  const lines = [
    `# ${info.title}`,
    "",
    `Dataset \`${info.name}\`, version ${info.version}. This folder is written as a whole by the pipeline's`,
    "publish stage and replaced atomically on every run; do not edit it by hand (only `report/`, written",
    "by another stage, is carried over).",
    "",
    `License: ${info.licenses.map((l) => `${l.title} (${l.name})`).join("; ")}.`,
    "",
    ...filesSection(),
    ...spreadsheetSection(),
    "## Reading the data",
    "",
    "```sql",
    "-- DuckDB, run in this folder",
    `SELECT * FROM '${parquetPath(FACT_TABLES[0]!)}';`,
    "ATTACH 'dataset.duckdb' AS ds (READ_ONLY);",
    `SELECT * FROM ds.${FACT_TABLES[0]};`,
    "```",
    "",
    ...viewsSection(),
    ...reviewQueueSection(),
    ...citationSection(info),
    ...caveatsSection(),
    "## Sources",
    "",
    ...(info.sources.length > 0
      ? info.sources.map((s) => `- ${s.title}${s.path ? ` (\`${s.path}\`)` : ""}${s.description ? `: ${s.description}` : ""}`)
      : ["- None listed."]),
    "",
    "## Tables",
    "",
    "| Table | Rows | Description |",
    "|---|---|---|",
    ...tables.map(({ def, rowCount }) => `| \`${def.name}\` | ${rowCount} | ${cell(def.description)} |`),
    "",
    ...tables.flatMap(tableSection),
  ];
  return lines.join("\n");
}
