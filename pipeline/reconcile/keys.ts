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
 * What makes two mentions the same fact (before comparing values). A trade figure with no period can only
 * be matched within its own article: "last year" in two undated articles need not be the same year.
 */
export function factKey(f: ExtractedFact): KeyPart[] {
  const v = f.fields;
  const s = (k: string) => (v[k] ?? null) as KeyPart;
  const measure = primaryMeasure(f).name;
  switch (f.table) {
    case "trade_flows": {
      const pair = v.flow === "turnover" ? [s("reporter_iso3"), s("partner_iso3")].sort() : [s("reporter_iso3"), s("partner_iso3")];
      const undated = v.period_start === null;
      return ["trade_flows", v.flow as string, ...pair, s("period_start"), s("period_end"), s("status"), s("commodity"), measure, undated ? f.article_id : null];
    }
    case "aid_shipments":
      return ["aid_shipments", s("donor_iso3"), s("recipient_iso3"), s("kind"), s("event_date"), s("period_start"), s("period_end"), measure];
    case "contracts":
      return ["contracts", s("parties_iso3"), s("status"), s("event_date"), measure];
    case "grants":
      return ["grants", s("donor_iso3"), s("recipient_iso3"), s("status"), measure];
  }
}

/**
 * When values differ under one key, is it one fact stated two ways (a conflict) or two facts? A dated trade
 * flow is one fact. A dated aid delivery is one shipment when the differing values come from different
 * articles (one article listing two deliveries that month means two). Elsewhere, different values are different facts.
 */
export function conflictsAreOneFact(clusters: ExtractedFact[][]): boolean {
  const f = clusters[0]![0]!;
  if (f.table === "trade_flows") return f.fields.period_start !== null;
  if (f.table !== "aid_shipments" || (f.fields.event_date === null && f.fields.period_start === null)) return false;
  const articleSets = clusters.map((c) => new Set(c.map((x) => x.article_id)));
  return articleSets.every((a, i) => articleSets.every((b, j) => i === j || [...a].every((id) => !b.has(id))));
}
