import { z } from "zod";
import { col, columnMeta, type ColumnMeta } from "./columns.ts";
import { FACT_TABLE_DEFS, ISO3, type AidItem, type FactTable, type FactTableDef, type RowOf } from "./registry.ts";

export * from "./registry.ts";

const [FIRST_FACT_TABLE, ...OTHER_FACT_TABLES] = FACT_TABLE_DEFS.map((f) => f.name);
/** The fact tables' names, in publishing order (never empty, so an enum can take them). */
export const FACT_TABLES: readonly [FactTable, ...FactTable[]] = [FIRST_FACT_TABLE!, ...OTHER_FACT_TABLES];

export const articles = z.object({
  article_id: col.key("Article id: front-matter id, else the file name without extension"),
  title: col.text("Headline, from front matter or the source registry"),
  publisher: col.text("Outlet that published the article"),
  url: col.text("Where the article was published"),
  published_date: col.date("Publication date; relative dates in the body are resolved against it. Null when unknown"),
  published_basis: col.text("How sure the publication date is (registry note), when known"),
  source_file: col.key("Input file name, relative to the input folder"),
  sha256: col.key("SHA-256 of the file's bytes"),
  n_chars: col.requiredInt("Body length in Unicode code points"),
  n_chrome_chars: col.int("Code points of the body classified as page chrome (menus, teasers, captions, datelines)"),
});

export const evidence = z.object({
  evidence_id: col.key("Stable id of this mention: hash of record, article and span"),
  record_id: col.key("The record this mention supports"),
  table_name: col.requiredOneOf(FACT_TABLES, "Table of the record"),
  article_id: col.key("Article the mention is in"),
  char_start: col.requiredInt("Start of the quote in the article body (code points, 0-based)"),
  char_end: col.requiredInt("End of the quote (exclusive)"),
  quote: col.key("body[char_start:char_end]: the sentence or clause that states the fact"),
  value_text: col.key("The number exactly as written"),
  field: col.key("Record column this number supports"),
  stated_value: col.double("This article's number for that column, in the column's unit"),
  rule: col.key("Id of the extraction rule that produced the mention, or review:<correction id> for a mention a reviewer stated, set or rejected (a rejected fact's mentions stay, under the record id its key had, with no record)"),
  confidence: col.double("0..1: how sure the rule is"),
});

export const growth_rates = z.object({
  growth_id: col.key("Stable id of this row: hash of its record, method and base (record or stated change)"),
  series_id: col.key("Hash of the series key (table, measure, countries, commodity, status)"),
  table_name: col.key("Table the series comes from"),
  measure: col.key("flow (export/import/turnover) or the measured column"),
  reporter_iso3: col.text(`Reporter (${ISO3})`),
  partner_iso3: col.text(`Partner (${ISO3})`),
  commodity: col.text("Commodity; null = all goods"),
  unit: col.text("USD or tonnes"),
  period_start: col.date("Current period start"),
  period_end: col.date("Current period end"),
  base_period_start: col.date("Base period start"),
  base_period_end: col.date("Base period end"),
  value: col.double("Value in the current period"),
  base_value: col.double("Value in the base period"),
  change_pct: col.double("(value / base_value - 1) * 100"),
  ratio: col.double("value / base_value"),
  method: col.requiredOneOf(["computed", "stated", "implied"], "computed from two reported values; stated by an article; implied: base back-computed from a stated change"),
  stated_change_pct: col.double("The change an article states, in percent"),
  consistent: col.bool("Whether the stated change agrees with the computed one within rounding; null when only one exists"),
  record_id: col.text("Record of the current value"),
  base_record_id: col.text("Record of the base value, when it exists"),
});

export const qa_checks = z.object({
  check_id: col.key("Stable id of this check"),
  check: col.key("Kind of check (turnover_sum, growth_consistency, conflict, unresolved_date, unknown_currency, unplaced_number, fx_nearest_year, ...)"),
  severity: col.requiredOneOf(["error", "warning", "info"], "How much an analyst should care"),
  passed: col.bool("For comparisons: whether the check passed"),
  table_name: col.text("Table concerned"),
  record_id: col.text("Record concerned"),
  article_id: col.text("Article concerned"),
  message: col.key("What was found, with the numbers"),
});

export const rejected = z.object({
  source_file: col.key("Input file that could not be used"),
  reason: col.key("Why"),
});

export const corrections_unmatched = z.object({
  correction_id: col.key("The correction's id (sources/corrections/*.csv)"),
  file: col.key("Corrections file, relative to the sources folder"),
  line: col.requiredInt("Line of that file the correction starts on"),
  action: col.requiredOneOf(["reject", "set", "add"], "What the correction does"),
  article_id: col.key("Article the correction targets"),
  table_name: col.requiredOneOf(FACT_TABLES, "Table the correction targets"),
  quote: col.key("The span of the article the correction looks for"),
  field: col.text("Column a set correction changes"),
  reason: col.key("Why it no longer applies: the article is gone, the quote is not found, the field does not exist, the value does not fit, or it matches several facts"),
});

