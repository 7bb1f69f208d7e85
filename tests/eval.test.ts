import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatReport } from "../pipeline/eval/format.ts";
import { loadGold, parseGold, type GoldFileInput } from "../pipeline/eval/gold.ts";
import { scoreCorpus } from "../pipeline/eval/score.ts";
import type { AidShipment, Contract, Dataset, Evidence, FactTable, Grant, TradeFlow } from "../pipeline/schema/tables.ts";

// ---- tiny builders -------------------------------------------------------

function dataset(parts: Partial<Dataset>): Dataset {
  return {
    articles: [], trade_flows: [], aid_shipments: [], aid_items: [], contracts: [], grants: [],
    evidence: [], growth_rates: [], qa_checks: [], rejected: [], corrections_unmatched: [], ...parts,
  };
}

function article(article_id: string): Dataset["articles"][number] {
  return { article_id, title: null, publisher: null, url: null, published_date: null, published_basis: null, source_file: `${article_id}.txt`, sha256: "x", n_chars: 100, n_chrome_chars: 0 };
}

function trade(record_id: string, f: Partial<TradeFlow>): TradeFlow {
  return {
    record_id, reporter_iso3: "KAZ", partner_iso3: "AFG", flow: "export", period_start: null, period_end: null, status: "reported",
    value_usd: null, quantity_tonnes: null, commodity: null, value_original: null, currency_original: null, usd_rate: null, usd_rate_basis: null,
    usd_rate_year: null, qualifier: "exact", n_sources: 1, as_of: null, confidence: 0.9, needs_review: false, reviewed: false, ...f,
  };
}

function aid(record_id: string, f: Partial<AidShipment>): AidShipment {
  return {
    record_id, donor_iso3: "KAZ", recipient_iso3: "AFG", kind: "shipment", event_date: null, period_start: null, period_end: null,
    weight_tonnes: null, value_usd: null, value_original: null, currency_original: null, usd_rate: null, usd_rate_basis: null, usd_rate_year: null, railcars: null, transport_mode: null,
    items: null, channel: null, place: null, qualifier: "exact", n_sources: 1, as_of: null, confidence: 0.9, needs_review: false, reviewed: false, ...f,
  };
}

function contract(record_id: string, f: Partial<Contract>): Contract {
  return {
    record_id, parties_iso3: "AFG;KAZ", seller_iso3: null, buyer_iso3: null, event_date: null, period_start: null, period_end: null, place: null, value_usd: null,
    value_original: null, currency_original: null, usd_rate: null, usd_rate_basis: null, usd_rate_year: null, n_contracts: null, commodity: null, quantity_tonnes: null, status: "signed",
    qualifier: "exact", n_sources: 1, as_of: null, confidence: 0.9, needs_review: false, reviewed: false, ...f,
  };
}

function grant(record_id: string, f: Partial<Grant>): Grant {
  return {
    record_id, donor_iso3: "KAZ", recipient_iso3: "AFG", program: null, grants_per_year: null, students: null, institutions: null,
    period_start: null, period_end: null, status: "current", qualifier: "exact", n_sources: 1, as_of: null, confidence: 0.9, needs_review: false, reviewed: false, ...f,
  };
}

function ev(record_id: string, table_name: FactTable, article_id: string, char_start: number, f: Partial<Evidence> = {}): Evidence {
  return {
    evidence_id: `${record_id}:${article_id}:${char_start}`, record_id, table_name, article_id, char_start, char_end: char_start + 10,
    quote: `quote of ${record_id}`, value_text: "1", field: "value_usd", stated_value: null, rule: "test", confidence: 1, ...f,
  };
}

/** A dataset where each record has one evidence row in article `a1`, in the given order. */
function oneArticle(parts: { trade_flows?: TradeFlow[]; aid_shipments?: AidShipment[]; contracts?: Contract[]; grants?: Grant[] }): Dataset {
  const evidence: Evidence[] = [];
  let pos = 0;
  for (const table of ["trade_flows", "aid_shipments", "contracts", "grants"] as const) {
    for (const r of parts[table] ?? []) evidence.push(ev(r.record_id, table, "a1", (pos += 10)));
  }
  return dataset({ articles: [article("a1")], ...parts, evidence });
}

function gold(g: Omit<GoldFileInput, "article_id"> & { article_id?: string }) {
  return parseGold({ article_id: "a1", ...g });
}

