import { z } from "zod";
import { CORROBORATION_WEIGHT, REVIEW_BELOW } from "../reconcile/confidence.ts";
import { col, columnMeta, type ColumnMeta } from "./columns.ts";

const ISO3 = "ISO 3166-1 alpha-3 country code";
const PERIOD_START = "First day of the period the figure covers (inclusive); null when the article gives no resolvable period";
const PERIOD_END = "Last day of the period the figure covers (inclusive); null when unresolved";
const N_SOURCES = "Number of distinct articles that state this fact";
const AS_OF = "Publication date of the earliest article stating this fact (the first source, whatever figure it gave); null when none of its articles has a publication date";
const CONFIDENCE = `How sure the pipeline is of this record: per article, the evidence confidence of the record's main figure; across articles, the best one with each other article that states the same value closing ${CORROBORATION_WEIGHT} × its confidence of the remaining doubt (rounded to 2 decimals)`;
const NEEDS_REVIEW = `True when confidence is below ${REVIEW_BELOW} or the articles give different values for this fact (a conflict row in qa_checks)`;
const REVIEWED = "True when a human correction (sources/corrections/) applies to this record: a field set by a reviewer, or a fact a reviewer added; its evidence rows say which (rule review:<correction id>)";
const USD_RATE = "Exchange rate used to convert value_original into value_usd, in units of currency_original per US dollar; null when the amount is in USD or has no value. A stated rate is the ratio of the article's two figures, as precise as they were written";
const USD_RATE_BASES = ["stated", "annual_average", "nearest_year"] as const;
const USD_RATE_BASIS = "Where usd_rate comes from: stated (the article gives the amount in USD too), annual_average (the reference table's average for the period's year), nearest_year (the reference average of the nearest year it has; a qa_checks row says so)";
const USD_RATE_YEAR = "Year of the reference average used as usd_rate; null for a stated rate";
const RECORD_ID = "Stable id: hash of the fact's key (table, countries, direction, period, status, commodity), not of file order";

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

export const trade_flows = z.object({
  record_id: col.key(RECORD_ID),
  reporter_iso3: col.text(`Reporting country (${ISO3}). Exports are stored as the exporter's exports, imports as the importer's imports; a turnover's pair is in alphabetical order (AFG before KAZ), as everywhere in the dataset`),
  partner_iso3: col.text(`Partner country (${ISO3})`),
  flow: col.requiredOneOf(["export", "import", "turnover"], "export: goods from reporter to partner; import: goods from partner into reporter; turnover: both directions"),
  period_start: col.date(PERIOD_START),
  period_end: col.date(PERIOD_END),
  status: col.requiredOneOf(["reported", "target", "forecast", "potential"], "reported: a stated actual; target/forecast/potential: a projected figure"),
  value_usd: col.double("Value in whole US dollars (base units, not millions); converted at usd_rate when the article used another currency"),
  quantity_tonnes: col.double("Quantity in metric tonnes"),
  commodity: col.text("Commodity; null = all goods"),
  value_original: col.double("Value in the currency the article used (base units)"),
  currency_original: col.text("ISO 4217 code of the currency the article used"),
  usd_rate: col.double(USD_RATE),
  usd_rate_basis: col.oneOf(USD_RATE_BASES, USD_RATE_BASIS),
  usd_rate_year: col.int(USD_RATE_YEAR),
  qualifier: col.requiredOneOf(["exact", "approx", "at_least", "at_most"], "How the article qualifies the number (\"almost\", \"over\", ...)"),
  n_sources: col.requiredInt(N_SOURCES),
  as_of: col.date(AS_OF),
  confidence: col.fraction(CONFIDENCE),
  needs_review: col.requiredBool(NEEDS_REVIEW),
  reviewed: col.requiredBool(REVIEWED),
});

