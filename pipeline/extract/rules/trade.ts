import type { ExtractedFact, StatedChange } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { EXPORT_CUE, FORECAST_CUE, NOT_TRADE, TRADE_CUE, FROM_BEFORE, IMPORT_CUE, itemsIn, POTENTIAL_CUE, TARGET_CUE, TURNOVER_CUE, CHANGE_DOWN, CHANGE_UP, DOUBLED } from "../cues.ts";
import type { Quantity } from "../numbers.ts";
import { previousYear, monthsPeriod, type Period, type PeriodMention } from "../periods.ts";
import { clauseStart, comparativeAfter, comparativeBefore, countriesIn, evidence, firstWithRole, isMeasure, periodFor, rolesIn, sentenceRoles, unplaced, windowOf, type RoledEntity } from "./common.ts";
import { cuePattern } from "../lexicon.ts";
import { memoryOf, type ExtractState, type Rule, type RuleInput } from "./registry.ts";

export type Flow = "export" | "import" | "turnover";
export type TradeStatus = "reported" | "target" | "forecast" | "potential";

/** What later sentences inherit from a trade figure: its pair, period and months. */
export interface TradeMemo {
  fact: ExtractedFact;
  sentence: number;
  /** Where the figure stands in its sentence, to attach stated changes to the nearest one. */
  at: number;
  reporter: string;
  partner: string;
  flow: Flow;
  period: Period | null;
  months: [number, number] | null;
}

export interface TradeState {
  /** Figures of the current and previous two sentences: all that pronouns and "of which" reach back to. */
  memos: TradeMemo[];
  /** The latest figure per period length in months, for "in six months" style durations. */
  bySpan: Map<number, TradeMemo>;
  /** Period of the last reported figure in an earlier sentence: "Uzbek exports made up $257.3mn" after "in 4M23". */
  carried: { period: Period | null; months: [number, number] | null; sentence: number } | null;
}

const WORLD_LEFT = cuePattern("cues_trade", "world_scope");
const WORLD_RIGHT = new RegExp(String.raw`^[^.]{0,60}${cuePattern("cues_trade", "world_partner").source}`, "i");
const COMMODITY_LEFT_LINK = /(?:worth|valued at|amounting to|,?\s?which accounts? for|totall?ing|for)\s(?:about\s|over\s|more than\s|almost\s|nearly\s|some\s)?$/i;

const FLOW_CUES = ([[TURNOVER_CUE, "turnover"], [EXPORT_CUE, "export"], [IMPORT_CUE, "import"]] as const).map(([re, flow]) => [new RegExp(re.source, "gi"), flow] as const);
const STATUS_CUES: [RegExp, TradeStatus][] = [[new RegExp(FORECAST_CUE.source, "gi"), "forecast"], [new RegExp(TARGET_CUE.source, "gi"), "target"]];

function nearestCue(text: string, pos: number): { flow: Flow; at: number } | null {
  let best: { flow: Flow; at: number } | null = null;
  for (const [g, flow] of FLOW_CUES) {
    g.lastIndex = 0;
    for (let m = g.exec(text); m; m = g.exec(text)) {
      const at = m.index;
      const dist = at < pos ? pos - at : at - pos + 1000;
      if (!best || dist < (best.at < pos ? pos - best.at : best.at - pos + 1000)) best = { flow, at };
    }
  }
  return best;
}

function flowOf(a: SentenceAnalysis, q: Quantity, ws: number, we: number): Flow | null {
  const inWindow = nearestCue(a.text.slice(ws, we), q.qualStart - ws);
  if (inWindow) return inWindow.flow;
  return nearestCue(a.text, q.qualStart)?.flow ?? null;
}

function nearestOf(text: string, cues: [RegExp, TradeStatus][]): TradeStatus | null {
  let best: { s: TradeStatus; at: number } | null = null;
  for (const [g, s] of cues) {
    g.lastIndex = 0;
    for (let m = g.exec(text); m; m = g.exec(text)) if (!best || m.index >= best.at) best = { s, at: m.index };
  }
  return best?.s ?? null;
}

const MEASURED_CHANGE = /\bby\s(?:about\s|around\s|nearly\s)?[\d.,]+\s?(?:%|percent\b|per cent\b)/i;

/** reported unless the clause projects the number: "potential of", "expected to", "plan to increase ... to". */
export function statusOf(a: SentenceAnalysis, q: Quantity, ws: number, we: number): TradeStatus {
  const left = a.text.slice(ws, q.qualStart);
  if (POTENTIAL_CUE.test(a.text.slice(ws, we))) return "potential";
  if (FROM_BEFORE.test(left)) return "reported";
  const local = nearestOf(left, STATUS_CUES);
  if (local) return local;
  if (/\bto\s$/i.test(left)) {
    const before = a.text.slice(0, q.qualStart);
    // "expanding by 41% from $99m to $141m": a change measured in per cent is a report, whatever gerund tells it.
    if (MEASURED_CHANGE.test(before) && !FORECAST_CUE.test(before) && !/\b(?:will|plans?|aims?|targets?|goal|intends?)\b/i.test(before)) return "reported";
    return nearestOf(before, STATUS_CUES) ?? "reported";
  }
  return "reported";
}

/** A group of countries as the partner: "trade with Central Asian countries", "exports to the region". */
const GROUP_PARTNER = new RegExp(String.raw`\b(?:with|to|from|and)\s(?:the\s)?${cuePattern("cues_trade", "group_partner").source}`, "i");

