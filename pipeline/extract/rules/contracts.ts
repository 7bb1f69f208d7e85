import type { ExtractedFact, FactNote } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { AID_CUE, itemsIn, REPORTED_BEFORE, TURNOVER_CUE } from "../cues.ts";
import { cuePattern } from "../lexicon.ts";
import type { Quantity } from "../numbers.ts";
import type { Period, PeriodMention } from "../periods.ts";
import { countriesIn, evidence, rolesIn, windowOf } from "./common.ts";
import { commodityOf } from "./trade.ts";
import type { Rule } from "./registry.ts";

const cue = (name: string) => cuePattern("cues_contracts", name);
const CONTRACT_NOUN = cue("noun");
const CONTRACT_CUE = cue("cue");
const CONTRACT_PLANNED = cue("planned");
/** A road map has no value, and money already invested is not a contract's price. */
const NOT_CONTRACT = cue("not_contract");
const SIGNED = cue("signed");
const INCLUDES = cue("includes");
const DEAL_FRAME = cue("deal_frame");
const SUPPLY = cue("supply");
const SUPPLY_ALL = new RegExp(SUPPLY.source, "gi");
const BUYS = cue("buys");
/** "The contracts were signed on May 3": a sentence saying the deal named before was made. */
const SIGNED_PASSIVE = new RegExp(String.raw`\b(?:were|was|have been|has been)\s(?:\w+\s)?${SIGNED.source}`, "i");
/** "the ministry said on Monday": the words right before a day that make it the day of the telling. */
/** A supply word used as a verb with a doer: after a modal, an auxiliary or "to" ("will export", "agreed to supply"). */
const ACTIVE_BEFORE = /\b(?:will|would|shall|to|can|could|may|must|has|have|had)\s(?:\w+\s)?$/i;
const PASSIVE_BEFORE = /\b(?:be|been|being|is|are|was|were)\s(?:\w+\s)?$/i;
const PAST_FORM = /(?:ed|sold|bought)$/i;
const FUTURE_PASSIVE = /\b(?:will|would|shall|to|is to|are to)\sbe\s$/i;
const AGREED = cue("agreed");
const TRADE_GOAL = cue("target");
const COMMIT_ALL = new RegExp(cue("commit").source, "gi");
const PROJECT = cue("project");
const PRIVATE = cue("private");
/** "10,000 tons of yarn, worth $25 million": the words that make a value the price of the tonnage before it. */
const PRICE_LINK = new RegExp(String.raw`^[^.;$]{0,60}${cue("price").source}\s*$`, "i");
/** What stands between two listed tonnages: the first one's goods and a comma or "and". */
const LIST_GAP = /^\s(?:of\s)?[\w'’ -]{0,40}?(?:,\s*(?:and\s+)?|\s+and\s+)$/i;
/** "trade agreements", "investment deals": a contract noun whose modifier names no trade total. */
const MODIFIED_NOUN = new RegExp(String.raw`${cue("noun_modifier").source}\s${CONTRACT_NOUN.source}`, "gi");

type ContractRule = "contract.value" | "contract.funding" | "contract.deal_terms" | "contract.agreed_supply";

/**
 * "agreed to provide $500 million in funding for the railway", "signed an agreement to invest $200 million in the
 * power line": a commitment verb shortly before the money, a project after it, a country (not firms) committing.
 */
function isFunding(a: SentenceAnalysis, q: Quantity): boolean {
  if (q.kind !== "money") return false;
  const left = a.text.slice(Math.max(0, q.qualStart - 60), q.qualStart);
  COMMIT_ALL.lastIndex = 0;
  let verb: RegExpExecArray | null = null;
  for (let m = COMMIT_ALL.exec(left); m; m = COMMIT_ALL.exec(left)) verb = m;
  if (!verb || !/^[\s\w$.,-]{0,30}$/.test(left.slice(verb.index + verb[0].length))) return false;
  const subject = a.text.slice(0, q.qualStart - left.length + verb.index);
  if (PRIVATE.test(subject) || !a.entities.some((e) => e.kind !== "place" && e.start < q.qualStart)) return false;
  const after = a.text.slice(q.end, Math.min(windowOf(a, q)[1], q.end + 90));
  return /^[^.;]*?\b(?:for|in|into|on|to)\b/i.test(after) && PROJECT.test(after) && !AID_CUE.test(a.text) && !TURNOVER_CUE.test(after);
}

/**
 * Whether the sentence tells goods still to move ("will export", "would supply", "the delivery of", "will be
 * shipped"): goods exported in the past under an agreement are a trade flow, not the deal's terms.
 */
function suppliesToCome(a: SentenceAnalysis): boolean {
  SUPPLY_ALL.lastIndex = 0;
  for (let m = SUPPLY_ALL.exec(a.text); m; m = SUPPLY_ALL.exec(a.text)) {
    if (!PAST_FORM.test(m[0]) || FUTURE_PASSIVE.test(a.text.slice(Math.max(0, m.index - 16), m.index))) return true;
  }
  return false;
}

/** The clause before a number, with contract nouns such as "trade agreements" blanked, so their modifier reads as no trade total. */
function clauseBefore(a: SentenceAnalysis, ws: number, q: Quantity): string {
  return a.text.slice(ws, q.qualStart).replace(MODIFIED_NOUN, " ");
}

/** Which contract rule a number is evidence of, if any; asked once per sentence for all its numbers. */
function classify(a: SentenceAnalysis): Map<Quantity, ContractRule> {
  const out = new Map<Quantity, ContractRule>();
  for (const q of a.quantities) {
    if (q.kind === "count") {
      if (q.unit === "agreements" && a.has(CONTRACT_CUE) && !a.has(NOT_CONTRACT)) out.set(q, "contract.value");
      continue;
    }
    if (q.kind !== "money" && q.kind !== "mass") continue;
    if (isFunding(a, q)) {
      out.set(q, "contract.funding");
      continue;
    }
    const [ws, we] = windowOf(a, q);
    const clause = a.text.slice(ws, Math.min(we, q.end + 30));
    const tradeTotal = TURNOVER_CUE.test(clauseBefore(a, ws, q));
    if (NOT_CONTRACT.test(clause) || tradeTotal) continue;
    if (CONTRACT_NOUN.test(clause) && (a.has(CONTRACT_CUE) || a.has(INCLUDES))) out.set(q, "contract.value");
    else if (a.derive(suppliesToCome) && !a.has(TRADE_GOAL) && !a.has(AID_CUE)) {
      if (a.has(DEAL_FRAME)) out.set(q, "contract.deal_terms");
      else if (AGREED.test(a.text.slice(0, q.qualStart))) out.set(q, "contract.agreed_supply");
    }
  }
  // "the supply of 400,000 tons of diesel and 100,000 tons of gas": a tonnage listed after a contract's is the contract's too.
  for (let i = 1; i < a.quantities.length; i++) {
    const [prev, q] = [a.quantities[i - 1]!, a.quantities[i]!];
    const rule = out.get(prev);
    if (rule && prev.kind === "mass" && q.kind === "mass" && !out.has(q) && LIST_GAP.test(a.text.slice(prev.end, q.qualStart))) out.set(q, rule);
  }
  return out;
}

function rulesOf(a: SentenceAnalysis): Map<Quantity, ContractRule> {
  return a.derive(classify);
}

/** A number is a contract's when a contract noun stands in its clause and the sentence signs or values it, or one of the other contract rules reads it. */
function isContractQuantity(a: SentenceAnalysis, q: Quantity): boolean {
  return rulesOf(a).has(q);
}

/** Money values each make a record; a tonnage joins the value it is "worth", or the only value; other tonnages make their own (one record per commodity). */
function groupsOf(a: SentenceAnalysis, qs: Quantity[]): Quantity[][] {
  const money = qs.filter((q) => q.kind === "money");
  const groups = money.map((m) => [m]);
  const loose: Quantity[] = [];
  for (const q of qs) {
    if (q.kind === "money") continue;
    const next = money.find((m) => m.qualStart >= q.end);
    const prev = money.filter((m) => m.end <= q.qualStart).at(-1);
    const worth = next && PRICE_LINK.test(a.text.slice(q.end, next.qualStart));
    const target = worth ? next : q.kind === "count" ? (next ?? prev) : money.length === 1 && qs.filter((x) => x.kind === "mass").length === 1 ? money[0] : undefined;
    if (target) groups[money.indexOf(target)]!.push(q);
    else loose.push(q);
  }
  for (const q of loose) {
    if (q.kind === "mass") groups.push([q]);
    else if (groups.length > 0) groups[0]!.push(q);
  }
  return groups.filter((g) => g.some((q) => q.kind === "money" || q.kind === "mass"));
}

/** Whether the sentence after says the contracts were signed ("The contracts were signed on May 3"). */
function signedNext(ctx: ArticleContext, a: SentenceAnalysis): boolean {
  const next = ctx.sentences[a.sentence.index + 1];
  return !!next && next.has(CONTRACT_NOUN) && SIGNED_PASSIVE.test(next.text);
}

/** When a deal was made: a day (event_date), else a span of days ("last week"), else a relative time left unresolved, with why. */
interface DealTime {
  day: string | null;
  span: Period | null;
  note: FactNote | null;
}

const NO_TIME: DealTime = { day: null, span: null, note: null };

/**
 * The deal's time in one sentence: a day or span not told as the day of a report ("the ministry said on Monday"), a
 * written date before a weekday; "signed in 2023" or "signed last month" as a span. A planned deal's day is still to
 * come, so only a date with its year counts for it: a relative one is resolved backwards from publication.
 */
function timeIn(a: SentenceAnalysis, planned: boolean): DealTime | null {
  const own = a.periods.filter((p) => (p.kind === "date" || p.kind === "span") && !REPORTED_BEFORE.test(a.text.slice(0, p.start)) && (!planned || /\d{4}/.test(p.text)));
  const [p] = [...own.filter((x) => /\d/.test(x.text)), ...own.filter((x) => !/\d/.test(x.text))];
  if (p) return timeOf(p);
  if (planned) return null;
  SIGNED_ALL.lastIndex = 0;
  for (let m = SIGNED_ALL.exec(a.text); m; m = SIGNED_ALL.exec(a.text)) {
    const after = m.index + m[0].length;
    const span = a.periods.find((x) => x.kind === "period" && x.start >= after && /^\s?$/.test(a.text.slice(after, x.start)));
    if (span) return timeOf(span);
  }
  return null;
}

const SIGNED_ALL = new RegExp(SIGNED.source, "gi");

function timeOf(p: PeriodMention): DealTime {
  if (!p.period) return { ...NO_TIME, note: { check: "unresolved_date", severity: "warning", message: `"${p.text}": ${p.unresolved ?? "no day could be told"}` } };
  return p.kind === "date" ? { ...NO_TIME, day: p.period.start } : { ...NO_TIME, span: p.period };
}

/**
 * The deal's time: its own sentence's; else the next sentence's when that one says the deal was signed ("The contracts were
 * signed on May 3"); else, for terms of a deal named before ("Under this contract, ..."), the time of the signing told in
 * one of the two sentences before.
 */
function dealTime(ctx: ArticleContext, a: SentenceAnalysis, planned: boolean): DealTime {
  const own = timeIn(a, planned);
  if (own) return own;
  const next = ctx.sentences[a.sentence.index + 1];
  if (next && signedNext(ctx, a)) {
    const t = timeIn(next, planned);
    if (t) return t;
  }
  if (a.has(DEAL_FRAME)) {
    for (const i of [a.sentence.index - 1, a.sentence.index - 2]) {
      const s = ctx.sentences[i];
      if (!s || !s.has(CONTRACT_NOUN) || !s.has(SIGNED)) continue;
      const t = timeIn(s, planned);
      if (t) return t;
    }
  }
  return NO_TIME;
}

/**
 * Who supplies whom, where the clauses of the sentence's contract numbers say it: "to X" after the supply word is the
 * buyer, "from X" the seller; the doer of a supply verb ("Uzbekistan will export") the seller, of a buying verb
 * ("Afghanistan will buy") the buyer. With one side told, the other is the deal's other party when it has two. Both null
 * when the text says nothing, or says two things.
 */
function directionOf(a: SentenceAnalysis, parties: readonly string[]): { seller: string | null; buyer: string | null } {
  const none = { seller: null, buyer: null };
  const numbers = [...rulesOf(a).keys()].map((q) => windowOf(a, q));
  if (numbers.length === 0) return none;
  const ws = Math.min(...numbers.map((w) => w[0]));
  const we = Math.max(...numbers.map((w) => w[1]));
  SUPPLY_ALL.lastIndex = 0;
  let verb: RegExpExecArray | null = null;
  for (let m = SUPPLY_ALL.exec(a.text); m; m = SUPPLY_ALL.exec(a.text)) if (m.index >= ws && m.index < we) {
    verb = m;
    break;
  }
  if (!verb) return none;
  const buys = BUYS.test(verb[0]);
  const left = a.text.slice(ws, verb.index);
  const active = ACTIVE_BEFORE.test(left) || (PAST_FORM.test(verb[0]) && !PASSIVE_BEFORE.test(left));
  const roles = rolesIn(a, ws, we);
  const sellers = new Set<string>();
  const buyers = new Set<string>();
  // Only "to X" and "from X" in the verb's own phrase: "executives from Kazakhstan signed ... the supply of oil" names where people
  // are from, and "..., a spokesman for Afghanistan said" whom someone speaks for. A demonym on the goods ("to supply Afghan
  // flour") is read both ways by writers, so it decides nothing.
  for (const e of roles) {
    const between = a.text.slice(verb.index + verb[0].length, e.start);
    if (e.start < verb.index || between.length > 80 || /[,;]/.test(between)) continue;
    if (e.role === "dest") buyers.add(e.iso3);
    else if (e.role === "origin") sellers.add(e.iso3);
  }
  // "Afghanistan signed a deal with Kazakhstan to import wheat": the doer is the one country before the verb, none between.
  const before = roles.filter((e) => e.kind !== "place" && e.end <= verb.index);
  const doer = before.at(-1);
  if (active && doer?.role === "subject" && before.every((e) => e.iso3 === doer.iso3)) (buys ? buyers : sellers).add(doer.iso3);
  const inDeal = (xs: Set<string>) => [...xs].filter((x) => parties.includes(x));
  const [s, ...moreS] = inDeal(sellers);
  const [b, ...moreB] = inDeal(buyers);
  if (moreS.length > 0 || moreB.length > 0 || (s && s === b)) return none;
  const other = (x: string) => (parties.length === 2 ? (parties.find((p) => p !== x) ?? null) : null);
  return { seller: s ?? (b ? other(b) : null), buyer: b ?? (s ? other(s) : null) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One contract record per money value (or per listed commodity): value, number of agreements, quantity, parties, place. */
function extractContracts(ctx: ArticleContext, a: SentenceAnalysis, qs: Quantity[], statedUsd: ReadonlyMap<Quantity, number>): ExtractedFact[] {
  const rules = rulesOf(a);
  const named = countriesIn(a.entities);
  const parties = [...named];
  if (parties.length === 1) {
    const o = otherOf(ctx, parties[0]!);
    if (o) parties.push(o);
  } else if (parties.length === 0) parties.push(...[ctx.focus, ctx.hub].filter((x): x is string => !!x));
  const inferred = Math.max(0, Math.min(2, 2 - named.length));
  const place = a.entities.find((e) => (e.kind === "place" || e.kind === "capital") && /\b(?:in|at|to)\s(?:the\s)?$/i.test(a.text.slice(Math.max(0, e.start - 8), e.start)));
  const supply = SUPPLY.exec(a.text);
  const signedVerb = a.has(SIGNED);
  const deal = [...new Set(parties)].sort();
  const { seller, buyer } = directionOf(a, deal);
  return groupsOf(a, qs).map((g) => {
    const m = g.find((q) => q.kind === "money") ?? null;
    const n = g.find((q) => q.kind === "count") ?? null;
    const t = g.find((q) => q.kind === "mass") ?? null;
    const rule = rules.get(m ?? t!) ?? "contract.value";
    const [ws, we] = t ? windowOf(a, t) : [0, a.text.length];
    const items = t ? commodityOf(a, t, ws, we) : supply ? itemsIn(a.text.slice(supply.index + supply[0].length, supply.index + supply[0].length + 80)).join("; ") || null : null;
    const planned = a.has(CONTRACT_PLANNED) || (rule === "contract.funding" && !signedVerb && !signedNext(ctx, a));
    // Each cue the sentence lacks is a guess: a party from the article's main pair, a deal without a sign verb, a plan.
    const confidence = round2(0.9 - 0.1 * inferred - (signedVerb ? 0 : 0.1) - (planned ? 0.05 : 0));
    const ev = [
      ...(m ? [evidence(a, m, "value_usd", null, rule, confidence)] : []),
      ...(n ? [evidence(a, n, "n_contracts", n.value, "contract.count", confidence)] : []),
      ...(t ? [evidence(a, t, "quantity_tonnes", t.value, m || rule === "contract.value" ? "contract.quantity" : rule, round2(confidence - 0.1))] : []),
    ];
    const stated = m ? statedUsd.get(m) : undefined;
    const time = dealTime(ctx, a, planned);
    return {
      table: "contracts" as const,
      article_id: ctx.article.meta.article_id,
      fields: {
        parties_iso3: deal.join(";"),
        seller_iso3: seller,
        buyer_iso3: buyer,
        event_date: time.day,
        period_start: time.span?.start ?? null,
        period_end: time.span?.end ?? null,
        place: place?.place ?? (place?.kind === "capital" ? place.text : null),
        n_contracts: n?.value ?? null,
        commodity: items,
        quantity_tonnes: t?.value ?? null,
        status: planned ? "planned" : "signed",
      },
      money: m ? { amount: m.value, currency: m.currency, ...(stated !== undefined ? { statedUsd: stated } : {}) } : null,
      qualifier: (m ?? t ?? n)!.qualifier,
      evidence: ev,
      aid_items: [],
      changes: [],
      notes: time.note ? [time.note] : [],
    };
  });
}

/** A sentence's contract numbers make its contract records together, once one of them is money or tonnage. */
function takeContract({ a, open }: { a: SentenceAnalysis; open: readonly Quantity[] }, q: Quantity): Quantity[] {
  const qs = open.filter((x) => isContractQuantity(a, x));
  return qs.includes(q) && qs.some((x) => x.kind === "money" || x.kind === "mass") ? qs : [];
}

export const CONTRACT_RULES: Rule[] = [
  {
    id: "contract.value",
    table: "contracts",
    description: "Money value of signed (or to-be-signed) contracts and agreements; parties from names, demonyms, or the article's pair; the day or span of signing, and who supplies whom where the text says so.",
    examples: {
      must: [
        { text: "Uzbek and Afghan businessmen signed contracts worth $75 million in Mazar-i-Sharif.", expect: { parties_iso3: "AFG;UZB", status: "signed", value_usd: 75000000, place: "Mazar-i-Sharif" } },
        { text: "Afghan and Pakistani traders will sign a $9-million deal to supply fresh fruit next month.", expect: { parties_iso3: "AFG;PAK", status: "planned", value_usd: 9000000, seller_iso3: null } },
        { text: "Kyrgyz and Afghan firms on Monday signed contracts worth $14 million.", published: "2024-05-08", expect: { event_date: "2024-05-06", period_start: null } },
        { text: "Kyrgyz and Afghan firms signed contracts worth $14 million last week.", published: "2024-05-08", expect: { event_date: null, period_start: "2024-04-29", period_end: "2024-05-05" } },
        { text: "The memoranda comprise 8 investment agreements worth $300 million and 5 trade agreements valued at $70 million, Turkmen and Afghan officials said.", expect: { parties_iso3: "AFG;TKM", n_contracts: 8, value_usd: 300000000 } },
      ],
      mustNot: [
        { text: "The two sides signed a memorandum on transit cooperation." },
        { text: "Kazakh companies have invested $30 million in Afghan mining under the agreement." },
        { text: "Under the agreement signed in Tashkent, trade between Uzbekistan and Afghanistan reached $900 million last year." },
      ],
    },
    match: takeContract,
    produce: ({ ctx, a, rates, state }, taken) => {
      state.facts.push(...extractContracts(ctx, a, taken, rates));
    },
  },
  {
    id: "contract.count",
    table: "contracts",
    description: "Number of agreements covered by a stated value ('signed 12 agreements worth $40 million').",
    examples: {
      must: [{ text: "Turkmen and Afghan firms signed 12 agreements worth $40 million.", expect: { n_contracts: 12, value_usd: 40000000, parties_iso3: "AFG;TKM" } }],
      mustNot: [{ text: "Officials signed 12 agreements on cultural cooperation." }],
    },
    partOf: "contract.value",
  },
  {
    id: "contract.quantity",
    table: "contracts",
    description: "A tonnage a contract covers ('the agreements include the supply of 50,000 tons of cement'); a deal listing several goods makes one record per commodity.",
    examples: {
      must: [
        { text: "The contracts signed include the supply of 50,000 tons of cement to Afghanistan.", expect: { quantity_tonnes: 50000 } },
        { text: "Turkmenistan and Afghanistan signed a deal on the supply of 300,000 tons of liquefied gas and 200,000 tons of fuel a year.", expect: { quantity_tonnes: 300000, commodity: "liquefied gas", parties_iso3: "AFG;TKM" } },
        { text: "Under this contract, 5,000 tons of Afghan raisins, worth $9 million, will be exported to India.", expect: { quantity_tonnes: 5000, value_usd: 9000000, parties_iso3: "AFG;IND" } },
      ],
      mustNot: [],
    },
    partOf: "contract.value",
  },
  {
    id: "contract.funding",
    table: "contracts",
    description: "A government's investment or funding commitment for a named project: signed when an agreement is signed (or agreed), else planned; not money already invested, not a project's cost.",
    examples: {
      must: [
        { text: "Turkmenistan has agreed to provide $80 million in financing for the power line to Herat.", expect: { parties_iso3: "AFG;TKM", status: "signed", value_usd: 80000000 } },
        { text: "Tajikistan and Afghanistan signed an agreement to invest $150 million in the construction of a hydropower plant.", expect: { parties_iso3: "AFG;TJK", status: "signed", value_usd: 150000000 } },
        { text: "Iran is ready to invest $60 million in three railway projects in Afghanistan.", expect: { parties_iso3: "AFG;IRN", status: "planned", value_usd: 60000000 } },
      ],
      mustNot: [
        { text: "Turkish companies have invested $12 million in Afghan mining since 2015." },
        { text: "The railway from Termez to Peshawar will cost $4.8 billion, Uzbekistan and Afghanistan said." },
        { text: "Iranian companies are ready to invest $20 million in a cement plant in Herat." },
        { text: "Japan will provide $5 million in humanitarian aid for the reconstruction of Afghan villages." },
      ],
    },
    partOf: "contract.value",
  },
  {
    id: "contract.deal_terms",
    table: "contracts",
    description: "The price or quantity of a deal named before ('Under the deal, A will export X to B for $Y'): the deal's record, not a trade flow.",
    examples: {
      must: [{ text: "Under the deal, Turkmenistan will supply up to 1.5 billion kWh of electricity to Afghanistan for $70 million.", expect: { parties_iso3: "AFG;TKM", status: "signed", value_usd: 70000000, commodity: "electricity", seller_iso3: "TKM", buyer_iso3: "AFG" } }],
      mustNot: [{ text: "Under the agreement, trade between Iran and Afghanistan is to increase to $3 billion." }],
    },
    partOf: "contract.value",
  },
  {
    id: "contract.agreed_supply",
    table: "contracts",
    description: "A supply the parties agreed on at a meeting ('it was agreed that firms would deliver $3 million worth of sugar'): an agreed deal, signed.",
    examples: {
      must: [
        { text: "At the forum it was agreed that Turkmen firms would supply $3 million worth of sugar to Afghanistan.", expect: { parties_iso3: "AFG;TKM", status: "signed", value_usd: 3000000, commodity: "sugar" } },
        { text: "The sides agreed on the delivery of rice worth $7 million from Pakistan to Afghanistan.", expect: { parties_iso3: "AFG;PAK", value_usd: 7000000 } },
      ],
      mustNot: [
        { text: "The ministers agreed to raise exports from Tajikistan to Afghanistan to $500 million a year." },
        { text: "Pakistan agreed to send humanitarian aid worth $2 million to Afghanistan." },
      ],
    },
    partOf: "contract.value",
  },
];
