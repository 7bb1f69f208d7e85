import type { Article, ExtractedFact, ExtractResult } from "../types.ts";
import type { QaCheck } from "../schema/tables.ts";
import { analyzeArticle, type ArticleContext, type SentenceAnalysis } from "./analysis.ts";
import { AID_ANAPHORA, AID_CUE, TRADE_CUE } from "./cues.ts";
import type { Gazetteer } from "./entities.ts";
import type { Quantity } from "./numbers.ts";
import { completeAid, extractAid, isAidSentence, type AidState } from "./rules/aid.ts";
import { extractContracts, isContractQuantity } from "./rules/contracts.ts";
import { extractGrants, grantQuantities } from "./rules/grants.ts";
import { changeRecord, doubledChange, extractBaseValue, extractTrade, remember, statedChange, type TradeMemo, type TradeState } from "./rules/trade.ts";
import { isMeasure, periodFor } from "./rules/common.ts";
import { stableId } from "../ids.ts";

/** Trade phrasing that keeps a sentence out of the aid story told just before it ("medical supplies" does not). */
const TRADE_PHRASE = /\b(?:trade[ds]?|trading|turnover|exports?|imports?|exported|imported|sold|purchased|(?:supplies|supply|deliveries|shipments) of)\b/i;
const STRONG_TRADE = /\b(?:trade[ds]?|trading|turnover|exports?|imports?|exported|imported)\b/i;

interface Conversions {
  rates: ReadonlyMap<Quantity, number>;
  consumed: ReadonlySet<Quantity>;
}

/** What a sentence with fewer than two amounts converts: nothing, one record for all of them. */
const NO_CONVERSIONS: Conversions = { rates: new Map(), consumed: new Set() };

