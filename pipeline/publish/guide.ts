import type { PackageInfo } from "./datapackage.ts";
import { combineConfidence, CORROBORATION_WEIGHT, REVIEW_BELOW } from "../reconcile/confidence.ts";
import { WORKBOOK_PATH } from "./paths.ts";
import { VIEWS } from "./views.ts";
import { EXCEL_MAX_CELL_CHARS, EXCEL_MAX_ROWS, FACTS_SHEET } from "./workbook.ts";

/** The prose parts of the output README: files, spreadsheets, views, citation, caveats. */

/** Makes text safe inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
}

export function filesSection(): string[] {
  return [
    "## Files",
    "",
    "- `<table>.parquet`: typed columns (DATE, DOUBLE, BIGINT, VARCHAR, BOOLEAN), zstd-compressed.",
    "- `<table>.arrow`: the same columns as an Arrow IPC file (Feather v2; Utf8, Date32, Float64, Int64, Bool),",
    "  for `pyarrow.feather.read_table`, `polars.read_ipc` or R's `arrow::read_feather`.",
    "- `<table>.csv`: RFC 4180, UTF-8 without BOM, CRLF line endings, header row, ISO dates (`YYYY-MM-DD`),",
    "  `.` decimal point, no thousands separators or exponents, booleans `true`/`false`. An empty cell is",
    "  null; `\"\"` is an empty text. Text cells that start with `=`, `+`, `-`, `@`, tab or carriage return",
    "  are prefixed with `'` so spreadsheets do not run them as formulas; Parquet and DuckDB keep the",
    "  original text. Decimals are written with at most 15 significant digits.",
    `- \`${WORKBOOK_PATH}\`: the tables for spreadsheet programs, a sheet each after a \`${FACTS_SHEET}\` sheet (see`,
    "  *Opening the data in a spreadsheet*), when every sheet fits a spreadsheet.",
    "- `dataset.duckdb`: every table in one DuckDB database, with table and column comments and the",
    "  convenience views below. Each table's comment states its primary and foreign keys; they are checked",
    "  when the dataset is published, not declared as constraints (DuckDB would hold their indexes in memory).",
    "- `datapackage.json`: Frictionless Data Package with one resource per table (the CSV; the Parquet and",
    "  Arrow files under the resource's `parquet` and `arrow` properties), the workbook under the package's",
    "  `workbook` property, field descriptions, keys, sources, sizes and SHA-256.",
    "- `README.md`: this data dictionary.",
    "- `report/`: the analyses (`notebooks/`) as static HTML pages with charts, each chart and table",
    "  listing the record_ids and articles it comes from; built by `npm run notebooks`, which",
    "  `npm run pipeline` runs after publishing.",
    "",
  ];
}

export function spreadsheetSection(): string[] {
  return [
    "## Opening the data in a spreadsheet",
    "",
    `Open \`${WORKBOOK_PATH}\` in Excel, LibreOffice Calc or Numbers. Its first sheet, \`${FACTS_SHEET}\`, holds every fact of the`,
    "four fact tables once per evidence row (the view `v_facts_with_sources`): the fact's columns with each country",
    "code followed by the country's name (`reporter_name`, `parties_name`, ...), then the quote, the number as",
    "written, and the article's title, publisher, url and publication date. One sheet per table follows, named",
    "like it, with the columns of its CSV.",
    "",
    "- Cells are typed: amounts and counts are numbers in base units, dates are dates shown as `yyyy-mm-dd`,",
    "  booleans are TRUE/FALSE, and text stays text even when it looks like a number (`value_text` \"2,000\",",
    "  an id made only of digits). Empty cells are nulls.",
    "- The header row is frozen and carries filter buttons.",
    "- A text that starts with `=`, `+`, `-` or `@` gets a leading `'`, as in the CSVs, so that it stays text",
    "  when the cell is edited or the sheet saved as CSV.",
    `- A sheet holds at most ${EXCEL_MAX_ROWS.toLocaleString("en-US")} rows, header included (Excel's limit): when a table (or the facts`,
    "  sheet) has more, no workbook is published, as no spreadsheet could open it whole; use the Parquet, Arrow or",
    `  DuckDB files. A cell holds at most ${EXCEL_MAX_CELL_CHARS.toLocaleString("en-US")} characters: a longer text is cut there and ends in \`…\`; the CSV`,
    "  and Parquet files keep it whole.",
    "",
    "The CSVs are for data tools: UTF-8 without a byte order mark, one type per column only in",
    "`datapackage.json`. Opened with a spreadsheet's default import they come out wrong, whatever their",
    "encoding: LibreOffice reads them in a legacy code page (`Zhumangarin’s` turns into `Zhumangarinâ€™s`, even",
    "behind a byte order mark) and guesses types (`value_text` \"2,000\" becomes the number 2000). Use the",
    "workbook, or import a CSV as UTF-8 with its columns' types set.",
    "",
  ];
}

export function viewsSection(): string[] {
  return [
    "## Views in dataset.duckdb",
    "",
    "Built from the tables when the dataset is published (the data files do not depend on them):",
    "",
    "| View | What it holds |",
    "|---|---|",
    ...VIEWS.map((v) => `| \`${v.name}\` | ${cell(v.description)} |`),
    "",
    "```sh",
    "npm run query -- \"SELECT * FROM v_annual_trade\"   # from the project folder: prints a text table",
    "```",
    "",
  ];
}

export function citationSection(info: PackageInfo): string[] {
  const license = info.licenses.map((l) => l.name).join(", ");
  return [
    "## How to cite",
    "",
    "Cite the dataset with its name and version, and the articles the figures you use come from:",
    "",
    `> ${info.title}. Dataset \`${info.name}\`, version ${info.version}. ${license}.`,
    "",
    "Every figure traces to the article sentence that states it: `evidence` gives the quote and",
    "`articles` the title, publisher, url and publication date. For the sources of one record:",
    "",
    "```sql",
    "SELECT DISTINCT publisher, title, url, published_date FROM v_facts_with_sources WHERE record_id = '...';",
    "```",
    "",
  ];
}

export function caveatsSection(): string[] {
  return [
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
    "  figure, `usd_rate` the rate used (units of that currency per US dollar) and `usd_rate_basis` where it",
    "  comes from: the article's own USD figure (`stated`; the rate is the ratio of its two figures, as",
    "  precise as they were written), the annual-average reference rate of the period's year",
    "  (`annual_average`), or that of the nearest year the reference table has (`nearest_year`);",
    "  `usd_rate_year` is the reference rate's year. All three are empty for an amount stated in USD.",
    "- `value_usd` is in whole dollars. Derived numbers carry no more precision than their inputs: a stated",
    "  rate, an implied base (`growth_rates.base_value` of `implied` rows) and a computed `ratio` or",
    "  `change_pct` are rounded to the last digit the figures they come from support ($9.1 million after",
    "  +82.6% implies 4980000, not 4983570.7).",
    "- Non-directional pairs have one order everywhere (tables, views, report): a turnover's countries are",
    "  alphabetical (`reporter_iso3` AFG, `partner_iso3` KAZ), as are a contract's `parties_iso3`.",
    "- `countries` holds every code the tables use, with its name and region (world-countries package); the",
    "  views `v_series_points`, `v_annual_trade` and `v_targets_vs_actuals` carry `reporter_name` and",
    "  `partner_name` from it.",
    "- Amounts are in base units (987900000, not 987.9 million); weights are in metric tonnes. Periods are",
    "  inclusive.",
    "- Unresolved dates stay null: a period the article does not state, or a relative date (\"last year\")",
    "  in an article with no publication date, is left empty and `qa_checks` says so; nothing is guessed.",
    "- Page chrome (menus, \"Latest news\" lists, teasers, captions that repeat the body, datelines) is",
    "  excluded: no figure comes from it; `articles.n_chrome_chars` says how much of each article it was.",
    "- Articles can disagree about the same fact: see `qa_checks` and `evidence.stated_value`.",
    "- `confidence` (0..1) says how sure the extraction is that it read a record right, not how true the",
    "  figure is. Each evidence row carries the confidence its extraction rule gave it (lower when a country,",
    "  period or status was inferred from context rather than stated); an article's confidence in a record is",
    "  that of its evidence for the record's main figure (value, else tonnage, railcars, contract count or",
    "  grant count). Across articles that state the same value, the best one counts in full and each other",
    `  closes ${CORROBORATION_WEIGHT} × its confidence of the remaining doubt (0.9 and 0.9 give ${combineConfidence([0.9, 0.9])}): restatements`,
    "  often copy one press release, so corroboration raises confidence only a little, and never past 1.",
    "  Rounded to 2 decimals, like the evidence confidences it is computed from.",
    `- \`needs_review\` is true when \`confidence\` is below ${REVIEW_BELOW} or the articles give different values for`,
    "  the fact (a `conflict` row in `qa_checks`). `SELECT * FROM v_facts WHERE needs_review` lists them.",
    "",
  ];
}