/** "to Afghanistan and Uzbekistan", "from Kazakhstan, Russia and Belarus": countries coordinated after one direction word. */
const COORDINATED = /^\s?(?:,\s?(?:and\s|&\s)?|and\s|&\s|as well as\s)(?:the\s)?$/i;

/** Whether the figure's destination or origin is a list of countries: one figure for several partners is not a bilateral flow. */
function sharedByCountries(a: SentenceAnalysis, owned: RoledEntity[]): boolean {
  return owned.some((e) => {
    if (e.role !== "dest" && e.role !== "origin") return false;
    const next = a.entities.find((x) => x.start >= e.end && x.kind !== "place");
    return next !== undefined && next.iso3 !== e.iso3 && COORDINATED.test(a.text.slice(e.end, next.start));
  });
}

/** A country's trade with the whole world or a group of countries: no single partner, so no bilateral flow. */
function isWorldTotal(a: SentenceAnalysis, q: Quantity, ws: number, we: number, owned: RoledEntity[]): boolean {
  if (countriesIn(owned).length >= 2) return false;
  return WORLD_LEFT.test(a.text.slice(ws, q.qualStart)) || WORLD_RIGHT.test(a.text.slice(q.end, we)) || GROUP_PARTNER.test(a.text.slice(ws, we));
}

export function commodityOf(a: SentenceAnalysis, q: Quantity, ws: number, we: number): string | null {
  const right = a.text.slice(q.end, Math.min(we, q.end + 45));
  const of = /^\s(?:of|in)\s(?:the\s)?(?:home-grown\s|domestic\s|kazakh\s|afghan\s)?/i.exec(right);
  if (of) {
    const items = itemsIn(right.slice(0, 40));
    if (items.length && !/^\s(?:of|in)\s(?:the\s)?(?:goods|products|cargo|commodities)\b/i.test(right)) return items.join("; ");
  }
  const named = of ? /^\s(?:of|in)\s(?:the\s)?([a-z][a-z-]*(?:\s[a-z][a-z-]*){0,2}?)(?=\s(?:worth|valued|to|from|were|was|and|in|into|through|via|for|at|by|with|on)\b|[,.;)]|$)/.exec(right) : null;
  if (named && !/^(?:goods|products|cargo|commodities|various|other|which|it|them|the|this|that|coming|next|last|past|first|recent)\b|\b(?:years?|months?|period|days?|weeks?)$/.test(named[1]!)) return named[1]!.trim();
  const left = a.text.slice(ws, q.qualStart);
  if (COMMODITY_LEFT_LINK.test(left)) {
    const items = itemsIn(left.slice(-45));
    if (items.length) return items[items.length - 1]!;
  }
  return null;
}

interface Pair {
  reporter: string;
  partner: string;
  /** How many sides came from the article context rather than the clause. */
  inferred: number;
}

/**
 * A pair from one known side and maybe the other; the article's main pair supplies a missing other side.
 * A module function, not a closure in pairFor: tsx names every closure as it is made, a cost on each call.
 */
function fill(ctx: ArticleContext, known: string | null, other: string | null): Pair | null {
  if (known && other && known !== other) return { reporter: known, partner: other, inferred: 0 };
  // Afghanistan's exports or imports with no partner in sight are its trade with the world, not with the article's other country.
  if (known && !other && known !== ctx.hub) {
    const o = senderTo(ctx, known);
    return o && o !== known ? { reporter: known, partner: o, inferred: 1 } : null;
  }
  return null;
}

/**
 * The unnamed side of a directional flow whose other side is named: "exports to India" in an article about
 * Afghanistan are Afghanistan's (its hub), unless the named side is the hub itself.
 */
function senderTo(ctx: ArticleContext, named: string): string | null {
  return named === ctx.hub ? ctx.focus : (ctx.hub ?? ctx.focus);
}

/** "trade between A and B ..., with A's exports at $X": the other country of a pair the sentence names. */
function otherOfPair(sentenceEnts: readonly RoledEntity[], one: string | null): string | null {
  const pair = [...new Set(sentenceEnts.filter((e) => e.role === "pair").map((e) => e.iso3))];
  return one !== null && pair.length === 2 && pair.includes(one) ? pair.find((c) => c !== one)! : null;
}

/** "$66 million in trade between the two, with Afghan exports accounting for $7 million": a part trades within its whole's pair. */
function otherOfWhole(whole: TradeMemo | null, one: string | null): string | null {
  if (!whole || one === null) return null;
  return whole.reporter === one ? whole.partner : whole.partner === one ? whole.reporter : null;
}