export const aid_shipments = z.object({
  record_id: col.key(RECORD_ID),
  donor_iso3: col.text(`Donor country (${ISO3}); null when only an agency is named`),
  recipient_iso3: col.text(`Recipient country (${ISO3})`),
  kind: col.requiredOneOf(["shipment", "aggregate", "pledge"], "shipment: one delivery; aggregate: a total over a span; pledge: allocated or promised"),
  event_date: col.date("The day stated for the delivery, else null"),
  period_start: col.date(PERIOD_START),
  period_end: col.date(PERIOD_END),
  weight_tonnes: col.double("Weight in metric tonnes"),
  value_usd: col.double("Value in whole US dollars; converted at usd_rate when the article used another currency"),
  value_original: col.double("Value in the currency the article used"),
  currency_original: col.text("ISO 4217 code of the currency the article used"),
  usd_rate: col.double(USD_RATE),
  usd_rate_basis: col.oneOf(USD_RATE_BASES, USD_RATE_BASIS),
  usd_rate_year: col.int(USD_RATE_YEAR),
  railcars: col.int("Number of railway wagons/cars/tankers"),
  transport_mode: col.oneOf(["rail", "air", "road"], "How the aid travelled"),
  items: col.text("Normalized item names, '; '-separated"),
  channel: col.text("Agency or programme the aid went through (e.g. KazAID, WFP)"),
  place: col.text("Place of delivery or handover, from the gazetteer"),
  qualifier: col.requiredOneOf(["exact", "approx", "at_least", "at_most"], "How the article qualifies the main number"),
  n_sources: col.requiredInt(N_SOURCES),
  as_of: col.date(AS_OF),
  confidence: col.fraction(CONFIDENCE),
  needs_review: col.requiredBool(NEEDS_REVIEW),
  reviewed: col.requiredBool(REVIEWED),
});

export const aid_items = z.object({
  record_id: col.key("The aid_shipments record this item belongs to"),
  item: col.key("Normalized item name"),
  quantity: col.double("Quantity in `unit`"),
  unit: col.text("t (tonnes), kg, l (liters), pcs, sets, ..."),
});

export const contracts = z.object({
  record_id: col.key(RECORD_ID),
  parties_iso3: col.text(`Countries of the parties (${ISO3}), in alphabetical order, ';'-separated`),
  seller_iso3: col.text(`Country that supplies the goods under the deal (${ISO3}), where the text says who supplies whom; null otherwise`),
  buyer_iso3: col.text(`Country that receives the goods under the deal (${ISO3}), where the text says who supplies whom; null otherwise`),
  event_date: col.date("Day of signing, when stated or told relative to publication ('on Monday', 'yesterday'); null for a day only reported ('said on Monday')"),
  period_start: col.date("First day of the span the deal was made in when the text gives a span, not a day ('last week' = Monday to Sunday of the week before publication's, 'earlier this week', 'signed in 2023'); else null"),
  period_end: col.date("Last day of that span (inclusive); null when none is given"),
  place: col.text("Where it was signed"),
  value_usd: col.double("Total value in whole US dollars; converted at usd_rate when the article used another currency"),
  value_original: col.double("Value in the currency the article used"),
  currency_original: col.text("ISO 4217 code of the currency the article used"),
  usd_rate: col.double(USD_RATE),
  usd_rate_basis: col.oneOf(USD_RATE_BASES, USD_RATE_BASIS),
  usd_rate_year: col.int(USD_RATE_YEAR),
  n_contracts: col.int("Number of contracts/agreements the value covers"),
  commodity: col.text("Goods the contracts cover"),
  quantity_tonnes: col.double("Quantity in metric tonnes"),
  status: col.requiredOneOf(["signed", "planned"], "signed, or announced to be signed"),
  qualifier: col.requiredOneOf(["exact", "approx", "at_least", "at_most"], "How the article qualifies the main number"),
  n_sources: col.requiredInt(N_SOURCES),
  as_of: col.date(AS_OF),
  confidence: col.fraction(CONFIDENCE),
  needs_review: col.requiredBool(NEEDS_REVIEW),
  reviewed: col.requiredBool(REVIEWED),
});