const Y2022 = { period_start: "2022-01-01", period_end: "2022-12-31" };

// ---- trade flows ----------------------------------------------------------

describe("trade_flows matching", () => {
  it("mirrors export KAZ→AFG onto import AFG from KAZ", () => {
    const g = gold({ trade_flows: [{ flow: "import", reporter_iso3: "AFG", partner_iso3: "KAZ", status: "reported", value_usd: 100 }] });
    const ok = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", value_usd: 100 })] }));
    expect(ok.tables.trade_flows).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    // The same countries with the direction reversed is a different flow.
    const wrong = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { flow: "export", reporter_iso3: "AFG", partner_iso3: "KAZ", value_usd: 100 })] }));
    expect(wrong.tables.trade_flows).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it("compares turnover as an unordered pair, and never with a directional flow", () => {
    const g = gold({ trade_flows: [{ flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 100 }] });
    const swapped = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { flow: "turnover", reporter_iso3: "AFG", partner_iso3: "KAZ", value_usd: 100 })] }));
    expect(swapped.tables.trade_flows.tp).toBe(1);
    const exportFlow = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { flow: "export", value_usd: 100 })] }));
    expect(exportFlow.tables.trade_flows.tp).toBe(0);
  });

  it("treats target/forecast/potential as one class, distinct from reported", () => {
    const g = gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "target", value_usd: 500 }] });
    const forecast = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { status: "forecast", value_usd: 500 })] }));
    expect(forecast.tables.trade_flows.tp).toBe(1);
    const reported = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { status: "reported", value_usd: 500 })] }));
    expect(reported.tables.trade_flows).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it("accepts the gold period or one of period_alt, nothing else", () => {
    const g = gold({
      trade_flows: [{ flow: "export", reporter_iso3: "TJK", partner_iso3: "AFG", status: "reported", value_usd: 37.2e6,
        period_start: "2021-01-01", period_end: "2021-06-30", period_alt: [["2021-01-01", "2021-12-31"]] }],
    });
    const run = (p: Partial<TradeFlow>) =>
      scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { reporter_iso3: "TJK", value_usd: 37.2e6, ...p })] })).tables.trade_flows.tp;
    expect(run({ period_start: "2021-01-01", period_end: "2021-06-30" })).toBe(1);
    expect(run({ period_start: "2021-01-01", period_end: "2021-12-31" })).toBe(1);
    expect(run({ period_start: "2022-01-01", period_end: "2022-12-31" })).toBe(0);
    expect(run({ period_start: null, period_end: null })).toBe(0); // a non-null gold period requires one
  });

  it("lets a null gold period accept any predicted period", () => {
    const g = gold({ trade_flows: [{ flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 343e6, period_start: null, period_end: null }] });
    for (const period of [Y2022, { period_start: null, period_end: null }]) {
      const r = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { flow: "turnover", value_usd: 343e6, ...period })] }));
      expect(r.tables.trade_flows.tp).toBe(1);
    }
  });

  it("lets a null gold country accept any country", () => {
    const g = gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: null, status: "reported", value_usd: 10 }] });
    const r = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { partner_iso3: "UZB", value_usd: 10 })] }));
    expect(r.tables.trade_flows.tp).toBe(1);
  });

  it("does not score partner-less, world-partner or reporter-less flows", () => {
    const g = gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 10 }] });
    const r = scoreCorpus([g], oneArticle({
      trade_flows: [
        trade("none", { partner_iso3: null, value_usd: 1e9 }),
        trade("world", { partner_iso3: "WLD", value_usd: 2e9 }),
        trade("norep", { reporter_iso3: null, value_usd: 3e9 }),
        trade("hit", { value_usd: 10 }),
      ],
    }));
    expect(r.tables.trade_flows).toMatchObject({ tp: 1, fp: 0, fn: 0, predicted: 1, unscored: 3, precision: 1 });
    expect(r.false_positives).toEqual([]);
  });
});

// ---- amounts ----------------------------------------------------------------