function pairFor(ctx: ArticleContext, flow: Flow, ents: RoledEntity[], sentenceEnts: readonly RoledEntity[], inherited: TradeMemo | null, whole: TradeMemo | null): Pair | null {
  const named = ents.filter((e) => e.role !== "location");
  if (named.length === 0 && inherited) return { reporter: inherited.reporter, partner: inherited.partner, inferred: 1 };
  if (flow === "export") {
    const exporter = firstWithRole(ents, "origin") ?? firstWithRole(ents, "owner") ?? firstWithRole(ents, "subject") ?? firstWithRole(sentenceEnts, "origin") ?? firstWithRole(sentenceEnts, "owner");
    const importer = firstWithRole(ents, "dest") ?? firstWithRole(ents, "partner") ?? firstWithRole(sentenceEnts, "dest") ?? firstWithRole(sentenceEnts, "partner") ?? countriesIn(named).find((c) => c !== exporter) ?? otherOfPair(sentenceEnts, exporter) ?? otherOfWhole(whole, exporter);
    if (!exporter && importer) {
      const o = senderTo(ctx, importer);
      return o && o !== importer ? { reporter: o, partner: importer, inferred: 1 } : null;
    }
    return fill(ctx, exporter, importer);
  }
  if (flow === "import") {
    const subject = firstWithRole(ents, "subject");
    const owner = firstWithRole(ents, "owner");
    const origin = firstWithRole(ents, "origin") ?? firstWithRole(sentenceEnts, "origin");
    const importer = firstWithRole(ents, "dest") ?? (subject && subject !== owner ? subject : null) ?? (origin ? owner : null) ?? subject ?? owner;
    const exporter = origin ?? (owner && owner !== importer ? owner : null) ?? otherOfPair(sentenceEnts, importer) ?? otherOfWhole(whole, importer);
    if (!importer && exporter) {
      const o = senderTo(ctx, exporter);
      return o && o !== exporter ? { reporter: o, partner: exporter, inferred: 1 } : null;
    }
    return fill(ctx, importer, exporter);
  }
  const pairs = ents.filter((e) => e.role === "pair").map((e) => e.iso3);
  const countries = [...new Set([...pairs, ...countriesIn(named)])];
  if (countries.length === 0 && ents.length > 0) countries.push(...new Set(ents.map((e) => e.iso3)));
  if (countries.length >= 2) return orderTurnover(ctx, countries[0]!, countries[1]!, 0);
  if (countries.length === 1) {
    const o = otherOf(ctx, countries[0]!);
    return o && o !== countries[0] ? orderTurnover(ctx, countries[0]!, o, 1) : null;
  }
  return ctx.focus && ctx.hub ? orderTurnover(ctx, ctx.focus, ctx.hub, 2) : null;
}

/** Remembers a figure for the sentences that follow, forgetting what no later sentence can refer to. */
function remember(state: TradeState, memo: TradeMemo): void {
  state.memos.push(memo);
  while (state.memos.length > 0 && state.memos[0]!.sentence < memo.sentence - 2) state.memos.shift();
  if (memo.period && memo.months) state.bySpan.set(memo.months[1] - memo.months[0], memo);
}

/** Turnover has no direction: the hub (Afghanistan) is the partner, so one pair always gets one key. */
function orderTurnover(ctx: ArticleContext, a: string, b: string, inferred: number): Pair {
  if (a === ctx.hub) return { reporter: b, partner: a, inferred };
  if (b === ctx.hub) return { reporter: a, partner: b, inferred };
  return a === ctx.focus ? { reporter: a, partner: b, inferred } : b === ctx.focus ? { reporter: b, partner: a, inferred } : a < b ? { reporter: a, partner: b, inferred } : { reporter: b, partner: a, inferred };
}

export interface TradeFactInput {
  ctx: ArticleContext;
  a: SentenceAnalysis;
  q: Quantity;
  state: TradeState;
}

function tradeFact(ctx: ArticleContext, a: SentenceAnalysis, q: Quantity, fields: { flow: Flow; reporter: string; partner: string; status: TradeStatus; period: Period | null; commodity: string | null }, rule: string, confidence: number): ExtractedFact {
  const isMoney = q.kind === "money";
  return {
    table: "trade_flows",
    article_id: ctx.article.meta.article_id,
    fields: {
      reporter_iso3: fields.reporter,
      partner_iso3: fields.partner,
      flow: fields.flow,
      period_start: fields.period?.start ?? null,
      period_end: fields.period?.end ?? null,
      status: fields.status,
      quantity_tonnes: isMoney ? null : q.value,
      commodity: fields.commodity,
    },
    money: isMoney ? { amount: q.value, currency: q.currency } : null,
    qualifier: q.qualifier,
    evidence: [evidence(a, q, isMoney ? "value_usd" : "quantity_tonnes", isMoney ? null : q.value, rule, confidence)],
    aid_items: [],
    changes: [],
    notes: [],
  };
}

/** A period that opens the sentence ("In 2024, ...", "- During January-June 2025, ..."): it dates every figure after it. */
const FRONTED_PERIOD = /^[\s\-•*–—]*(?:in|during|for|over|between|from|as of|by)?\s?(?:the\s)?$/i;
/** A figure told as part of the one before: "..., with Afghan exports accounting for $7 million", "of which". */
const PART_OF_BEFORE = /(?:,\s?with\b|\bof which\b|\bincluding\b)/i;

/**
 * Whether a figure without a period of its own takes that of an earlier figure of its sentence: when the
 * period opens the sentence, or the figure is told as a part of the earlier one. Not otherwise, as in
 * "the top partner in 2022 (at $9.3bn), now second at $2.9bn", where the period dates only its own figure.
 */
function sharesPeriod(a: SentenceAnalysis, earlier: TradeMemo, q: Quantity): boolean {
  const p = a.periods.find((x) => x.kind === "period" && x.period?.start === earlier.period?.start && x.end <= earlier.at);
  if (p && FRONTED_PERIOD.test(a.text.slice(0, p.start))) return true;
  return PART_OF_BEFORE.test(a.text.slice(earlier.at, q.qualStart));
}

/** "$2 billion were exported, with the majority of exports going to Pakistan": the partner takes only a share of the figure. */
const SHARE_OF_TOTAL = new RegExp(String.raw`\b(?:the\s)?${cuePattern("cues_trade", "share_of_total").source}\sof\b`, "i");

