import type { Article, ExtractResult } from "../types.ts";
import { analyzeArticle, type SentenceAnalysis } from "./analysis.ts";
import type { Gazetteer } from "./entities.ts";
import type { Quantity } from "./numbers.ts";
import { alternatives, lexicon } from "./lexicon.ts";
import { isMeasure, unplaced } from "./rules/common.ts";
import { PLACING_RULES, RULES } from "./rules/index.ts";
import type { ExtractState, RuleInput } from "./rules/registry.ts";

interface Conversions {
  rates: ReadonlyMap<Quantity, number>;
  consumed: ReadonlySet<Quantity>;
}

/** What a sentence with fewer than two amounts converts: nothing. */
const NO_CONVERSIONS: Conversions = { rates: new Map(), consumed: new Set() };

/** What may stand between an amount and its USD equivalent in brackets: a rounding word from the lexicon, "or", "equivalent to", "=". */
const CONVERSION_GAP = new RegExp(String.raw`^\s*\(\s*(?:${alternatives([...lexicon("qualifiers").filter((r) => r.qualifier === "approx").map((r) => r.form!), "or", "equivalent to", "="])})?\s*$`, "i");

/** "6.4 billion tenge (approximately US$12.7 million)": the article's own conversion, kept with the amount. */
function statedConversions(a: SentenceAnalysis): Conversions {
  const money = a.quantities.filter((q) => q.kind === "money");
  if (money.length < 2) return NO_CONVERSIONS;
  const rates = new Map<Quantity, number>();
  const consumed = new Set<Quantity>();
  for (let i = 0; i + 1 < money.length; i++) {
    const [x, y] = [money[i]!, money[i + 1]!];
    const gap = a.text.slice(x.end, y.qualStart);
    if (x.currency !== "USD" && y.currency === "USD" && CONVERSION_GAP.test(gap) && y.parenthesized) {
      rates.set(x, y.value);
      consumed.add(y);
    }
  }
  return { rates, consumed };
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

/**
 * Places the numbers of one sentence: each open quantity, in order, goes to the first rule (in declared
 * order) that takes it; a money amount or tonnage that no rule takes becomes an "unplaced number" QA row.
 */
function placeQuantities(input: Omit<RuleInput, "open">): void {
  const { rates, consumed } = statedConversions(input.a);
  const open = new Set(input.a.quantities.filter((q) => !consumed.has(q)));
  const rulesInput = { ...input, rates };
  for (const q of input.a.quantities) {
    if (!open.has(q)) continue;
    let placed = false;
    const view: RuleInput = { ...rulesInput, open: [...open] };
    for (const rule of PLACING_RULES) {
      const taken = rule.match!(view, q);
      if (taken.length === 0) continue;
      if (rule.produce!(view, taken) === false) continue;
      for (const x of taken) open.delete(x);
      placed = true;
      break;
    }
    if (!placed && isMeasure(q)) input.state.qa.push(unplaced(input.ctx.article.meta.article_id, input.a, q, "no trade, aid, contract or grant rule took it"));
  }
}

/** All facts of one article. Pure: the same article and gazetteer always give the same facts in the same order. */
export function extractArticle(article: Article, gazetteer: Gazetteer): ExtractResult {
  const ctx = analyzeArticle(article, gazetteer);
  const state: ExtractState = { facts: [], qa: [], memory: new Map() };
  for (const a of ctx.sentences) {
    const input = { ctx, a, rates: NO_CONVERSIONS.rates, state };
    if (a.quantities.length > 0) placeQuantities(input);
    for (const rule of RULES) rule.afterSentence?.({ ...input, open: [] });
  }
  for (const rule of RULES) rule.finish?.(ctx, state);
  const { facts, qa } = state;
  let upTo = 0;
  for (const f of facts) for (const e of f.evidence) upTo = Math.max(upTo, e.char_end);
  const cp = codePointMapper(article.body, upTo);
  for (const f of facts) for (const e of f.evidence) {
    e.char_start = cp(e.char_start);
    e.char_end = cp(e.char_end);
  }
  return { facts, qa };
}
