import type { ExtractedFact } from "../types.ts";

type KeyPart = string | number | null;

/** The measure a fact's main number is in, and that number. */
export function primaryMeasure(f: ExtractedFact): { name: string; value: number | null } {
  const v = f.fields;
  switch (f.table) {
    case "trade_flows":
      return v.value_usd !== null || f.money ? { name: "usd", value: (v.value_usd as number | null) ?? f.money?.amount ?? null } : { name: "tonnes", value: v.quantity_tonnes as number | null };
    case "aid_shipments":
      if (v.weight_tonnes !== null) return { name: "tonnes", value: v.weight_tonnes as number };
      if (v.railcars !== null) return { name: "railcars", value: v.railcars as number };
      return { name: "usd", value: (v.value_usd as number | null) ?? f.money?.amount ?? null };
    case "contracts":
      if (f.money) return { name: "usd", value: (v.value_usd as number | null) ?? f.money.amount };
      if (v.quantity_tonnes !== null) return { name: "tonnes", value: v.quantity_tonnes as number };
      return { name: "count", value: v.n_contracts as number | null };
    case "grants":
      for (const name of ["grants_per_year", "students", "institutions"]) if (v[name] !== null) return { name, value: v[name] as number };
      return { name: "none", value: null };
  }
}

/**
 * An event: one delivery or pledge of aid, or one signing of contracts. Its mentions are told apart by
 * day, place and figure (reconcile/events.ts), so its key leaves the date out; an aggregate is a total over
 * a stated period, which is part of its key like a trade flow's.
 */
export function isEvent(f: Pick<ExtractedFact, "table" | "fields">): boolean {
  return f.table === "contracts" || (f.table === "aid_shipments" && f.fields.kind !== "aggregate");
}

/**
 * What makes two mentions candidates for the same fact (before comparing values, and for events dates and
 * places). A trade figure with no period can only be matched within its own article: "last year" in two
 * undated articles need not be the same year. `measure` is primaryMeasure(f).name, passed by callers that
 * have it already.
 */
export function factKey(f: ExtractedFact, measure = primaryMeasure(f).name): KeyPart[] {
  const v = f.fields as Record<string, KeyPart | undefined>;
  switch (f.table) {
    case "trade_flows": {
      const [a, b] = [v.reporter_iso3 ?? null, v.partner_iso3 ?? null];
      const pair = v.flow === "turnover" ? [a, b].sort() : [a, b];
      const undated = v.period_start === null;
      return ["trade_flows", v.flow as string, ...pair, v.period_start ?? null, v.period_end ?? null, v.status ?? null, v.commodity ?? null, measure, undated ? f.article_id : null];
    }
    case "aid_shipments":
      if (isEvent(f)) return ["aid_shipments", v.donor_iso3 ?? null, v.recipient_iso3 ?? null, v.kind ?? null, measure];
      return ["aid_shipments", v.donor_iso3 ?? null, v.recipient_iso3 ?? null, v.kind ?? null, v.event_date ?? null, v.period_start ?? null, v.period_end ?? null, measure];
    case "contracts":
      return ["contracts", v.parties_iso3 ?? null, v.status ?? null, measure];
    case "grants":
      return ["grants", v.donor_iso3 ?? null, v.recipient_iso3 ?? null, v.status ?? null, measure];
  }
}

/**
 * factKey as a string: mergeFacts groups by it, and facts split into parts by it (every fact of a key in the
 * same part) merge part by part to the same records as all at once.
 */
export function partitionKey(f: ExtractedFact, measure = primaryMeasure(f).name): string {
  return JSON.stringify(factKey(f, measure));
}

/** What conflictsAreOneFact asks of a key's facts: the same for every fact of a key. */
export interface KeyTraits {
  table: ExtractedFact["table"];
  fields: { period_start?: string | number | null; event_date?: string | number | null };
}

/**
 * When values differ under one key, is it one fact stated two ways (a conflict) or two facts? A dated trade
 * flow is one fact. A dated aid aggregate is one total when the differing values come from different
 * articles (one article listing two totals for a span means two). Elsewhere, different values are different
 * facts (events never reach here: reconcile/events.ts tells them apart).
 * `f` is any fact of the key (or the traits of it asked here); `clusters` are the mentions grouped by value.
 */
export function conflictsAreOneFact(f: KeyTraits, clusters: { article_id: string }[][]): boolean {
  if (f.table === "trade_flows") return f.fields.period_start !== null;
  if (f.table !== "aid_shipments" || (f.fields.event_date === null && f.fields.period_start === null)) return false;
  const articleSets = clusters.map((c) => new Set(c.map((x) => x.article_id)));
  return articleSets.every((a, i) => articleSets.every((b, j) => i === j || [...a].every((id) => !b.has(id))));
}

/**
 * A normalized fact with its article's publication date (ExtractedFact.published), for reconcile: the in-memory
 * run and the archive's fact lines both set it here, so both merge the same facts. Sets it on `f` itself (a
 * fresh copy from normalize) and returns it.
 */
export function withPublished(f: ExtractedFact, published: string | null): ExtractedFact {
  f.published = published;
  return f;
}