/** The header lines a list item stands under, innermost first. */
function headersOf(ctx: ArticleContext, a: SentenceAnalysis): SentenceAnalysis[] {
  return a.sentence.headers.map((i) => ctx.sentences[i]!).reverse();
}

/** "Imported in 2024:" over "* Malaysia: $2.4 billion": the direction a list's header gives its items. */
function headerFlow(headers: SentenceAnalysis[]): Flow | null {
  for (const h of headers) {
    const cue = nearestCue(h.text, h.text.length);
    if (cue) return cue.flow;
  }
  return null;
}

/**
 * A list item naming one country under a header that gives the direction: the country is the partner of the
 * country the header names (or of the article's hub, when the header names none).
 */
function listItemPair(ctx: ArticleContext, flow: Flow, ents: RoledEntity[], headers: SentenceAnalysis[]): Pair | null {
  if (headers.length === 0) return null;
  const item = countriesIn(ents);
  if (item.length !== 1) return null;
  const owner = headers.flatMap((h) => countriesIn(h.entities)).find((c) => c !== item[0]) ?? ctx.hub;
  if (!owner || owner === item[0]) return null;
  if (flow === "turnover") return orderTurnover(ctx, owner, item[0]!, 1);
  return { reporter: owner, partner: item[0]!, inferred: 1 };
}

/** "the Chinese ambassador said", "Kazakh analysts": a person's nationality names who speaks, not who trades. */
const PERSON_AFTER = new RegExp(String.raw`^\s${cuePattern("cues_trade", "speaker").source}`, "i");

function isSpeaker(a: SentenceAnalysis, e: RoledEntity): boolean {
  return e.kind === "demonym" && PERSON_AFTER.test(a.text.slice(e.end, e.end + 20));
}

/** A figure for a trade flow: value or tonnage, with pair, direction, period and status read from its clause. */
function extractTrade({ ctx, a, q, state }: TradeFactInput): { fact: ExtractedFact; memo: TradeMemo; unresolved: string | null } | { skip: string } {
  const [ws, we] = windowOf(a, q);
  const ents = rolesIn(a, ws, we, q).filter((e) => !isSpeaker(a, e));
  const pm = periodFor(a, q);
  if (isWorldTotal(a, q, ws, we, ents)) {
    // The narrative's period still holds for the figures that follow ("The main partners were Russia ($750 million)").
    if (pm?.kind === "period") state.carried = { period: pm.period, months: pm.months, sentence: a.sentence.index };
    else if (state.carried) state.carried = { ...state.carried, sentence: a.sentence.index };
    return { skip: "a country's trade with the whole world (no partner)" };
  }
  const headers = headersOf(ctx, a);
  const ownFlow = flowOf(a, q, ws, we);
  const flow = ownFlow ?? headerFlow(headers);
  if (!flow) return { skip: "no trade cue" };
  if (flow !== "turnover" && sharedByCountries(a, ents)) return { skip: "one figure for several destinations or origins (not bilateral)" };
  if (NOT_TRADE.test(a.text.slice(clauseStart(a, q), we))) return { skip: "transit, investment or re-export, not bilateral trade in goods" };
  if (SHARE_OF_TOTAL.test(a.text.slice(q.end, we))) return { skip: "a total of which only a share goes to the named partner" };
  const sentenceEnts = sentenceRoles(a).filter((e) => !isSpeaker(a, e));
  const sameSentence = state.memos.filter((m) => m.sentence === a.sentence.index).at(-1) ?? null;
  const recent = state.memos.at(-1);
  const inherited = sameSentence ?? (recent && a.sentence.index - recent.sentence <= 1 ? recent : null);
  // Only an item that gives no direction of its own is read through its header.
  const pair = (ownFlow === null ? listItemPair(ctx, flow, ents, headers) : null) ?? pairFor(ctx, flow, ents, sentenceEnts, inherited, sameSentence && PART_OF_BEFORE.test(a.text.slice(sameSentence.at, q.qualStart)) ? sameSentence : null);
  if (!pair) return { skip: "cannot tell which two countries trade" };
  const status = statusOf(a, q, ws, we);
  // "Kazakhstan expects to export 9 million tons of grain": a projection naming one country is about its trade with the world.
  if (status !== "reported" && flow !== "turnover" && pair.inferred > 0 && !sentenceEnts.some((e) => e.iso3 === pair.partner && e.kind !== "place")) return { skip: "a projection with no partner named" };

  let period: Period | null = null;
  let months: [number, number] | null = null;
  let unresolved: string | null = null;
  let inheritedPeriod = false;
  const carried = state.carried && a.sentence.index - state.carried.sentence <= 2 ? state.carried : null;
  if (pm && pm.kind === "period") {
    period = pm.period;
    months = pm.months;
    if (!period && pm.unresolved) unresolved = `"${pm.text}": ${pm.unresolved}`;
  } else if (pm && pm.kind === "duration") {
    // "in six months": the latest figure whose period has that length.
    const same = state.bySpan.get(pm.months![1] - pm.months![0]);
    period = same?.period ?? null;
    months = same?.months ?? null;
    inheritedPeriod = same !== undefined;
  } else if (!pm && headers.some((h) => h.periods.some((p) => p.kind === "period"))) {
    const hp = headers.flatMap((h) => h.periods).find((p) => p.kind === "period")!;
    period = hp.period;
    months = hp.months;
    if (!period && hp.unresolved) unresolved = `"${hp.text}": ${hp.unresolved}`;
  } else if (!pm && sameSentence?.period && sameSentence.fact.fields.status === status && sharesPeriod(a, sameSentence, q)) {
    period = sameSentence.period;
    months = sameSentence.months;
  } else if (!pm && status === "reported" && carried) {
    period = carried.period;
    months = carried.months;
    inheritedPeriod = true;
  }
  const commodity = commodityOf(a, q, ws, we) ?? headers.map((h) => itemsIn(h.text)[0]).find((x) => x !== undefined) ?? null;
  // A side taken from the article, a period carried from another sentence, or no period at all each make the figure less sure.
  const confidence = Math.max(0.5, 0.9 - 0.15 * pair.inferred - (inheritedPeriod ? 0.1 : 0) - (period === null ? 0.15 : 0));
  const rule = q.kind === "money" ? `trade.${status === "reported" ? "value" : "projected_value"}` : "trade.tonnage";
  const fact = tradeFact(ctx, a, q, { flow, reporter: pair.reporter, partner: pair.partner, status, period, commodity }, rule, confidence);
  return { fact, memo: { fact, sentence: a.sentence.index, at: q.start, reporter: pair.reporter, partner: pair.partner, flow, period, months }, unresolved };
}

