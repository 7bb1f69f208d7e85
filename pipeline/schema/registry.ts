/**
 * The fact-table registry: one entry per fact table, holding its schema and every rule the other layers
 * apply to it (merge key and measures, events and conflicts, canonical order, derivation group, series for
 * the views, eval fields and matching). The layers read these entries instead of naming tables, so a new fact
 * table is one entry here plus its extraction rules.
 */
import { z } from "zod";
import { amount, anyCountry, anyParties, flowAgrees, given, periodAgrees, projected, sortedParties, type Annotations } from "../eval/rules.ts";
import { CORROBORATION_WEIGHT, REVIEW_BELOW } from "../reconcile/confidence.ts";
import type { ExtractedFact } from "../types.ts";
import { col } from "./columns.ts";
import type { TableDef } from "./tables.ts";

export const ISO3 = "ISO 3166-1 alpha-3 country code";
const PERIOD_START = "First day of the period the figure covers (inclusive); null when the article gives no resolvable period";
const PERIOD_END = "Last day of the period the figure covers (inclusive); null when unresolved";
const N_SOURCES = "Number of distinct articles that state this fact";
const AS_OF = "Publication date of the earliest article stating this fact (the first source, whatever figure it gave); null when none of its articles has a publication date";
const CONFIDENCE = `How sure the pipeline is of this record: per article, the evidence confidence of the record's main figure; across articles, the best one with each other article that states the same value closing ${CORROBORATION_WEIGHT} × its confidence of the remaining doubt (rounded to 2 decimals)`;
const NEEDS_REVIEW = `True when confidence is below ${REVIEW_BELOW} or the articles give different values for this fact (a conflict row in qa_checks)`;
const REVIEWED = "True when a human correction (sources/corrections/) applies to this record: a field set by a reviewer, or a fact a reviewer added; its evidence rows say which (rule review:<correction id>)";
const USD_RATE = "Exchange rate used to convert value_original into value_usd, in units of currency_original per US dollar; null when the amount is in USD or has no value. A stated rate is the ratio of the article's two figures, as precise as they were written";
const USD_RATE_BASES = ["stated", "annual_average", "nearest_year"] as const;
/** How an article qualifies a number ("almost", "over", ...), a column of every fact table. */
const QUALIFIERS = ["exact", "approx", "at_least", "at_most"] as const;
const USD_RATE_BASIS = "Where usd_rate comes from: stated (the article gives the amount in USD too), annual_average (the reference table's average for the period's year), nearest_year (the reference average of the nearest year it has; a qa_checks row says so)";
const USD_RATE_YEAR = "Year of the reference average used as usd_rate; null for a stated rate";
const RECORD_ID = "Stable id: hash of the fact's key (table, countries, direction, period, status, commodity), not of file order";

/** Separator of the codes in a country-list column (parties_iso3): sorted, no repeats. */
export const COUNTRY_LIST_SEPARATOR = ";";

/** The columns of every fact table that reconciliation computes for a record (no correction sets them), built anew per table. */
export const recordColumns = {
  record_id: () => col.key(RECORD_ID),
  n_sources: () => col.requiredInt(N_SOURCES),
  as_of: () => col.date(AS_OF),
  confidence: () => col.fraction(CONFIDENCE),
  needs_review: () => col.requiredBool(NEEDS_REVIEW),
  reviewed: () => col.requiredBool(REVIEWED),
  /** The columns every fact table ends with, in this order: how many articles, when, how sure, whether a person looked. */
  provenance() {
    return { n_sources: this.n_sources(), as_of: this.as_of(), confidence: this.confidence(), needs_review: this.needs_review(), reviewed: this.reviewed() };
  },
};

export const trade_flows = z.object({
  record_id: recordColumns.record_id(),
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
  qualifier: col.requiredOneOf(QUALIFIERS, "How the article qualifies the number (\"almost\", \"over\", ...)"),
  ...recordColumns.provenance(),
});