/** "6.4 billion tenge (approximately US$12.7 million)": the article's own conversion, kept with the amount. */
function statedConversions(a: SentenceAnalysis): Conversions {
  const money = a.quantities.filter((q) => q.kind === "money");
  if (money.length < 2) return NO_CONVERSIONS;
  const rates = new Map<Quantity, number>();
  const consumed = new Set<Quantity>();
  for (let i = 0; i + 1 < money.length; i++) {
    const [x, y] = [money[i]!, money[i + 1]!];
    const gap = a.text.slice(x.end, y.qualStart);
    if (x.currency !== "USD" && y.currency === "USD" && /^\s*\(\s*(?:approximately|approx\.?|about|around|some|roughly|or|equivalent to|=)?\s*$/i.test(gap) && y.parenthesized) {
      rates.set(x, y.value);
      consumed.add(y);
    }
  }
  return { rates, consumed };
}

/** "Of $343 million, ... $334 million fell on exports": the first figure restates a total given before. */
function isRestatement(a: SentenceAnalysis, q: Quantity): boolean {
  return /^\s*of\s*$/i.test(a.text.slice(0, q.qualStart));
}

function unplaced(articleId: string, a: SentenceAnalysis, q: Quantity, reason: string): QaCheck {
  return {
    check_id: stableId("qa", "unplaced", articleId, a.sentence.start + q.start, q.text),
    check: "unplaced_number",
    severity: "info",
    passed: null,
    table_name: null,
    record_id: null,
    article_id: articleId,
    message: `number seen but not placed in any table: "${q.text}" (${reason})`,
  };
}

const WORTH_LINK = /^[^.;$]{0,60}\b(?:worth|valued at|amounting to|for a total of|totall?ing|at a cost of)\s(?:about\s|around\s|some\s|over\s|more than\s|nearly\s|almost\s|approximately\s)?$/i;

/** "exported 1.1 million tons of flour to Afghanistan in 2021, worth around $320 million": one flow, two measures. */
function attachValueToTonnage(a: SentenceAnalysis, q: Quantity, trade: TradeState): boolean {
  if (q.kind !== "money") return false;
  const memo = trade.memos.filter((m) => m.sentence === a.sentence.index).at(-1);
  if (!memo || memo.fact.money || memo.fact.fields.quantity_tonnes === null) return false;
  const massEnd = a.quantities.find((x) => x.start === memo.at)?.end;
  if (massEnd === undefined || !WORTH_LINK.test(a.text.slice(massEnd, q.start))) return false;
  memo.fact.money = { amount: q.value, currency: q.currency };
  memo.fact.evidence.push({ ...memo.fact.evidence[0]!, value_text: q.text, field: "value_usd", stated_value: null, rule: "trade.value_of_tonnage" });
  if (memo.fact.fields.period_start === null) {
    const p = periodFor(a, q);
    if (p?.period) {
      memo.fact.fields.period_start = p.period.start;
      memo.fact.fields.period_end = p.period.end;
      memo.period = p.period;
      memo.months = p.months;
    }
  }
  return true;
}

/**
 * Maps UTF-16 offsets up to `upTo` to the contract's code-point offsets; identity when the body has no astral
 * characters before `upTo` (only pairs before an offset move it, and the rest of the body need not be read).
 */
function codePointMapper(body: string, upTo: number): (i: number) => number {
  if (!/[\uD800-\uDBFF]/.test(upTo < body.length ? body.slice(0, upTo) : body)) return (i) => i;
  // UTF-16 index of the low half of every surrogate pair, ascending, found in one pass: a code-point offset
  // is the UTF-16 offset less the pairs that end before it (counting the prefix anew per offset was quadratic).
  const lows: number[] = [];
  for (let j = 1; j < body.length; j++) {
    const c = body.charCodeAt(j);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const h = body.charCodeAt(j - 1);
      if (h >= 0xd800 && h <= 0xdbff) lows.push(j);
    }
  }
  return (i) => {
    let lo = 0;
    let hi = lows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lows[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return i - lo;
  };
}

/** Places the numbers of one sentence in grants, contracts, trade or aid, in that order of precedence. */
function placeQuantities(ctx: ArticleContext, a: SentenceAnalysis, facts: ExtractedFact[], qa: QaCheck[], trade: TradeState, aid: AidState): void {
  const { rates, consumed } = statedConversions(a);
  const used = new Set<Quantity>(consumed);

  const grantQs = grantQuantities(a).map((g) => g.q);
  for (const f of extractGrants(ctx, a)) facts.push(f);
  grantQs.forEach((q) => used.add(q));

  const contractQs = a.quantities.filter((q) => !used.has(q) && isContractQuantity(a, q));
  if (contractQs.some((q) => q.kind === "money" || q.kind === "mass")) {
    facts.push(...extractContracts(ctx, a, contractQs, rates));
    contractQs.forEach((q) => used.add(q));
  }

  for (const q of a.quantities) {
    if (used.has(q)) continue;
    const aidable = isMeasure(q) || q.kind === "count";
    if (!aidable && !(q.kind === "plain" && q.scaled)) continue;
    if (isRestatement(a, q)) {
      used.add(q);
      continue;
    }
    const base = extractBaseValue({ ctx, a, q, state: trade });
    if (base) {
      facts.push(base.fact);
      remember(trade, base);
      used.add(q);
      continue;
    }
    if (q.kind === "plain") continue;
    // Aid words in the sentence win unless it is plainly about trade; aid spoken of in the sentences
    // before only carries over to a sentence with no trade words of its own (asked last: it reads neighbours).
    const ownAid = a.has(AID_CUE) && !a.has(STRONG_TRADE);
    const carriedAid = !a.has(AID_CUE) && !a.has(STRONG_TRADE) && (a.has(AID_ANAPHORA) || !a.has(TRADE_PHRASE)) && isAidSentence(ctx.sentences, a);
    if (ownAid || carriedAid || (a.has(AID_CUE) && a.has(STRONG_TRADE) && !TRADE_CUE.test(a.text.slice(0, q.start)))) {
      const r = extractAid(ctx, a, q, aid, rates.get(q) ?? null);
      if (!("skip" in r)) {
        used.add(q);
        continue;
      }
    }
    if (!isMeasure(q)) continue;
    if (!a.has(TRADE_CUE)) {
      qa.push(unplaced(ctx.article.meta.article_id, a, q, "no trade, aid, contract or grant cue in its sentence"));
      continue;
    }
    if (attachValueToTonnage(a, q, trade)) {
      used.add(q);
      continue;
    }
    const r = extractTrade({ ctx, a, q, state: trade });
    if ("skip" in r) {
      qa.push(unplaced(ctx.article.meta.article_id, a, q, r.skip));
      continue;
    }
    if (rates.has(q) && r.fact.money) r.fact.money.statedUsd = rates.get(q)!;
    if (r.unresolved) r.fact.notes.push({ check: "unresolved_date", severity: "warning", message: r.unresolved });
    facts.push(r.fact);
    remember(trade, r.memo);
    used.add(q);
  }
}

const ANAPHORIC = /^(?:This|It|That|Which)\b/;
const NO_MEMOS: readonly TradeMemo[] = [];

/**
 * Stated changes ("up 12%", "doubled") go to the nearest trade figure of their sentence, or after "This"/"It"
 * to the last figure of the sentence before; the period of the sentence's last reported figure carries on.
 */
function recordChanges(a: SentenceAnalysis, trade: TradeState): void {
  const anaphoric = ANAPHORIC.test(a.text);
  // A sentence's figures come from its own numbers, so one without numbers has none; nor, unless it points
  // back with "This"/"It", anything to change or carry.
  if (a.quantities.length === 0 && !anaphoric) return;
  const here = a.quantities.length > 0 ? trade.memos.filter((m) => m.sentence === a.sentence.index && m.fact.evidence[0]!.rule !== "trade.base_value") : NO_MEMOS;
  const previous = anaphoric ? trade.memos.filter((m) => m.sentence === a.sentence.index - 1).at(-1) : undefined;
  for (const q of a.quantities) {
    const pct = statedChange(a, q);
    if (pct === null) continue;
    const t = here.length ? here.reduce((best, m) => (Math.abs(m.at - q.start) < Math.abs(best.at - q.start) ? m : best)) : previous;
    if (t && t.fact.fields.status === "reported") t.fact.changes.push(changeRecord(pct, q.text));
  }
  const t = here[0] ?? previous;
  if (t && t.fact.changes.length === 0 && t.fact.fields.status === "reported") {
    const doubled = doubledChange(a);
    if (doubled !== null) t.fact.changes.push(changeRecord(doubled, "doubled"));
  }

  const reported = here.filter((m) => m.fact.fields.status === "reported");
  if (reported.length) {
    const last = reported.at(-1)!;
    trade.carried = { period: last.period, months: last.months, sentence: a.sentence.index };
  }
}

/** All facts of one article. Pure: the same article and gazetteer always give the same facts in the same order. */
export function extractArticle(article: Article, gazetteer: Gazetteer): ExtractResult {
  const ctx = analyzeArticle(article, gazetteer);
  const facts: ExtractedFact[] = [];
  const qa: QaCheck[] = [];
  const trade: TradeState = { memos: [], bySpan: new Map(), carried: null };
  const aid: AidState = { frames: [] };

  for (const a of ctx.sentences) {
    if (a.quantities.length > 0) placeQuantities(ctx, a, facts, qa, trade, aid);
    recordChanges(a, trade);
  }

  const claimed = new Set(aid.frames.flatMap((fr) => fr.sentences));
  for (const frame of aid.frames) {
    completeAid(ctx, frame, claimed);
    facts.push(frame.fact);
  }
  let upTo = 0;
  for (const f of facts) for (const e of f.evidence) upTo = Math.max(upTo, e.char_end);
  const cp = codePointMapper(article.body, upTo);
  for (const f of facts) for (const e of f.evidence) {
    e.char_start = cp(e.char_start);
    e.char_end = cp(e.char_end);
  }
  return { facts, qa };
}