/**
 * A base-period figure stated beside a current one: "2.1 more than in the previous year (474.3 million)",
 * "a 33.6 percent drop from $13.2 million during the same period in 2023". Same series, earlier period.
 */
function extractBaseValue({ ctx, a, q, state }: TradeFactInput): TradeMemo | null {
  if (!(q.kind === "money" || (q.kind === "plain" && q.scaled))) return null;
  const [ws] = windowOf(a, q);
  const left = a.text.slice(ws, q.qualStart);
  const compBefore = comparativeBefore(a, q);
  const compAfter = comparativeAfter(a, q);
  const isBase =
    (q.parenthesized && compBefore) ||
    // "the figure for the same period last year was $1.1 billion"
    (compBefore && /\b(?:was|were|stood at|amounted to|totall?ed|reached|came to)\s$/i.test(left)) ||
    (/\b(?:from|compared (?:to|with)|against|versus|vs\.?)\s$/i.test(left) && (compAfter || compBefore) && /%|percent|times|fold|drop|declin|increase|grow|rise|fell|decrease/i.test(left + a.text.slice(0, ws)));
  if (!isBase) return null;
  const main = state.memos.filter((m) => m.sentence === a.sentence.index).at(-1) ?? (state.memos.at(-1)?.sentence === a.sentence.index - 1 ? state.memos.at(-1)! : null);
  return main ? baseOf(ctx, a, q, main, compBefore ?? compAfter) : null;
}

/**
 * The earlier-period figure of `main`'s series: its period from the comparative ("the same period in 2023",
 * "a year earlier"), from its own period mention, or none — and then no fact, as a base value with no period
 * says nothing an analyst can use.
 */
function baseOf(ctx: ArticleContext, a: SentenceAnalysis, q: Quantity, main: TradeMemo, comp: PeriodMention | null): TradeMemo | null {
  if (main.fact.fields.status !== "reported") return null;
  const own = periodFor(a, q);
  let period: Period | null = null;
  if (own?.kind === "period" && own.period && own.period.start !== main.period?.start) period = own.period;
  else if (comp && comp.year !== null && main.months) period = monthsPeriod(comp.year, main.months[0], main.months[1]);
  else if (comp && comp.year !== null && !main.months && main.period) period = { start: `${comp.year}${main.period.start.slice(4)}`, end: `${comp.year}${main.period.end.slice(4)}` };
  else if (comp && main.period) period = previousYear(main.period);
  // Without a period a base value is still the article's figure for an earlier time; it waits for review.
  if (!period && !comp && own?.kind !== "period") return null;
  const mainMoney = main.fact.money;
  const asMoney: Quantity = mainMoney ? { ...q, kind: "money", currency: q.currency ?? mainMoney.currency } : { ...q, kind: "mass" };
  const fields = {
    flow: main.flow,
    reporter: main.reporter,
    partner: main.partner,
    status: "reported" as const,
    period,
    commodity: (main.fact.fields.commodity as string | null) ?? null,
  };
  const fact = tradeFact(ctx, a, asMoney, fields, "trade.base_value", period === null ? 0.6 : own?.period ? 0.85 : 0.8);
  return { fact, sentence: a.sentence.index, at: q.start, reporter: main.reporter, partner: main.partner, flow: main.flow, period, months: main.months };
}

/** "from $151 million to $253 million": the figure after "to" when `q` is the one after "from" (the earlier level). */
function fromToPartner(a: SentenceAnalysis, q: Quantity, open: readonly Quantity[]): Quantity | null {
  if (!isMeasure(q) || !/\bfrom\s$/i.test(a.text.slice(Math.max(0, q.qualStart - 6), q.qualStart))) return null;
  const next = a.quantities[a.quantities.indexOf(q) + 1];
  if (!next || next.kind !== q.kind || !open.includes(next)) return null;
  return /^[^.;$]{0,45}?\bto\s$/i.test(a.text.slice(q.end, next.qualStart)) && !/\bto\b[^]*\bto\s$/i.test(a.text.slice(q.end, next.qualStart)) ? next : null;
}

const CHANGE_WINDOW = 30;