export const grants = z.object({
  record_id: col.key(RECORD_ID),
  donor_iso3: col.text(`Country offering the grants or hosting the students (${ISO3})`),
  recipient_iso3: col.text(`Country of the students (${ISO3})`),
  program: col.text("Programme or memorandum named, if any"),
  grants_per_year: col.int("Educational grants/scholarships per year"),
  students: col.int("Students studying in the donor country"),
  institutions: col.int("Host institutions (universities)"),
  period_start: col.date(PERIOD_START),
  period_end: col.date(PERIOD_END),
  status: col.requiredOneOf(["current", "planned"], "current, or planned/proposed"),
  qualifier: col.requiredOneOf(["exact", "approx", "at_least", "at_most"], "How the article qualifies the main number (\"more than 450 students\": at_least)"),
  n_sources: col.requiredInt(N_SOURCES),
  as_of: col.date(AS_OF),
  confidence: col.fraction(CONFIDENCE),
  needs_review: col.requiredBool(NEEDS_REVIEW),
  reviewed: col.requiredBool(REVIEWED),
});

export const evidence = z.object({
  evidence_id: col.key("Stable id of this mention: hash of record, article and span"),
  record_id: col.key("The record this mention supports"),
  table_name: col.requiredOneOf(["trade_flows", "aid_shipments", "contracts", "grants"], "Table of the record"),
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
  table_name: col.requiredOneOf(["trade_flows", "aid_shipments", "contracts", "grants"], "Table the correction targets"),
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
const COUNTRY_LIST_COLUMNS: ReadonlySet<string> = new Set(["parties_iso3"]);
export const COUNTRY_LIST_SEPARATOR = ";";

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
  { name: "trade_flows", description: "Bilateral trade in goods between two countries over a period, reported or projected.", schema: trade_flows, primaryKey: ["record_id"], foreignKeys: [] },
  { name: "aid_shipments", description: "Humanitarian aid from a donor country (or through an agency) to a recipient country.", schema: aid_shipments, primaryKey: ["record_id"], foreignKeys: [] },
  { name: "aid_items", description: "Itemized quantities inside an aid shipment.", schema: aid_items, primaryKey: ["record_id", "item", "unit"], foreignKeys: [{ fields: ["record_id"], reference: { resource: "aid_shipments", fields: ["record_id"] } }] },
  { name: "contracts", description: "Signed or announced commercial contracts and agreements with a value or quantity.", schema: contracts, primaryKey: ["record_id"], foreignKeys: [] },
  { name: "grants", description: "Educational grants, scholarships and student numbers.", schema: grants, primaryKey: ["record_id"], foreignKeys: [] },
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
export type TradeFlow = z.infer<typeof trade_flows>;
export type AidShipment = z.infer<typeof aid_shipments>;
export type AidItem = z.infer<typeof aid_items>;
export type Contract = z.infer<typeof contracts>;
export type Grant = z.infer<typeof grants>;
export type Evidence = z.infer<typeof evidence>;
export type GrowthRate = z.infer<typeof growth_rates>;
export type QaCheck = z.infer<typeof qa_checks>;
export type Rejected = z.infer<typeof rejected>;
export type Country = z.infer<typeof countries>;
export type CorrectionUnmatched = z.infer<typeof corrections_unmatched>;

export type FactTable = "trade_flows" | "aid_shipments" | "contracts" | "grants";
export const FACT_TABLES: readonly FactTable[] = ["trade_flows", "aid_shipments", "contracts", "grants"];

/** The whole published dataset, one array of rows per table. */
export interface Dataset {
  articles: Articles[];
  trade_flows: TradeFlow[];
  aid_shipments: AidShipment[];
  aid_items: AidItem[];
  contracts: Contract[];
  grants: Grant[];
  evidence: Evidence[];
  growth_rates: GrowthRate[];
  qa_checks: QaCheck[];
  rejected: Rejected[];
  corrections_unmatched: CorrectionUnmatched[];
}

export interface Column extends ColumnMeta {
  name: string;
}

/** The columns of a table, in order, with their storage metadata: what every writer iterates over. */
export function columnsOf(table: TableDef): Column[] {
  return Object.entries(table.schema.shape).map(([name, schema]) => ({ name, ...columnMeta(schema as z.ZodType) }));
}