export const countries = z.object({
  iso3: col.key(`${ISO3}: every code any other table uses`),
  name: col.text("Common English name, from the world-countries package; null for a code it does not list"),
  region: col.text("Region, from world-countries (Asia, Europe, ...)"),
  subregion: col.text("Subregion, from world-countries (Southern Asia, Central Asia, ...)"),
});

/** Columns of country codes are named `*_iso3`; the list columns hold several, sorted and separated by COUNTRY_LIST_SEPARATOR. */
const COUNTRY_COLUMN = /_iso3$/;
const COUNTRY_LIST_COLUMNS: ReadonlySet<string> = new Set(FACT_TABLE_DEFS.flatMap((f: FactTableDef) => f.countryLists ?? []));

export interface ForeignKey {
  fields: string[];
  reference: { resource: string; fields: string[] };
}

export interface TableDef {
  name: string;
  description: string;
  schema: z.ZodObject;
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

const toArticle: ForeignKey = { fields: ["article_id"], reference: { resource: "articles", fields: ["article_id"] } };

/** Every published table, in publishing order. */
export const TABLES: readonly TableDef[] = [
  { name: "articles", description: "The input articles: metadata and the hash of each file.", schema: articles, primaryKey: ["article_id"], foreignKeys: [] },
  ...FACT_TABLE_DEFS.flatMap((f: FactTableDef): TableDef[] => [{ name: f.name, description: f.description, schema: f.schema, primaryKey: ["record_id"], foreignKeys: [] }, ...(f.companions ?? [])]),
  { name: "evidence", description: "Provenance: one row per number mention that supports a record, with the exact quote.", schema: evidence, primaryKey: ["evidence_id"], foreignKeys: [toArticle] },
  { name: "growth_rates", description: "Growth of each series: computed from two values, stated by an article, or implied by a stated change.", schema: growth_rates, primaryKey: ["growth_id"], foreignKeys: [] },
  { name: "qa_checks", description: "Quality checks: sums, growth consistency, conflicts between articles, unresolved dates, unknown units, numbers not placed.", schema: qa_checks, primaryKey: ["check_id"], foreignKeys: [] },
  { name: "rejected", description: "Inputs the pipeline could not use, and why.", schema: rejected, primaryKey: ["source_file"], foreignKeys: [] },
  { name: "corrections_unmatched", description: "Human corrections (sources/corrections/) that no longer apply to any fact, and why; each has an error row in qa_checks.", schema: corrections_unmatched, primaryKey: ["correction_id"], foreignKeys: [] },
  { name: "countries", description: "Every country code used in the dataset, with its name and region (world-countries package), for joins. Built last, from the other tables.", schema: countries, primaryKey: ["iso3"], foreignKeys: [] },
].map(withCountryKeys);

/** The country-code columns of a table; `list` when a cell holds several codes. */
export function countryColumns(def: TableDef): { name: string; list: boolean }[] {
  return Object.keys(def.schema.shape).filter((name) => COUNTRY_COLUMN.test(name)).map((name) => ({ name, list: COUNTRY_LIST_COLUMNS.has(name) }));
}

/** A foreign key to countries for each single-code column (a list column cannot be one in a Data Package). */
function withCountryKeys(def: TableDef): TableDef {
  const keys = countryColumns(def).filter((c) => !c.list).map((c): ForeignKey => ({ fields: [c.name], reference: { resource: "countries", fields: ["iso3"] } }));
  return keys.length === 0 ? def : { ...def, foreignKeys: [...def.foreignKeys, ...keys] };
}

export type Articles = z.infer<typeof articles>;
export type Evidence = z.infer<typeof evidence>;
export type GrowthRate = z.infer<typeof growth_rates>;
export type QaCheck = z.infer<typeof qa_checks>;
export type Rejected = z.infer<typeof rejected>;
export type Country = z.infer<typeof countries>;
export type CorrectionUnmatched = z.infer<typeof corrections_unmatched>;

const FACT_DEFS: ReadonlyMap<string, FactTableDef> = new Map(FACT_TABLE_DEFS.map((f: FactTableDef) => [f.name, f]));

/** A fact table's registry entry, for the layers that apply its rules. */
export function factTable(name: string): FactTableDef {
  const def = FACT_DEFS.get(name);
  if (!def) throw new Error(`no fact table named ${name}`);
  return def;
}

/** The whole published dataset, one array of rows per table. */
export type Dataset = { [T in FactTable]: RowOf[T][] } & {
  articles: Articles[];
  aid_items: AidItem[];
  evidence: Evidence[];
  growth_rates: GrowthRate[];
  qa_checks: QaCheck[];
  rejected: Rejected[];
  corrections_unmatched: CorrectionUnmatched[];
};

export interface Column extends ColumnMeta {
  name: string;
}

/** The columns of a table, in order, with their storage metadata: what every writer iterates over. */
export function columnsOf(table: TableDef): Column[] {
  return Object.entries(table.schema.shape).map(([name, schema]) => ({ name, ...columnMeta(schema as z.ZodType) }));
}
