import type { ExtractedFact } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { AID_AGGREGATE, AID_ANAPHORA, AID_CUE, AID_NEW_SHIPMENT, AID_PLEDGE, itemsIn, NOT_AID, NOT_AID_FUNDS, NOT_COUNTED, REPORTED_BEFORE, STRONG_TRADE, TRADE_CUE, TRADE_PHRASE } from "../cues.ts";
import type { ChannelMention, EntityMention } from "../entities.ts";
import type { Quantity } from "../numbers.ts";
import type { PeriodMention } from "../periods.ts";
import { evidence, firstWithRole, periodFor, sentenceRoles, windowOf } from "./common.ts";
import { cuePattern } from "../lexicon.ts";
import { memoryOf, type ExtractState, type Rule, type RuleInput } from "./registry.ts";

/** One shipment being assembled from consecutive sentences ("2,200 tons ..." then "The aid shipment, comprising 36 railway cars"). */
export interface AidFrame {
  fact: ExtractedFact;
  sentences: number[];
  /** The clause of the number that opened the frame: what decides shipment, pledge or aggregate. */
  clause: string;
  /** The item named with the shipment's weight ("1,000 tons of flour"): a weight that is itself an item, not a total. */
  weightItem: string | null;
}

export interface AidState {
  frames: AidFrame[];
}

/** "development aid to various countries": no single recipient, so no bilateral record. */
const GROUP_RECIPIENT = new RegExp(String.raw`\b(?:to|for|among)\s(?:the\s)?(?:${cuePattern("cues_aid", "group_of").source}|\d+|[a-z]+-?(?:one|two|three|four|five|six|seven|eight|nine|ten|teen|ty))\s(?:countries|nations|states)\b`, "i");

const MODE_RAIL = cuePattern("cues_aid", "mode_rail");
const MODE_AIR = cuePattern("cues_aid", "mode_air");
const MODE_ROAD = cuePattern("cues_aid", "mode_road");

const PACKAGE_OF = new RegExp(String.raw`${cuePattern("cues_aid", "package").source}\s(?:of|worth|totall?ing|amounting to|valued at)\s(?:about\s|around\s|some\s|over\s|more than\s|nearly\s)?$`, "i");

/** "assistance of Rs 200 crore for Afghanistan": aid with a country named as its recipient in the clause. */
function namesRecipient(a: SentenceAnalysis, ws: number, we: number): boolean {
  return a.entities.some((e) => e.start >= ws && e.end <= we && e.kind !== "place" && /\b(?:for|to)\s(?:the\s)?(?:people of\s)?$/i.test(a.text.slice(Math.max(ws, e.start - 20), e.start)));
}

const INCLUDES = /\b(?:includ(?:e|es|ed|ing)|consist(?:s|ed|ing)?|compris(?:e|es|ed|ing)|such as|of which|contain(?:s|ed|ing)?|among them)\b/i;
/** A sentence that goes on about the shipment just described: "The consignment was handed over at ...". */
const ANAPHORIC_START = /^(?:It|They|This|These|Those|The (?:aid|shipments?|cargo(?:es)?|consignments?|convoys?|supplies|assistance|humanitarian|goods|deliver(?:y|ies)|trains?|batch(?:es)?))\b/;
const ITEM_AFTER = /^\s(?:of\s)?(?:\w+\s)?/;
const PLACE_PRIORITY = ["border_crossing", "station", "port", "dry_port", "city", "capital", "province"];

/**
 * Aid is the topic: said here, in the two sentences before (even without a number: "a shipment of humanitarian
 * aid arrived by rail from Kazakhstan"), or in a next sentence that goes on about it ("The consignments were handed over to the WFP").
 */
function isAidSentence(sentences: SentenceAnalysis[], a: SentenceAnalysis): boolean {
  const i = a.sentence.index;
  const next = sentences[i + 1];
  return (
    a.has(AID_CUE) ||
    (i >= 1 && sentences[i - 1]!.has(AID_CUE)) ||
    (i >= 2 && sentences[i - 2]!.has(AID_CUE)) ||
    (next !== undefined && next.has(ANAPHORIC_START) && next.has(AID_CUE))
  );
}