/** A stated change ("increased by 82.6%", "a 2.1-fold increase", "doubled") for the nearest trade figure. */
function statedChange(a: SentenceAnalysis, q: Quantity): number | null {
  if (q.kind === "multiplier" || (q.kind === "count" && /^(?:more|higher|times)$/.test(q.unit ?? ""))) return (q.value - 1) * 100;
  if (q.kind !== "percent") return null;
  const before = a.text.slice(Math.max(0, q.qualStart - CHANGE_WINDOW), q.qualStart);
  const after = a.text.slice(q.end, q.end + CHANGE_WINDOW);
  if (/\bof\s(?:the\s)?(?:total|turnover|trade|exports?|imports?)|\b(?:accounts?|account(?:ed)? for|share|falls? on|fell on)\b/i.test(after + " " + before.slice(-15))) return null;
  if (/^\s*(?:of|in)\b/i.test(after) && !/\b(?:increase|decrease|growth|drop|decline|rise)\b/i.test(after.slice(0, 15)) && !/\b(?:by|up|down)\s$/i.test(before)) return null;
  const down = CHANGE_DOWN.test(before.slice(-18)) || /^\s*(?:drop|decline|decrease|fall|lower|less|down)/i.test(after);
  const up = CHANGE_UP.test(before.slice(-22)) || /^\s*(?:increase|growth|rise|more|higher|up|jump)/i.test(after) || /\+\s?$/.test(before);
  if (!up && !down) return null;
  return down ? -q.value : q.value;
}

function doubledChange(a: SentenceAnalysis): number | null {
  const m = DOUBLED.exec(a.text);
  if (!m) return null;
  const w = m[1]!.toLowerCase();
  return w.startsWith("doubl") ? 100 : w.startsWith("tripl") ? 200 : 300;
}

function changeRecord(pct: number, text: string): StatedChange {
  return { pct, text, base_period_start: null, base_period_end: null };
}

function tradeState(state: ExtractState): TradeState {
  return memoryOf<TradeState>(state, "trade", () => ({ memos: [], bySpan: new Map(), carried: null }));
}

/** "Of $343 million, ... $334 million fell on exports": the first figure restates a total given before. */
function isRestatement(a: SentenceAnalysis, q: Quantity): boolean {
  return /^\s*of\s*$/i.test(a.text.slice(0, q.qualStart));
}

const WORTH_LINK = /^[^.;$]{0,60}\b(?:worth|valued at|amounting to|for a total of|totall?ing|at a cost of)\s(?:about\s|around\s|some\s|over\s|more than\s|nearly\s|almost\s|approximately\s)?$/i;

/** The tonnage figure of this sentence that a money amount right after it ("... worth $320 million") values. */
function tonnageValued(a: SentenceAnalysis, q: Quantity, trade: TradeState): TradeMemo | null {
  if (q.kind !== "money") return null;
  const memo = trade.memos.filter((m) => m.sentence === a.sentence.index).at(-1);
  if (!memo || memo.fact.money || memo.fact.fields.quantity_tonnes === null) return null;
  const massEnd = a.quantities.find((x) => x.start === memo.at)?.end;
  return massEnd !== undefined && WORTH_LINK.test(a.text.slice(massEnd, q.start)) ? memo : null;
}

/** "exported 1.1 million tons of flour to Afghanistan in 2021, worth around $320 million": one flow, two measures. */
function valueTonnage(a: SentenceAnalysis, q: Quantity, memo: TradeMemo): void {
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
}

/** A trade figure of the sentence: pair, direction, period and status from its clause, or a QA row saying why not. */
function produceTrade({ ctx, a, state, rates }: RuleInput, q: Quantity): void {
  const trade = tradeState(state);
  const r = extractTrade({ ctx, a, q, state: trade });
  if ("skip" in r) {
    state.qa.push(unplaced(ctx.article.meta.article_id, a, q, r.skip));
    return;
  }
  const rate = rates.get(q);
  if (rate !== undefined && r.fact.money) r.fact.money.statedUsd = rate;
  if (r.unresolved) r.fact.notes.push({ check: "unresolved_date", severity: "warning", message: r.unresolved });
  state.facts.push(r.fact);
  remember(trade, r.memo);
}

const ANAPHORIC = /^(?:This|It|That|Which)\b/;
const NO_MEMOS: readonly TradeMemo[] = [];

/**
 * Stated changes ("up 12%", "doubled") go to the nearest trade figure of their sentence, or after "This"/"It"
 * to the last figure of the sentence before; the period of the sentence's last reported figure carries on.
 */