export const aid_shipments = z.object({
  record_id: recordColumns.record_id(),
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
  qualifier: col.requiredOneOf(QUALIFIERS, "How the article qualifies the main number"),
  ...recordColumns.provenance(),
});

export const aid_items = z.object({
  record_id: col.key("The aid_shipments record this item belongs to"),
  item: col.key("Normalized item name"),
  quantity: col.double("Quantity in `unit`"),
  unit: col.text("t (tonnes), kg, l (liters), pcs, sets, ..."),
});

export const contracts = z.object({
  record_id: recordColumns.record_id(),
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
  qualifier: col.requiredOneOf(QUALIFIERS, "How the article qualifies the main number"),
  ...recordColumns.provenance(),
});

export const grants = z.object({
  record_id: recordColumns.record_id(),
  donor_iso3: col.text(`Country offering the grants or hosting the students (${ISO3})`),
  recipient_iso3: col.text(`Country of the students (${ISO3})`),
  program: col.text("Programme or memorandum named, if any"),
  grants_per_year: col.int("Educational grants/scholarships per year"),
  students: col.int("Students studying in the donor country"),
  institutions: col.int("Host institutions (universities)"),
  period_start: col.date(PERIOD_START),
  period_end: col.date(PERIOD_END),
  status: col.requiredOneOf(["current", "planned"], "current, or planned/proposed"),
  qualifier: col.requiredOneOf(QUALIFIERS, "How the article qualifies the main number (\"more than 450 students\": at_least)"),
  ...recordColumns.provenance(),
});

type Fields = ExtractedFact["fields"];
type Cells = Record<string, unknown>;

/** A fact's main figure: the measure it is in (part of its merge key) and the number. */
export interface Measured {
  name: string;
  value: number | null;
}

/**
 * Who trades with whom in a series: two country columns, or a sorted country-list column whose first code is
 * the reporter and the rest (';'-separated, null when none) the partner.
 */
export type SeriesPair = { from: string; to: string } | { list: string };

/**
 * How a fact table maps onto a series in the views and the API, all by column name: who trades with whom,
 * what is counted (null: the amount column), which status column values are actuals, and which actual kinds
 * a projected kind may be measured against (`compares`).
 */
export interface SeriesShape {
  pair: SeriesPair;
  measure: string | null;
  status: string;
  actual: string[];
  compares: Record<string, string[]>;
  commodity: string | null;
}

/** A gold fact of a table: any of its columns, the coder's annotations, and the strictly typed key fields. */
export type GoldFact<S extends z.ZodObject, G extends z.ZodRawShape> = Partial<z.output<S>> & Annotations & z.output<z.ZodObject<G>>;

export interface FactTableDef<N extends string = string, S extends z.ZodObject = z.ZodObject, G extends z.ZodRawShape = z.ZodRawShape> {
  name: N;
  description: string;
  schema: S;
  /** Tables published right after this one whose rows belong to its records (aid_items). */
  companions?: readonly TableDef[];
  /** Columns holding several country codes (COUNTRY_LIST_SEPARATOR); every other `*_iso3` column holds one. */
  countryLists?: readonly string[];
  /** The measures a fact's main figure may be in, and the column holding each (what confidence is taken from). */
  measures: Readonly<Record<string, string>>;
  primaryMeasure(f: ExtractedFact): Measured;
  /** The columns that make two mentions candidates for one fact, before their values are compared. */
  key: readonly string[];
  /** An undated fact is only matched within its own article ("last year" in two undated articles need not be one year). */
  undatedWithinArticle?: boolean;
  /** Events (one delivery, one signing) are told apart by day, place and figure (reconcile/events.ts), keyed without dates. */
  event?: { when?: (fields: Fields) => boolean; key?: readonly string[]; side: readonly string[] };
  /**
   * When a dated key's mentions give different values: one fact stated two ways (a conflict), or, across
   * articles only, one total (one article listing two values means two facts). Absent: different facts.
   */
  datedConflict?: "one_fact" | "one_fact_across_articles";
  /** Non-directional pairs in the one canonical order; the changed columns, or null when already in order. */
  canonical?: (fields: Fields) => Fields | null;
  /** A rule across a published row's cells the column schemas cannot state: a message when the row breaks it. */
  rowCheck?: (row: Cells) => string | null;
  /** Which records derive together (growth series, sums); null: a record of its own. */
  derivationGroup?: (row: Cells) => string | null;
  /** The amount columns, in order, with their units: the series points of the views and the numbers eval compares. */
  amounts: Readonly<Record<string, string>>;
  series: SeriesShape;
  eval: {
    /** Identifying fields shown in eval reports next to the amounts (not all of them are scored). */
    keys: readonly string[];
    /** The gold fields typed strictly, beyond the table's own columns. */
    gold: G;
    /** Whether a gold fact's key fields accept a predicted row (amounts are compared apart). */
    matches(g: GoldFact<S, G>, p: z.output<S>): boolean;
    /** The head of a one-line description of a fact, before commodity and numbers. */
    describe(v: (k: string) => string, f: Cells, period: string): string[];
    /** Whether a predicted row is scored at all (default: always). */
    scored?(row: z.output<S>): boolean;
  };
}