describe("amount tolerance", () => {
  const g = (extra: { tol?: number } = {}) =>
    gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1000, ...extra }] });
  const tp = (value: number, extra: { tol?: number } = {}) =>
    scoreCorpus([g(extra)], oneArticle({ trade_flows: [trade("r1", { value_usd: value })] })).tables.trade_flows.tp;

  it("accepts 0.4% off and rejects 0.6% off by default (either side)", () => {
    expect(tp(1004)).toBe(1);
    expect(tp(996)).toBe(1);
    expect(tp(1005)).toBe(1); // exactly 0.5%: on the boundary, accepted
    expect(tp(1006)).toBe(0);
    expect(tp(994)).toBe(0);
  });

  it("uses the gold fact's tol instead of the default", () => {
    expect(tp(1030, { tol: 0.05 })).toBe(1);
    expect(tp(1004, { tol: 0.001 })).toBe(0);
  });

  it("requires every shared amount to agree and at least one to be shared", () => {
    const goldBoth = gold({ aid_shipments: [{ donor_iso3: "KAZ", recipient_iso3: "AFG", kind: "shipment", weight_tonnes: 155, value_usd: 1.9e6 }] });
    const score = (f: Partial<AidShipment>) => scoreCorpus([goldBoth], oneArticle({ aid_shipments: [aid("r1", f)] })).tables.aid_shipments.tp;
    expect(score({ weight_tonnes: 155 })).toBe(1); // value missing on the prediction: not compared
    expect(score({ weight_tonnes: 155, value_usd: 2.5e6 })).toBe(0); // one shared amount disagrees
    expect(score({ railcars: 26 })).toBe(0); // nothing shared with gold
  });

  it("uses the article's own stated_value, not the merged record's value", () => {
    const g1 = gold({ trade_flows: [{ flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1e9, ...Y2022 }] });
    const record = trade("r1", { flow: "turnover", value_usd: 987.9e6, ...Y2022 });
    const withStated = dataset({
      articles: [article("a1")],
      trade_flows: [record],
      evidence: [ev("r1", "trade_flows", "a1", 50, { field: "value_usd", stated_value: 1e9, value_text: "$1 billion" })],
    });
    expect(scoreCorpus([g1], withStated).tables.trade_flows.tp).toBe(1);
    // Without a stated value in the article the record's own (more precise) value is compared.
    const withoutStated = dataset({ ...withStated, evidence: [ev("r1", "trade_flows", "a1", 50, { field: "value_usd", stated_value: null })] });
    expect(scoreCorpus([g1], withoutStated).tables.trade_flows.tp).toBe(0);
  });

  it("takes the first stated_value by position when the article states the field twice", () => {
    const g1 = gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 334e6 }] });
    const d = dataset({
      articles: [article("a1")],
      trade_flows: [trade("r1", { value_usd: 1 })],
      evidence: [
        ev("r1", "trade_flows", "a1", 90, { stated_value: 999e6 }),
        ev("r1", "trade_flows", "a1", 10, { stated_value: 334e6 }),
      ],
    });
    expect(scoreCorpus([g1], d).tables.trade_flows.tp).toBe(1);
  });
});

// ---- other tables -------------------------------------------------------------

describe("aid, contracts and grants keys", () => {
  it("aid: donor/recipient where given, aggregate vs shipment/pledge", () => {
    const g = gold({ aid_shipments: [{ donor_iso3: null, recipient_iso3: "AFG", kind: "pledge", weight_tonnes: 5000 }] });
    const tp = (f: Partial<AidShipment>) => scoreCorpus([g], oneArticle({ aid_shipments: [aid("r1", { weight_tonnes: 5000, ...f })] })).tables.aid_shipments.tp;
    expect(tp({ kind: "shipment", donor_iso3: "UZB" })).toBe(1);
    expect(tp({ kind: "aggregate" })).toBe(0);
    expect(tp({ recipient_iso3: "TJK" })).toBe(0);
  });

  it("contracts: parties compared sorted", () => {
    const g = gold({ contracts: [{ parties_iso3: "AFG;KAZ", value_usd: 100e6 }] });
    const tp = (parties: string) => scoreCorpus([g], oneArticle({ contracts: [contract("r1", { parties_iso3: parties, value_usd: 100e6 })] })).tables.contracts.tp;
    expect(tp("KAZ;AFG")).toBe(1);
    expect(tp("AFG;UZB")).toBe(0);
  });

  it("grants: status class must agree", () => {
    const g = gold({ grants: [{ donor_iso3: "KAZ", recipient_iso3: "AFG", status: "planned", grants_per_year: 60 }] });
    expect(scoreCorpus([g], oneArticle({ grants: [grant("r1", { status: "planned", grants_per_year: 60 })] })).tables.grants.tp).toBe(1);
    expect(scoreCorpus([g], oneArticle({ grants: [grant("r1", { status: "current", grants_per_year: 60 })] })).tables.grants.tp).toBe(0);
  });
});

