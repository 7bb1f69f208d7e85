import { describe, expect, it } from "vitest";
import { combineConfidence, needsReview, REVIEW_BELOW } from "../pipeline/reconcile/confidence.ts";
import { mergeFacts } from "../pipeline/reconcile/merge.ts";
import type { ExtractedFact, MentionEvidence } from "../pipeline/types.ts";

function evidence(field: string, confidence: number, char_start = 0): MentionEvidence {
  return { char_start, char_end: char_start + 20, quote: "q", value_text: "v", field, stated_value: null, rule: "test", confidence };
}

/** A dated KAZ→AFG export of `value_usd` in 2022, as one article states it. */
function flow(article_id: string, value_usd: number, ev: MentionEvidence[]): ExtractedFact {
  return {
    table: "trade_flows",
    article_id,
    fields: { reporter_iso3: "KAZ", partner_iso3: "AFG", flow: "export", period_start: "2022-01-01", period_end: "2022-12-31", status: "reported", value_usd, quantity_tonnes: null, commodity: null },
    money: null,
    qualifier: "exact",
    evidence: ev,
    aid_items: [],
    changes: [],
    notes: [],
  };
}

function shipment(article_id: string, ev: MentionEvidence[]): ExtractedFact {
  return {
    table: "aid_shipments",
    article_id,
    fields: { donor_iso3: "KAZ", recipient_iso3: "AFG", kind: "shipment", event_date: "2024-04-30", period_start: null, period_end: null, weight_tonnes: 250, value_usd: null, railcars: null },
    money: null,
    qualifier: "exact",
    evidence: ev,
    aid_items: [],
    changes: [],
    notes: [],
  };
}

describe("record confidence", () => {
  it("combines sources: the best in full, each other closing a quarter of its confidence of the doubt, to 2 decimals", () => {
    expect(combineConfidence([0.9])).toBe(0.9);
    expect(combineConfidence([0.9, 0.9])).toBe(0.92);
    expect(combineConfidence([0.6, 0.6])).toBe(0.66);
    expect(combineConfidence([0.75, 0.9])).toBe(0.92);
    expect(combineConfidence([0.9, 0.9, 0.9])).toBe(0.94);
    expect(combineConfidence([1, 1])).toBe(1);
  });

  it("flips needs_review at the threshold, and on a conflict whatever the confidence", () => {
    expect(REVIEW_BELOW).toBe(0.7);
    expect(needsReview(0.69, false)).toBe(true);
    expect(needsReview(0.7, false)).toBe(false);
    expect(needsReview(0.95, true)).toBe(true);
  });

  it("gives a record stated by two articles their combined confidence", () => {
    const [r] = mergeFacts([flow("a", 866.3e6, [evidence("value_usd", 0.9)]), flow("b", 866.3e6, [evidence("value_usd", 0.75)])]).records;
    expect(r!.row).toMatchObject({ n_sources: 2, confidence: 0.92, needs_review: false });
  });

  it("does not count a repetition in the same article as corroboration", () => {
    const { records } = mergeFacts([flow("a", 5e6, [evidence("value_usd", 0.65)]), flow("a", 5e6, [evidence("value_usd", 0.6, 100)])]);
    expect(records).toHaveLength(1);
    expect(records[0]!.row).toMatchObject({ confidence: 0.65, needs_review: true });
  });

  it("takes an article's evidence for the main figure, not its weaker item rows", () => {
    const [r] = mergeFacts([shipment("a", [evidence("weight_tonnes", 0.85), evidence("aid_items", 0.5, 40)])]).records;
    expect(r!.row).toMatchObject({ confidence: 0.85, needs_review: false });
  });

  it("lets only the articles that state the kept value support it, and flags the conflict for review", () => {
    const { records, qa } = mergeFacts([flow("a", 866.3e6, [evidence("value_usd", 0.9)]), flow("b", 640.5e6, [evidence("value_usd", 0.9)])]);
    expect(qa.map((q) => q.check)).toEqual(["conflict"]);
    expect(records[0]!.row).toMatchObject({ value_usd: 866.3e6, n_sources: 2, confidence: 0.9, needs_review: true });
  });
});