/** Keeps an entry's name and schema types, so row and gold types derive from the registry. */
function fact<N extends string, S extends z.ZodObject, G extends z.ZodRawShape>(def: FactTableDef<N, S, G>): FactTableDef<N, S, G> {
  return def;
}

/** Whether a non-directional pair is in the dataset's one order: alphabetical, a missing code last. */
function inOrder(codes: unknown[]): boolean {
  const present = codes.filter((c) => c !== null);
  return present.length === new Set(present).size && codes.every((c, i) => i === 0 || c === null || (codes[i - 1] !== null && (codes[i - 1] as string) < (c as string)));
}

/** Orders two country codes alphabetically with a missing one last, as rowCheck checks them. */
const byCode = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

const usd = (f: ExtractedFact): Measured => ({ name: "usd", value: (f.fields.value_usd as number | null) ?? f.money?.amount ?? null });

/** The first of the (measure, column) pairs whose column a fact states, else `fallback`: amounts ranked in a fixed order. */
function firstStated(f: ExtractedFact, measures: readonly (readonly [string, string])[], fallback: Measured): Measured {
  for (const [name, column] of measures) if (f.fields[column] !== null) return { name, value: f.fields[column] as number };
  return fallback;
}

const USD_AND_TONNES = { value_usd: "USD", quantity_tonnes: "tonnes" } as const;