// ---- counting -------------------------------------------------------------------

describe("counting and greedy matching", () => {
  it("counts a matched optional fact as a true positive but keeps it out of recall", () => {
    const g = gold({
      trade_flows: [
        { flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "target", value_usd: 3e9 },
        { flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1e9, optional: true },
        { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "potential", value_usd: 5e8, optional: true },
      ],
    });
    const r = scoreCorpus([g], oneArticle({
      trade_flows: [trade("target", { flow: "turnover", status: "target", value_usd: 3e9 }), trade("now", { flow: "turnover", value_usd: 1e9 })],
    }));
    expect(r.tables.trade_flows).toMatchObject({ tp: 2, fp: 0, fn: 0, required: 1, matched_required: 1, matched_optional: 1, precision: 1, recall: 1 });
    expect(r.misses).toEqual([]); // the unmatched optional fact is not a miss
    const none = scoreCorpus([g], oneArticle({}));
    expect(none.tables.trade_flows).toMatchObject({ tp: 0, fn: 1, required: 1, precision: null, recall: 0, f1: 0 });
  });

  it("matches required gold first, so an optional fact cannot steal the record", () => {
    // Both gold facts fit the single record; the optional one is listed first.
    const g = gold({
      trade_flows: [
        { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 100, optional: true },
        { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 100, period_start: "2022-01-01", period_end: "2022-12-31" },
      ],
    });
    const r = scoreCorpus([g], oneArticle({ trade_flows: [trade("r1", { value_usd: 100, ...Y2022 })] }));
    expect(r.tables.trade_flows).toMatchObject({ tp: 1, fn: 0, matched_required: 1, matched_optional: 0 });
    expect(r.matches).toEqual([{ article_id: "a1", table: "trade_flows", record_id: "r1", gold_index: 1, optional: false }]);
  });

  it("is one-to-one and takes predictions in reading order", () => {
    const g = gold({ contracts: [{ parties_iso3: "AFG;KAZ", value_usd: 4e6 }] });
    const d = dataset({
      articles: [article("a1")],
      contracts: [contract("late", { value_usd: 4e6 }), contract("early", { value_usd: 4e6 })],
      evidence: [ev("late", "contracts", "a1", 500), ev("early", "contracts", "a1", 20)],
    });
    const r = scoreCorpus([g], d);
    expect(r.tables.contracts).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(r.matches[0]?.record_id).toBe("early");
    expect(r.false_positives.map((f) => f.record_id)).toEqual(["late"]);
  });

  it("attributes a multi-article record to each article with that article's figure", () => {
    const g1 = gold({ article_id: "a1", trade_flows: [{ flow: "turnover", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 987.9e6, ...Y2022 }] });
    const g2 = gold({ article_id: "a2", trade_flows: [{ flow: "turnover", reporter_iso3: "AFG", partner_iso3: "KAZ", status: "reported", value_usd: 1e9, ...Y2022 }] });
    const d = dataset({
      articles: [article("a1"), article("a2")],
      trade_flows: [trade("m", { flow: "turnover", value_usd: 987.9e6, n_sources: 2, ...Y2022 })],
      evidence: [
        ev("m", "trade_flows", "a1", 10, { stated_value: 987.9e6 }),
        ev("m", "trade_flows", "a2", 30, { stated_value: 1e9 }),
      ],
    });
    const r = scoreCorpus([g1, g2], d);
    expect(r.tables.trade_flows).toMatchObject({ tp: 2, fp: 0, fn: 0, predicted: 2 });
    expect(r.matches.map((m) => m.article_id)).toEqual(["a1", "a2"]);
  });

  it("ignores records of articles without gold, and reports gold articles missing from the output", () => {
    const g = gold({ article_id: "a1", trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 5 }] });
    const d = dataset({
      articles: [article("b9")],
      trade_flows: [trade("x", { value_usd: 7 })],
      evidence: [ev("x", "trade_flows", "b9", 0)],
    });
    const r = scoreCorpus([g], d);
    expect(r.micro).toMatchObject({ predicted: 0, fp: 0, fn: 1 });
    expect(r.articles_missing).toEqual(["a1"]);
    expect(r.misses[0]).toMatchObject({ article_id: "a1", table: "trade_flows", fact: { flow: "export", value_usd: 5 } });
  });

  it("micro-averages over the four tables", () => {
    const g = gold({
      trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1 }],
      grants: [{ donor_iso3: "KAZ", recipient_iso3: "AFG", status: "current", students: 610 }],
    });
    const r = scoreCorpus([g], oneArticle({ trade_flows: [trade("t", { value_usd: 1 })], grants: [grant("g", { students: 999 })] }));
    expect(r.micro).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it("reports the precision of the predictions with confidence >= 0.8 apart, per table and micro", () => {
    const g = gold({
      trade_flows: [
        { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1 },
        { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 2 },
      ],
      grants: [{ donor_iso3: "KAZ", recipient_iso3: "AFG", status: "current", students: 610 }],
    });
    const r = scoreCorpus([g], oneArticle({
      trade_flows: [
        trade("sure-hit", { value_usd: 1, confidence: 0.8 }),
        trade("sure-miss", { value_usd: 3, confidence: 0.95 }),
        trade("unsure-hit", { value_usd: 2, confidence: 0.79 }),
        trade("world", { value_usd: 9, partner_iso3: "WLD", confidence: 0.9 }),
      ],
      grants: [grant("g", { students: 610, confidence: 0.6 })],
    }));
    expect(r.confidence_threshold).toBe(0.8);
    expect(r.tables.trade_flows).toMatchObject({ precision: 2 / 3, confident_predicted: 2, confident_tp: 1, confident_precision: 0.5 });
    expect(r.tables.grants).toMatchObject({ precision: 1, confident_predicted: 0, confident_tp: 0, confident_precision: null });
    expect(r.micro).toMatchObject({ precision: 0.75, confident_predicted: 2, confident_tp: 1, confident_precision: 0.5 });
    expect(r.false_positives).toEqual([expect.objectContaining({ record_id: "sure-miss", confidence: 0.95 })]);
  });
});

