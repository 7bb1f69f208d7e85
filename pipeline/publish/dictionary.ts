import type { PackageInfo } from "./datapackage.ts";
import type { PreparedTable } from "./rows.ts";

/** Makes text safe inside a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
}

const code = (names: string[]) => names.map((n) => `\`${n}\``).join(", ");

function tableSection({ def, columns, rows }: PreparedTable): string[] {
  const lines = [
    `### ${def.name}`,
    "",
    def.description,
    "",
    `Rows: ${rows.length}. Primary key: (${code(def.primaryKey)}).`,
  ];
  for (const fk of def.foreignKeys) {
    lines.push(`Foreign key: (${code(fk.fields)}) references \`${fk.reference.resource}\` (${code(fk.reference.fields)}).`);
  }
  lines.push(`Files: \`${def.name}.parquet\`, \`${def.name}.csv\`.`, "", "| Column | Type | Description |", "|---|---|---|");
  for (const c of columns) {
    const type = c.required ? `${c.sql}, required` : c.sql;
    const values = c.enum ? ` One of: ${c.enum.map((v) => `\`${v}\``).join(", ")}.` : "";
    lines.push(`| \`${c.name}\` | ${type} | ${cell(c.description + values)} |`);
  }
  lines.push("");
  return lines;
}

/** The folder's README: a data dictionary generated from the schemas. No timestamps, so it is reproducible. */
export function buildReadme(info: PackageInfo, tables: PreparedTable[]): string {
  const lines = [
    `# ${info.title}`,
    "",
    `Dataset \`${info.name}\`, version ${info.version}. This folder is written as a whole by the pipeline's`,
    "publish stage and replaced atomically on every run; do not edit it by hand (only `report/`, written",
    "by another stage, is carried over).",
    "",
    `License: ${info.licenses.map((l) => `${l.title} (${l.name})`).join("; ")}.`,
    "",
    "## Files",
    "",
    "- `<table>.parquet`: typed columns (DATE, DOUBLE, BIGINT, VARCHAR, BOOLEAN), zstd-compressed.",
    "- `<table>.csv`: RFC 4180, UTF-8 without BOM, CRLF line endings, header row, ISO dates (`YYYY-MM-DD`),",
    "  `.` decimal point, no thousands separators or exponents, booleans `true`/`false`. An empty cell is",
    "  null; `\"\"` is an empty text. Text cells that start with `=`, `+`, `-`, `@`, tab or carriage return",
    "  are prefixed with `'` so spreadsheets do not run them as formulas; Parquet and DuckDB keep the",
    "  original text. Decimals are written with at most 15 significant digits.",
    "- `dataset.duckdb`: every table in one DuckDB database, with table and column comments and",
    "  PRIMARY KEY constraints where every key column is required.",
    "- `datapackage.json`: Frictionless Data Package with one resource per table (the CSV; the Parquet",
    "  file under the resource's `parquet` property), field descriptions, keys, sources, sizes and SHA-256.",
    "- `README.md`: this data dictionary.",
    "",
    "## Reading the data",
    "",
    "```sql",
    "-- DuckDB, run in this folder",
    "SELECT * FROM 'trade_flows.parquet';",
    "ATTACH 'dataset.duckdb' AS ds (READ_ONLY);",
    "SELECT * FROM ds.trade_flows;",
    "```",
    "",
    "## Caveats",
    "",
    "- Every figure comes from a news article, not from an official statistical release; `evidence`",
    "  holds the exact quote, its position in the article and the article's own number for each figure.",
    "- Approximate figures (\"almost $1 billion\", \"over 2,000 tons\") keep the stated number and are",
    "  flagged in `qualifier` (`approx`, `at_least`, `at_most`).",
    "- Mirror-trade figures differ between reporters: one country's exports to another rarely equal the",
    "  other's recorded imports (timing, valuation, coverage). Rows keep each reporter's figure as stated;",
    "  they are not reconciled.",
    "- Currency conversions are recorded: `value_original` and `currency_original` keep the article's",
    "  figure, and `usd_rate_basis` says whether `value_usd` uses the rate the article states or the",
    "  annual-average reference rate.",
    "- Amounts are in base units (987900000, not 987.9 million); weights are in metric tonnes. Periods are",
    "  inclusive and null when the article gives no resolvable period (`qa_checks` says so).",
    "- Articles can disagree about the same fact: see `qa_checks` and `evidence.stated_value`.",
    "",
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
    ...tables.map(({ def, rows }) => `| \`${def.name}\` | ${rows.length} | ${cell(def.description)} |`),
    "",
    ...tables.flatMap(tableSection),
  ];
  return lines.join("\n");
}