function field(q: Quantity): "weight_tonnes" | "railcars" | "value_usd" | "item" | null {
  if (q.kind === "mass") return "weight_tonnes";
  if (q.kind === "money") return "value_usd";
  if (q.kind === "count" && q.unit === "railcars") return "railcars";
  if (q.kind === "count" && q.unit && !NOT_COUNTED.test(q.unit) && !["agreements", "grants", "students", "institutions", "trucks"].includes(q.unit)) return "item";
  return null;
}

function newFrame(ctx: ArticleContext): AidFrame {
  return {
    sentences: [],
    clause: "",
    weightItem: null,
    fact: {
      table: "aid_shipments",
      article_id: ctx.article.meta.article_id,
      fields: { donor_iso3: null, recipient_iso3: null, kind: "shipment", event_date: null, period_start: null, period_end: null, weight_tonnes: null, railcars: null, transport_mode: null, items: null, channel: null, place: null },
      money: null,
      qualifier: "exact",
      evidence: [],
      aid_items: [],
      changes: [],
      notes: [],
    },
  };
}

function itemAfter(a: SentenceAnalysis, q: Quantity): string | null {
  const right = a.text.slice(q.end, q.end + 40);
  if (!ITEM_AFTER.test(right)) return null;
  return itemsIn(right.split(/[,;]/)[0] ?? "")[0] ?? null;
}

/**
 * Places one aid number: a new shipment, or a further measure of the shipment the previous sentences
 * describe, or an itemized quantity inside it. Returns the frame touched, or a reason to skip.
 */
function extractAid(ctx: ArticleContext, a: SentenceAnalysis, q: Quantity, state: AidState, statedUsd: number | null): AidFrame | { skip: string } {
  const f = field(q);
  if (!f) return { skip: "not an aid measure" };
  const near = a.text.slice(Math.max(0, q.qualStart - 40), Math.min(a.text.length, q.end + 40));
  if (NOT_AID.test(near)) return { skip: "needs or casualties, not aid delivered" };
  const [ws, we] = windowOf(a, q);
  if (GROUP_RECIPIENT.test(a.text.slice(ws, we))) return { skip: "aid to a group of countries, not to one recipient" };
  if (NOT_AID_FUNDS.test(a.text.slice(ws, we)) && !namesRecipient(a, ws, we)) return { skip: "a budget line, outlay or appeal with no recipient named" };
  const idx = a.sentence.index;
  const current = state.frames.at(-1);
  const recent = current && idx - current.sentences.at(-1)! <= 2 ? current : undefined;
  const sameSentence = recent?.sentences.includes(idx) ?? false;
  const before = a.text.slice(0, q.qualStart);
  // "the consignment is part of the package of Rs5 billion": the whole a shipment belongs to is a record of its own, never the shipment's measure.
  const startsNew = (!sameSentence && AID_NEW_SHIPMENT.test(before) && !/\bin addition\b/i.test(before)) || PACKAGE_OF.test(before.slice(-80));

  if (recent && (f === "item" || (f === "weight_tonnes" && recent.fact.fields.weight_tonnes !== null))) {
    const inList = sameSentence || (idx - recent.sentences.at(-1)! === 1 && a.has(INCLUDES));
    const item = f === "item" ? (itemAfter(a, q) ?? (q.unit && !["l", "pcs", "sets", "m3"].includes(q.unit) ? q.unit : null)) : itemAfter(a, q);
    if (inList && item && !startsNew) {
      if (f === "weight_tonnes" && sameSentence && recent.weightItem !== null) {
        // "1,000 tons of flour and 500 tons of rice": no total was stated, so the items add up to the weight.
        if (recent.fact.aid_items.length === 0) recent.fact.aid_items.push({ item: recent.weightItem, quantity: recent.fact.fields.weight_tonnes as number, unit: "t" });
        recent.fact.fields.weight_tonnes = Math.round(((recent.fact.fields.weight_tonnes as number) + q.value) * 1e6) / 1e6;
      }
      recent.fact.aid_items.push({ item, quantity: q.value, unit: f === "item" ? unitCode(q.unit) : "t" });
      recent.fact.evidence.push(evidence(a, q, "aid_items", q.value, "aid.item", 0.8));
      if (!recent.sentences.includes(idx)) recent.sentences.push(idx);
      return recent;
    }
  }
  if (f === "item") return { skip: "itemized quantity with no shipment to belong to" };

  const column = f;
  const attach =
    recent && !startsNew && (column === "value_usd" ? recent.fact.money === null : recent.fact.fields[column] === null) &&
    (sameSentence || a.has(AID_ANAPHORA) || /^(?:It|They|This|That)\b/.test(a.text));
  const frame = attach ? recent! : newFrame(ctx);
  if (!attach) {
    const [ws, we] = windowOf(a, q);
    frame.clause = a.text.slice(ws, we);
    state.frames.push(frame);
  }
  if (!frame.sentences.includes(idx)) frame.sentences.push(idx);
  if (column === "value_usd") frame.fact.money = { amount: q.value, currency: q.currency, ...(statedUsd !== null ? { statedUsd } : {}) };
  else frame.fact.fields[column] = q.value;
  if (column === "weight_tonnes") frame.weightItem = itemAfter(a, q);
  if (frame.fact.evidence.length === 0 || q.qualifier !== "exact") frame.fact.qualifier = frame.fact.evidence.length === 0 ? q.qualifier : frame.fact.qualifier;
  frame.fact.evidence.push(evidence(a, q, column, column === "value_usd" ? null : q.value, `aid.${column}`, 0.85));
  return frame;
}