/** Every fact table, in publishing order. */
export const FACT_TABLE_DEFS = [
  fact({
    name: "trade_flows",
    description: "Bilateral trade in goods between two countries over a period, reported or projected.",
    schema: trade_flows,
    measures: { usd: "value_usd", tonnes: "quantity_tonnes" },
    primaryMeasure: (f) => (f.fields.value_usd !== null || f.money ? usd(f) : { name: "tonnes", value: f.fields.quantity_tonnes as number | null }),
    key: ["flow", "reporter_iso3", "partner_iso3", "period_start", "period_end", "status", "commodity"],
    undatedWithinArticle: true,
    datedConflict: "one_fact",
    canonical: (v) => {
      if (v.flow !== "turnover") return null;
      const [reporter, partner] = [(v.reporter_iso3 as string | null) ?? null, (v.partner_iso3 as string | null) ?? null];
      return byCode(reporter, partner) > 0 ? { reporter_iso3: partner, partner_iso3: reporter } : null;
    },
    rowCheck: (row) => (row.flow === "turnover" && !inOrder([row.reporter_iso3, row.partner_iso3]) ? `turnover pair ${row.reporter_iso3}, ${row.partner_iso3} is not in alphabetical order` : null),
    // A growth series (flow, pair, commodity, unit) and a turnover sum (one pair and period, no commodity) never leave a dated flow's pair and commodity.
    derivationGroup: (row) => (row.period_start === null ? null : JSON.stringify([[row.reporter_iso3, row.partner_iso3].sort(), row.commodity])),
    amounts: USD_AND_TONNES,
    series: {
      pair: { from: "reporter_iso3", to: "partner_iso3" },
      measure: "flow",
      status: "status",
      actual: ["reported"],
      compares: { target: ["reported"], forecast: ["reported"], potential: ["reported"] },
      commodity: "commodity",
    },
    eval: {
      keys: ["flow", "reporter_iso3", "partner_iso3", "period_start", "period_end", "status", "commodity"],
      gold: {
        flow: z.enum(["export", "import", "turnover"]),
        reporter_iso3: anyCountry,
        partner_iso3: anyCountry,
        status: z.enum(["reported", "target", "forecast", "potential"]),
        value_usd: amount,
        quantity_tonnes: amount,
      },
      matches: (g, p) =>
        flowAgrees(g.flow, g.reporter_iso3 ?? null, g.partner_iso3 ?? null, p.flow, p.reporter_iso3, p.partner_iso3) &&
        projected(g.status) === projected(p.status) &&
        periodAgrees(g.period_start ?? null, g.period_end ?? null, g.period_alt ?? [], p.period_start, p.period_end),
      describe: (v, f, period) => {
        const pair = f.flow === "turnover" ? `${v("reporter_iso3")}↔${v("partner_iso3")}` : f.flow === "import" ? `${v("reporter_iso3")}←${v("partner_iso3")}` : `${v("reporter_iso3")}→${v("partner_iso3")}`;
        return [v("flow"), pair, period, v("status")];
      },
      // The spec scores only bilateral trade: no partner, the world (WLD) or no reporter is not a flow between two countries.
      scored: (row) => row.reporter_iso3 !== null && row.partner_iso3 !== null && row.partner_iso3 !== "WLD",
    },
  }),
  fact({
    name: "aid_shipments",
    description: "Humanitarian aid from a donor country (or through an agency) to a recipient country.",
    schema: aid_shipments,
    companions: [{ name: "aid_items", description: "Itemized quantities inside an aid shipment.", schema: aid_items, primaryKey: ["record_id", "item", "unit"], foreignKeys: [{ fields: ["record_id"], reference: { resource: "aid_shipments", fields: ["record_id"] } }] }],
    measures: { tonnes: "weight_tonnes", railcars: "railcars", usd: "value_usd" },
    primaryMeasure: (f) => firstStated(f, [["tonnes", "weight_tonnes"], ["railcars", "railcars"]], usd(f)),
    key: ["donor_iso3", "recipient_iso3", "kind", "event_date", "period_start", "period_end"],
    // An aggregate is a total over a stated period, which is part of its key like a trade flow's.
    event: { when: (v) => v.kind !== "aggregate", key: ["donor_iso3", "recipient_iso3", "kind"], side: ["weight_tonnes", "railcars", "value_usd"] },
    datedConflict: "one_fact_across_articles",
    amounts: { weight_tonnes: "tonnes", value_usd: "USD", railcars: "railcars" },
    // A pledge is a total promised, so it is measured against delivered totals (aggregate), never against one shipment.
    series: { pair: { from: "donor_iso3", to: "recipient_iso3" }, measure: null, status: "kind", actual: ["shipment", "aggregate"], compares: { pledge: ["aggregate"] }, commodity: null },
    eval: {
      keys: ["donor_iso3", "recipient_iso3", "kind", "event_date", "period_start", "period_end"],
      gold: {
        donor_iso3: anyCountry,
        recipient_iso3: anyCountry,
        kind: z.enum(["shipment", "aggregate", "pledge"]),
        weight_tonnes: amount,
        value_usd: amount,
        railcars: amount,
        aid_items: z.array(z.strictObject({ item: z.string().min(1), quantity: z.number().finite(), unit: z.string().min(1) })).optional(),
      },
      matches: (g, p) => given(g.donor_iso3, p.donor_iso3) && given(g.recipient_iso3, p.recipient_iso3) && (g.kind === "aggregate") === (p.kind === "aggregate"),
      describe: (v, f, period) => [v("kind"), `${v("donor_iso3")}→${v("recipient_iso3")}`, f.event_date == null ? period : v("event_date")],
    },
  }),
  fact({
    name: "contracts",
    description: "Signed or announced commercial contracts and agreements with a value or quantity.",
    schema: contracts,
    countryLists: ["parties_iso3"],
    measures: { usd: "value_usd", tonnes: "quantity_tonnes", count: "n_contracts" },
    primaryMeasure: (f) => (f.money ? usd(f) : firstStated(f, [["tonnes", "quantity_tonnes"]], { name: "count", value: f.fields.n_contracts as number | null })),
    key: ["parties_iso3", "status"],
    event: { side: ["value_usd", "quantity_tonnes", "n_contracts"] },
    canonical: (v) => {
      if (typeof v.parties_iso3 !== "string") return null;
      const sorted = [...new Set(v.parties_iso3.split(COUNTRY_LIST_SEPARATOR))].sort().join(COUNTRY_LIST_SEPARATOR);
      return sorted === v.parties_iso3 ? null : { parties_iso3: sorted };
    },
    rowCheck: (row) => (typeof row.parties_iso3 === "string" && !inOrder(row.parties_iso3.split(COUNTRY_LIST_SEPARATOR)) ? `parties_iso3 "${row.parties_iso3}" is not sorted without repeats` : null),
    amounts: { ...USD_AND_TONNES, n_contracts: "contracts" },
    // parties_iso3 is sorted and ';'-separated: the first party, then the rest. A planned deal is not measured by other signed deals.
    series: {
      pair: { list: "parties_iso3" },
      measure: null,
      status: "status",
      actual: ["signed"],
      compares: {},
      commodity: "commodity",
    },
    eval: {
      keys: ["parties_iso3", "status", "commodity"],
      gold: { parties_iso3: anyParties, value_usd: amount, quantity_tonnes: amount, n_contracts: amount },
      matches: (g, p) => g.parties_iso3 == null || sortedParties(g.parties_iso3) === sortedParties(p.parties_iso3),
      describe: (v) => [v("status"), v("parties_iso3")],
    },
  }),
  fact({
    name: "grants",
    description: "Educational grants, scholarships and student numbers.",
    schema: grants,
    measures: { grants_per_year: "grants_per_year", students: "students", institutions: "institutions" },
    primaryMeasure: (f) => firstStated(f, [["grants_per_year", "grants_per_year"], ["students", "students"], ["institutions", "institutions"]], { name: "none", value: null }),
    key: ["donor_iso3", "recipient_iso3", "status"],
    amounts: { grants_per_year: "grants per year", students: "students", institutions: "institutions" },
    series: { pair: { from: "donor_iso3", to: "recipient_iso3" }, measure: null, status: "status", actual: ["current"], compares: { planned: ["current"] }, commodity: null },
    eval: {
      keys: ["donor_iso3", "recipient_iso3", "status"],
      gold: { donor_iso3: anyCountry, recipient_iso3: anyCountry, status: z.enum(["current", "planned"]), grants_per_year: amount, students: amount, institutions: amount },
      matches: (g, p) => g.status === p.status,
      describe: (v) => [v("status"), `${v("donor_iso3")}→${v("recipient_iso3")}`],
    },
  }),
] as const;

export type FactTableDefs = (typeof FACT_TABLE_DEFS)[number];
export type FactTable = FactTableDefs["name"];
/** Row type of each fact table, keyed by name. */
export type RowOf = { [E in FactTableDefs as E["name"]]: z.output<E["schema"]> };
/** Gold fact type of each fact table, keyed by name. */
export type GoldOf = { [E in FactTableDefs as E["name"]]: E extends FactTableDef<string, infer S, infer G> ? GoldFact<S, G> : never };

export type TradeFlow = RowOf["trade_flows"];
export type AidShipment = RowOf["aid_shipments"];
export type AidItem = z.infer<typeof aid_items>;
export type Contract = RowOf["contracts"];
export type Grant = RowOf["grants"];