function recordChanges(a: SentenceAnalysis, trade: TradeState): void {
  // "Trade between the two fell during the first half of this year." sets the time the next figures speak of.
  if (a.quantities.length === 0 && a.has(TRADE_CUE)) {
    const p = a.periods.find((x) => x.kind === "period" && x.period);
    if (p) trade.carried = { period: p.period, months: p.months, sentence: a.sentence.index };
  }
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

/** A sentence about trade, or a list item under a header about trade. */
function isTradeText(ctx: ArticleContext, a: SentenceAnalysis): boolean {
  return a.has(TRADE_CUE) || headersOf(ctx, a).some((h) => h.has(TRADE_CUE));
}

/** Base values found by `match`, kept for `produce` (a quantity is asked about once). */
const baseFound = new WeakMap<Quantity, TradeMemo>();

/** Money per unit of goods: "$265 per ton", "at $0.9 a kilogram", "$273 tons" (a slip for per ton). */
const PER_UNIT_AFTER = /^\s?(?:(?:per|a|an|\/|for each|for one|for every)\s?(?:metric\s)?|each\s)?(?:tons?|tonnes?|t|kg|kilos?|kilograms?|barrels?|litres?|liters?|cubic met(?:er|re)s?|kwh|kilowatt[- ]hours?|pieces?|units?)\b/i;
const PRICE_WORD = cuePattern("cues_trade", "price").source;
const PRICE_BEFORE = new RegExp(String.raw`${PRICE_WORD}\s(?:\w+\s)?(?:of|at|to|from|was|is|were|are|stood at|reached)?\s?(?:about\s|around\s|some\s|nearly\s)?$|\bat an average(?: price)?(?: of)?\s$`, "i");

/** Whether a money amount is a price per unit: prices and freight rates are not facts of any table. */
function isUnitPrice(a: SentenceAnalysis, q: Quantity): boolean {
  return q.kind === "money" && (PER_UNIT_AFTER.test(a.text.slice(q.end, q.end + 30)) || PRICE_BEFORE.test(a.text.slice(Math.max(0, q.qualStart - 40), q.qualStart)));
}

/** Trade rules asked before the aid rules: they take figures whose role the sentence already fixes. */
export const TRADE_RULES: Rule[] = [
  {
    id: "trade.unit_price",
    table: "trade_flows",
    description: "A price or freight rate per unit ('$265 per ton', 'priced at $0.8 a kilo') is taken so that no rule reads it as a flow's value; it makes no fact.",
    examples: {
      must: [],
      mustNot: [
        { text: "In 2023 Turkmenistan sold 300,000 tons of petrol to Afghanistan at $610 per ton.", notValue: 610 },
        { text: "Prices of Iranian cement in Herat rose to $75 a tonne last month.", notValue: 75 },
      ],
    },
    match: ({ a }, q) => (isUnitPrice(a, q) ? [q] : []),
    produce: () => {},
  },
  {
    id: "trade.restated_total",
    table: "trade_flows",
    description: "'Of $343 million, ...': a figure that restates a total given before is taken so that no rule counts it twice; it makes no fact.",
    examples: {
      must: [],
      mustNot: [{ text: "Of $60 million in trade with Afghanistan, Kyrgyz exports made up $45 million.", notValue: 60000000 }],
    },
    match: ({ a }, q) => (isMeasure(q) && isRestatement(a, q) ? [q] : []),
    produce: () => {},
  },
  {
    id: "trade.from_to",
    table: "trade_flows",
    description: "'rose from $40 million to $55 million in 2023 compared with the same period of 2022': the 'to' figure is the period's value, the 'from' figure the earlier period's, made only when the text dates it.",
    examples: {
      must: [
        { text: "Uzbek imports from Afghanistan rose by 38 percent from $40 million to $55 million in the first half of 2023 compared with the same period of 2022.", expect: { flow: "import", reporter_iso3: "UZB", partner_iso3: "AFG", value_original: 40000000, period_start: "2022-01-01", period_end: "2022-06-30" } },
      ],
      mustNot: [{ text: "Uzbek imports from Afghanistan rose from $40 million to $55 million.", notValue: 40000000 }],
    },
    match: ({ a, open }, q) => {
      const to = a.has(TRADE_CUE) ? fromToPartner(a, q, open) : null;
      return to ? [q, to] : [];
    },
    produce: (input, [from, to]) => {
      const trade = tradeState(input.state);
      const last = trade.memos.at(-1);
      produceTrade(input, to!);
      const main = trade.memos.at(-1) !== last ? trade.memos.at(-1)! : null;
      // "raise trade from $1 billion to $3 billion": before a target, the "from" figure is today's level.
      if (main && main.fact.fields.status !== "reported") return produceTrade(input, from!);
      const base = main ? baseOf(input.ctx, input.a, from!, main, comparativeAfter(input.a, to!, 80) ?? comparativeBefore(input.a, from!)) : null;
      if (!base) return;
      base.fact.evidence[0]!.rule = "trade.from_to";
      input.state.facts.push(base.fact);
      remember(trade, base);
    },
  },
  {
    id: "trade.base_value",
    table: "trade_flows",
    description: "A base-period value stated beside a current one ('up 30% from $10 million a year earlier', 'the previous year (5.1 million)').",
    examples: {
      must: [
        { text: "Trade between Kyrgyzstan and Afghanistan reached $15 million in 2023, up 50 percent from $10 million in the previous year.", expect: { flow: "turnover", partner_iso3: "KGZ", period_start: "2022-01-01", period_end: "2022-12-31", value_original: 10000000 } },
        { text: "Exports from Iran to Afghanistan totaled $600 million in January-March 2024, 20% more than the same period of last year (500 million).", expect: { flow: "export", reporter_iso3: "IRN", period_start: "2023-01-01", period_end: "2023-03-31", value_original: 500000000 } },
      ],
      mustNot: [{ text: "Trade between Kyrgyzstan and Afghanistan reached $15 million in 2023, and $10 million is expected next year." }],
    },
    match: ({ ctx, a, state }, q) => {
      const base = extractBaseValue({ ctx, a, q, state: tradeState(state) });
      if (!base) return [];
      baseFound.set(q, base);
      return [q];
    },
    produce: ({ state }, [q]) => {
      const base = baseFound.get(q!)!;
      state.facts.push(base.fact);
      remember(tradeState(state), base);
    },
  },
];

/** Trade rules asked after the aid rules: a figure in an aid story is aid's first. */
export const TRADE_FIGURE_RULES: Rule[] = [
  {
    id: "trade.value_of_tonnage",
    table: "trade_flows",
    description: "The value given for a tonnage in the same clause ('60,000 tons of flour worth $18 million'): one flow, two measures.",
    examples: {
      must: [{ text: "In 2023 Uzbekistan exported 90,000 tons of flour to Afghanistan worth $27 million.", expect: { quantity_tonnes: 90000, value_original: 27000000 } }],
      mustNot: [{ text: "In 2023 Uzbekistan exported 90,000 tons of flour to Afghanistan, and trade reached $27 million." }],
    },
    match: ({ a, state }, q) => (tonnageValued(a, q, tradeState(state)) ? [q] : []),
    produce: ({ a, state }, [q]) => valueTonnage(a, q!, tonnageValued(a, q!, tradeState(state))!),
  },
  {
    id: "trade.value",
    table: "trade_flows",
    description: "A reported money value of trade between two countries: turnover, exports or imports, with direction from prepositions, possessives and demonyms.",
    examples: {
      must: [
        { text: "Trade between Tajikistan and Afghanistan reached $88.4 million in 2023.", expect: { flow: "turnover", reporter_iso3: "AFG", partner_iso3: "TJK", period_start: "2023-01-01", period_end: "2023-12-31", status: "reported", value_original: 88400000 } },
        { text: "Pakistani exports to Afghanistan fell to $520mn in the first half of 2024.", expect: { flow: "export", reporter_iso3: "PAK", partner_iso3: "AFG", period_start: "2024-01-01", period_end: "2024-06-30", value_original: 520000000 } },
        { text: "In 2021, Afghan imports into Uzbekistan totaled $41.5 millions.", expect: { flow: "import", reporter_iso3: "UZB", partner_iso3: "AFG", value_original: 41500000 } },
        { text: "Turkmenistan's imports from Afghanistan stood at USD 23 million last year.", published: "2024-03-01", expect: { flow: "import", reporter_iso3: "TKM", partner_iso3: "AFG", period_start: "2023-01-01", period_end: "2023-12-31" } },
        { text: "Mutual trade between Iran and Afghanistan amounted to almost $2 billion in 2022.", expect: { flow: "turnover", reporter_iso3: "AFG", partner_iso3: "IRN", qualifier: "approx", value_original: 2000000000 } },
        { text: "Afghanistan imported goods worth 12.5 billion tenge from Kazakhstan in 2023.", expect: { flow: "import", reporter_iso3: "AFG", partner_iso3: "KAZ", currency_original: "KZT", value_original: 12500000000 } },
      ],
      mustNot: [
        { text: "Kazakhstan's foreign trade turnover amounted to $139 billion in 2023." },
        { text: "About 80% of the trade falls on Uzbek exports to Afghanistan." },
        { text: "Afghan traders have invested $15 million in Kazakhstan since 2010." },
      ],
    },
    match: ({ ctx, a }, q) => (q.kind === "money" && isTradeText(ctx, a) ? [q] : []),
    produce: (input, [q]) => produceTrade(input, q!),
    afterSentence: ({ a, state }) => recordChanges(a, tradeState(state)),
  },
  {
    id: "trade.projected_value",
    table: "trade_flows",
    description: "A target, forecast or potential trade value: 'plan to raise trade to', 'expected to export', 'export potential of'.",
    examples: {
      must: [
        { text: "Kyrgyzstan and Afghanistan plan to raise bilateral trade to $2 billion.", expect: { flow: "turnover", reporter_iso3: "AFG", partner_iso3: "KGZ", status: "target", value_original: 2000000000 } },
        { text: "Uzbekistan is expected to export $700 million worth of goods to Afghanistan.", expect: { flow: "export", reporter_iso3: "UZB", status: "forecast" } },
        { text: "Tajikistan's export potential for Afghanistan is estimated at $250 million.", expect: { flow: "export", reporter_iso3: "TJK", partner_iso3: "AFG", status: "potential" } },
      ],
      mustNot: [{ text: "Bilateral trade between Uzbekistan and Afghanistan grew to $1.1 billion in 2023." }],
    },
    partOf: "trade.value",
  },
  {
    id: "trade.tonnage",
    table: "trade_flows",
    description: "A traded quantity in tonnes, with its commodity when named ('exported 60,000 tons of flour to').",
    examples: {
      must: [
        { text: "In 2022 Kazakhstan exported 1.2 million tons of wheat to Afghanistan.", expect: { flow: "export", reporter_iso3: "KAZ", partner_iso3: "AFG", quantity_tonnes: 1200000, commodity: "wheat", period_start: "2022-01-01" } },
        { text: "Some 15 tons of saffron from Herat province were exported to Tashkent.", expect: { flow: "export", reporter_iso3: "AFG", partner_iso3: "UZB", quantity_tonnes: 15 } },
        { text: "Afghanistan bought 2,2 thousand tonnes of sugar from Uzbekistan in 2023.", expect: { flow: "import", reporter_iso3: "AFG", partner_iso3: "UZB", quantity_tonnes: 2200 } },
      ],
      mustNot: [{ text: "Every year the country harvests 5 million tons of wheat." }],
    },
    match: ({ ctx, a }, q) => (q.kind === "mass" && isTradeText(ctx, a) ? [q] : []),
    produce: (input, [q]) => produceTrade(input, q!),
  },
];