function unitCode(unit: string | null): string {
  return unit === "l" || unit === "sets" || unit === "m3" ? unit : "pcs";
}

/** Sentences that speak of a shipment without numbers of their own; one with numbers is another shipment. */
function isFree(s: SentenceAnalysis | undefined, claimed: Set<number>): s is SentenceAnalysis {
  return !!s && !claimed.has(s.sentence.index);
}

/** The first dated day (not a weekday) the sentences name. */
function firstDate(sentences: SentenceAnalysis[]): PeriodMention | undefined {
  for (const s of sentences) for (const p of s.periods) if (p.kind === "date" && p.period && !REPORTED_BEFORE.test(s.text.slice(0, p.start))) return p;
  return undefined;
}

/** Fills donor, recipient, kind, period, mode, items, channel and place from the frame's sentences and the aid sentence before them. */
function completeAid(ctx: ArticleContext, frame: AidFrame, claimed: Set<number>): void {
  const idxs = [...frame.sentences];
  const first = Math.min(...idxs);
  const sentences = ctx.sentences;
  const context = [first - 1, first - 2].map((i) => sentences[i]).filter((s): s is SentenceAnalysis => isFree(s, claimed) && s.has(AID_CUE) && !s.has(ANAPHORIC_START)).slice(0, 1);
  const own = idxs.map((i) => sentences[i]).filter((s): s is SentenceAnalysis => !!s);
  const next = sentences[Math.max(...idxs) + 1];
  const described = isFree(next, claimed) && next.has(ANAPHORIC_START) ? [next] : [];
  const all = [...context, ...own, ...described];
  const text = all.map((s) => s.text).join(" ");
  const f = frame.fact.fields;

  let donor: string | null = null;
  let recipient: string | null = null;
  let inferred = 0;
  for (const s of [...own, ...context]) {
    const ents = sentenceRoles(s);
    // "a proposal to Pakistan to let wheat pass to Afghanistan": of several destinations, the hub receives the aid.
    recipient ??= ents.find((e) => e.role === "dest" && e.iso3 === ctx.hub)?.iso3 ?? firstWithRole(ents, "dest");
    donor ??= firstWithRole(ents, "origin");
    const subject = ents.find((e) => (e.role === "subject" || e.role === "owner" || e.role === "other") && e.kind !== "place" && e.iso3 !== recipient && e.iso3 !== "AFG");
    if (!donor && subject) donor = subject.iso3;
  }
  if (!recipient) {
    recipient = all.some((s) => s.entities.some((e) => e.iso3 === "AFG")) ? "AFG" : ctx.hub && ctx.hub !== donor ? ctx.hub : otherOf(ctx, donor);
    inferred++;
  }
  if (donor === recipient) donor = null;
  // Loops, not spreads and flatMap: this runs once per shipment, and the copies were much of its cost.
  const channels: ChannelMention[] = [];
  for (const s of own) channels.push(...s.channels);
  for (const s of context) channels.push(...s.channels);
  for (const d of [1, 2]) {
    const s = sentences[Math.max(...idxs) + d];
    if (isFree(s, claimed)) channels.push(...s.channels);
  }
  if (!donor) {
    donor = channels.find((c) => c.iso3 && c.iso3 !== recipient)?.iso3 ?? otherOf(ctx, recipient);
    inferred++;
  }
  f.donor_iso3 = donor;
  f.recipient_iso3 = recipient;
  f.channel = channels[0]?.channel ?? null;

  const periods = [...own, ...context].flatMap((s) => {
    const qs = s.quantities.filter((q) => q.kind === "mass" || q.kind === "money" || (q.kind === "count" && q.unit === "railcars"));
    const pm = qs.map((q) => periodFor(s, q)).find((p) => p);
    return pm ? [pm] : s.periods.filter((p) => p.kind === "period");
  });
  const period = periods.find((p) => p.period)?.period ?? null;
  f.period_start = period?.start ?? null;
  f.period_end = period?.end ?? null;
  const unresolved = periods.find((p) => !p.period && p.unresolved && p.unresolved !== "no year stated");
  if (!period && unresolved) frame.fact.notes.push({ check: "unresolved_date", severity: "warning", message: `"${unresolved.text}": ${unresolved.unresolved}` });
  // Longer than a year: a fiscal or solar year crosses a calendar year's end and is still one year.
  const multiYear = period !== null && Date.parse(period.end) - Date.parse(period.start) > 370 * 86400000;
  f.kind = AID_AGGREGATE.test(frame.clause) || multiYear ? "aggregate" : AID_PLEDGE.test(frame.clause) ? "pledge" : "shipment";
  const day = firstDate(own) ?? firstDate(context);
  f.event_date = day?.period?.start ?? null;

  f.transport_mode = f.railcars !== null || MODE_RAIL.test(text) ? "rail" : MODE_AIR.test(text) ? "air" : MODE_ROAD.test(text) ? "road" : null;
  const items = itemsIn(text);
  f.items = items.length ? items.join("; ") : null;
  const places: EntityMention[] = [];
  for (const s of all) for (const e of s.entities) if (e.kind === "place" && e.place) places.push(e);
  places.sort((x, y) => PLACE_PRIORITY.indexOf(x.placeKind ?? "") - PLACE_PRIORITY.indexOf(y.placeKind ?? ""));
  // The place is where the aid arrives: a town of the donor's the convoy left from is not it.
  f.place = places.find((p) => p.iso3 === recipient)?.place ?? places.find((p) => p.iso3 !== donor)?.place ?? null;
  for (const e of frame.fact.evidence) e.confidence = Math.max(0.5, e.confidence - 0.15 * inferred);
}