// ---- gold files and the text report ------------------------------------------------

describe("gold files", () => {
  it("rejects unknown fields and facts without any amount", () => {
    expect(() => gold({ trade_flows: [{ flow: "export", status: "reported", vaule_usd: 5 } as never] })).toThrow(/vaule_usd/);
    expect(() => gold({ grants: [{ status: "current" }] })).toThrow(/needs one of/);
  });

  it("accepts descriptive columns and annotations", () => {
    const g = gold({
      aid_shipments: [{ donor_iso3: "KAZ", recipient_iso3: "AFG", kind: "shipment", weight_tonnes: 20, items: "oil", channel: "WFP",
        aid_items: [{ item: "oil", quantity: 60000, unit: "l" }], note: "n", quote: "q", optional: true, tol: 0.02 }],
    });
    expect(g.aid_shipments[0]?.tol).toBe(0.02);
    expect(g.contracts).toEqual([]);
  });

  for (const dir of ["../shared/seeds/gold", "../shared/dev/gold"]) {
    it.skipIf(!existsSync(dir))(`loads the real gold in ${dir}`, async () => {
      const files = await loadGold(dir);
      expect(files.length).toBeGreaterThan(0);
    });
  }
});

describe("text report", () => {
  it("prints misses and false positives first and ends with the 8-line summary", () => {
    const g = gold({ trade_flows: [{ flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", status: "reported", value_usd: 1, quote: "gold quote" }] });
    const text = formatReport(scoreCorpus([g], oneArticle({ contracts: [contract("c", { value_usd: 9 })] })));
    expect(text.indexOf("Misses (1):")).toBeLessThan(text.indexOf("False positives (1):"));
    expect(text).toContain('"gold quote"');
    expect(text).toContain('"quote of c"');
    const lines = text.split("\n");
    const tail = lines.slice(-8);
    expect(lines.at(-9)).toBe("P@.8 / n@.8: precision and number of the scored predictions with confidence >= 0.8");
    expect(tail[0]).toMatch(/^EVAL 1 articles/);
    expect(tail[1]!.split(/\s+/).slice(-2)).toEqual(["P@.8", "n@.8"]);
    expect(tail.slice(3, 7).map((l) => l.split(/\s+/)[0])).toEqual(["trade_flows", "aid_shipments", "contracts", "grants"]);
    expect(tail[7]).toMatch(/^MICRO\s+0\.000\s+0\.000\s+0\.000(\s+\d+){5}\s+0\.000\s+1$/);
    expect(text).toContain("c (confidence 0.9): ");
  });
});
