import type { Articles, Dataset, FactTable, QaCheck, Rejected } from "./schema/tables.ts";

/** A span of an article body classified by ingest: prose carries facts, everything else never does. */
export interface Segment {
  start: number;
  end: number;
  kind: "prose" | "headline" | "chrome";
}

/** An article as ingest hands it on: metadata row plus the body and its segmentation. */
export interface Article {
  meta: Articles;
  body: string;
  segments: Segment[];
}

export interface IngestResult {
  articles: Article[];
  rejected: Rejected[];
}

/** One annual-average rate row of sources/fx_annual_usd.csv. */
export interface FxRate {
  currency: string;
  year: number;
  units_per_usd: number;
  source: string;
}

export interface Place {
  place: string;
  aliases: string[];
  country_iso3: string;
  kind: string;
  lat: number | null;
  lon: number | null;
}

export interface Agency {
  channel: string;
  aliases: string[];
  country_iso3: string | null;
}

export interface CountryAlias {
  iso3: string;
  alias: string;
  kind: "name" | "demonym" | "capital";
}

/** Reference data loaded from sources/ at the input end. */
export interface Reference {
  fx: FxRate[];
  places: Place[];
  agencies: Agency[];
  countryAliases: CountryAlias[];
}

export type Qualifier = "exact" | "approx" | "at_least" | "at_most";

/** A money amount as the article wrote it; normalize turns it into USD. */
export interface Money {
  amount: number;
  currency: string | null;
  /** The article's own USD conversion of this amount ("6.4 billion tenge (approximately US$12.7 million)"). */
  statedUsd?: number;
}

/** One number mention backing one field of an extracted fact. */
export interface MentionEvidence {
  char_start: number;
  char_end: number;
  /** The sentence or clause stating the fact: body[char_start:char_end]. */
  quote: string;
  value_text: string;
  field: string;
  /** In the column's unit after normalization; normalize fills money fields. */
  stated_value: number | null;
  rule: string;
  confidence: number;
}

/** A change the article states for a fact's value ("increased by 82.6%", "2.1 times"). */
export interface StatedChange {
  pct: number;
  text: string;
  /** The base period the change is measured against, when the article says it. */
  base_period_start: string | null;
  base_period_end: string | null;
}

export interface FactNote {
  check: string;
  severity: "error" | "warning" | "info";
  message: string;
}

/** A fact as extract finds it in one article: fields in the target table's columns, plus provenance. */
export interface ExtractedFact {
  table: FactTable;
  article_id: string;
  /** Column values (without record_id / n_sources). Money is carried in `money` until normalize. */
  fields: Record<string, string | number | null>;
  money: Money | null;
  qualifier: Qualifier;
  evidence: MentionEvidence[];
  aid_items: { item: string; quantity: number; unit: string }[];
  changes: StatedChange[];
  /** Caveats that become qa_checks rows once the record has an id ("last year" with no publication date). */
  notes: FactNote[];
  /**
   * Publication date of the fact's article, set once articles and facts meet (withPublished): what places an
   * undated event in time, and the record's as_of. Absent on facts made by hand: treated as null.
   */
  published?: string | null;
  /** Set by a human correction (pipeline/corrections/): the record it joins is published with reviewed = true. */
  reviewed?: boolean;
}

export interface ExtractResult {
  facts: ExtractedFact[];
  qa: QaCheck[];
}

export type { Dataset };