function aidState(state: ExtractState): AidState {
  return memoryOf<AidState>(state, "aid", () => ({ frames: [] }));
}

/** Aid words in the sentence win unless it is plainly about trade; aid told just before carries over to a sentence with no trade words of its own. */
function isAidClause({ ctx, a }: RuleInput, q: Quantity): boolean {
  if (a.has(AID_CUE)) return !a.has(STRONG_TRADE) || !TRADE_CUE.test(a.text.slice(0, q.start));
  // Asked last: it reads the neighbouring sentences.
  return !a.has(STRONG_TRADE) && (a.has(AID_ANAPHORA) || !a.has(TRADE_PHRASE)) && isAidSentence(ctx.sentences, a);
}

/** An aid rule for one column: it takes a number of that kind in an aid clause, unless the aid grammar turns it down. */
function aidRule(column: "weight_tonnes" | "railcars" | "value_usd" | "item"): Pick<Rule, "match" | "produce"> {
  return {
    match: (input, q) => (field(q) === column && isAidClause(input, q) ? [q] : []),
    produce: ({ ctx, a, rates, state }, [q]) => !("skip" in extractAid(ctx, a, q!, aidState(state), rates.get(q!) ?? null)),
  };
}

export const AID_RULES: Rule[] = [
  {
    id: "aid.weight_tonnes",
    table: "aid_shipments",
    description: "Weight of humanitarian aid sent by a donor to a recipient; totals over a span are aggregates.",
    examples: {
      must: [
        { text: "Uzbekistan has sent 320 tons of humanitarian aid to Afghanistan.", expect: { donor_iso3: "UZB", recipient_iso3: "AFG", kind: "shipment", weight_tonnes: 320 } },
        { text: "Since 2021 Turkmenistan has delivered a total of 12,000 tons of humanitarian assistance to Afghanistan.", published: "2024-06-01", expect: { donor_iso3: "TKM", kind: "aggregate", period_start: "2021-01-01" } },
        { text: "A convoy carrying 58 tons and 250 kilograms of relief goods from Tajikistan reached Kunduz.", expect: { donor_iso3: "TJK", recipient_iso3: "AFG", weight_tonnes: 58.25 } },
      ],
      mustNot: [
        { text: "More than 20 million Afghans need humanitarian aid this winter." },
        { text: "The earthquake left over 1,500 people dead and 3,000 injured." },
      ],
    },
    ...aidRule("weight_tonnes"),
    finish: (ctx, state) => {
      const aid = aidState(state);
      const claimed = new Set(aid.frames.flatMap((fr) => fr.sentences));
      for (const frame of aid.frames) {
        completeAid(ctx, frame, claimed);
        state.facts.push(frame.fact);
      }
    },
  },
  {
    id: "aid.railcars",
    table: "aid_shipments",
    description: "Railway wagons of a humanitarian shipment (wagons, railcars, train cars, rail tankers), spelled-out numbers included.",
    examples: {
      must: [
        { text: "Kazakhstan dispatched twenty two wagons of humanitarian aid to Afghanistan.", expect: { donor_iso3: "KAZ", railcars: 22, transport_mode: "rail" } },
        { text: "A humanitarian train of 45 railcars with flour and sugar left Termez for Afghanistan.", expect: { railcars: 45, donor_iso3: "UZB" } },
      ],
      mustNot: [{ text: "About 400 freight wagons cross the bridge every month." }],
    },
    ...aidRule("railcars"),
  },
  {
    id: "aid.value_usd",
    table: "aid_shipments",
    description: "Money value of aid, converted with the article's own USD figure when it gives one.",
    examples: {
      must: [
        { text: "Over the past three years Kazakhstan provided humanitarian aid to Afghanistan worth 2.5 billion tenge (about US$5.4 million).", published: "2024-02-10", expect: { kind: "aggregate", currency_original: "KZT", value_usd: 5400000, period_start: "2021-01-01", period_end: "2023-12-31" } },
        { text: "China announced emergency humanitarian assistance worth 50 million yuan for Afghanistan.", expect: { donor_iso3: "CHN", currency_original: "CNY" } },
      ],
      mustNot: [{ text: "The UN appeal seeks $4.6 billion in humanitarian aid for Afghanistan." }],
    },
    ...aidRule("value_usd"),
  },
  {
    id: "aid.item",
    table: "aid_shipments",
    description: "Itemized quantities inside a shipment ('10,000 liters of oil, 500 blankets'): aid_items of that shipment, not shipments of their own.",
    examples: {
      must: [{ text: "Iran sent 80 tons of humanitarian aid to Afghanistan, including 40 tons of rice and 2,000 blankets.", expect: { weight_tonnes: 80, donor_iso3: "IRN" } }],
      mustNot: [],
    },
    ...aidRule("item"),
  },
];
