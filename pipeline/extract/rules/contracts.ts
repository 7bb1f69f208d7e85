import type { ExtractedFact } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { CONTRACT_CUE, CONTRACT_NOUN, CONTRACT_PLANNED, itemsIn, NOT_CONTRACT, TURNOVER_CUE } from "../cues.ts";
import type { Quantity } from "../numbers.ts";
import { countriesIn, evidence, windowOf } from "./common.ts";
import { commodityOf } from "./trade.ts";
import type { Rule } from "./registry.ts";

const INCLUDES_CUE = /\b(?:contracts?|agreements?|deals?)\s(?:include|includes|included|cover|covers|provide for|envisage)\b/i;

/** A number is a contract's when a contract noun stands in its clause (or right after it: "a $4-million agreement") and the sentence signs or values it. */
export function isContractQuantity(a: SentenceAnalysis, q: Quantity): boolean {
  if (q.kind === "count") return q.unit === "agreements" && a.has(CONTRACT_CUE) && !a.has(NOT_CONTRACT);
  if (q.kind !== "money" && q.kind !== "mass") return false;
  const [ws, we] = windowOf(a, q);
  const clause = a.text.slice(ws, Math.min(we, q.end + 30));
  if (!CONTRACT_NOUN.test(clause)) return false;
  if (NOT_CONTRACT.test(clause) || TURNOVER_CUE.test(a.text.slice(ws, q.qualStart))) return false;
  return a.has(CONTRACT_CUE) || a.has(INCLUDES_CUE);
}

/** One contract record per sentence (per money value): value, number of agreements, quantity, parties, place. */
export function extractContracts(ctx: ArticleContext, a: SentenceAnalysis, qs: Quantity[], statedUsd: ReadonlyMap<Quantity, number>): ExtractedFact[] {
  const money = qs.filter((q) => q.kind === "money");
  const groups: Quantity[][] = money.length > 1 ? money.map((m) => [m]) : [qs];
  if (money.length > 1) for (const q of qs.filter((x) => x.kind !== "money")) groups[0]!.push(q);
  const countries = countriesIn(a.entities);
  let parties: string[] = countries.slice(0, 2);
  let inferred = 0;
  if (parties.length === 1) {
    const o = otherOf(ctx, parties[0]!);
    if (o) parties.push(o);
    inferred = 1;
  } else if (parties.length === 0) {
    parties = [ctx.focus, ctx.hub].filter((x): x is string => !!x);
    inferred = 2;
  }
  const place = a.entities.find((e) => (e.kind === "place" || e.kind === "capital") && /\b(?:in|at|to)\s(?:the\s)?$/i.test(a.text.slice(Math.max(0, e.start - 8), e.start)));
  const supply = /\b(?:supply|supplies|export|delivery|purchase)\s(?:of\s)?(.{0,80})/i.exec(a.text);
  const day = a.periods.find((p) => p.kind === "date" && p.period && !/day$/i.test(p.text));
  return groups.map((g) => {
    const m = g.find((q) => q.kind === "money") ?? null;
    const n = g.find((q) => q.kind === "count") ?? null;
    const t = g.find((q) => q.kind === "mass") ?? null;
    const [ws, we] = t ? windowOf(a, t) : [0, a.text.length];
    const items = t ? commodityOf(a, t, ws, we) : supply ? itemsIn(supply[1]!).join("; ") || null : null;
    const confidence = Math.max(0.5, 0.9 - 0.15 * inferred);
    const ev = [
      ...(m ? [evidence(a, m, "value_usd", null, "contract.value", confidence)] : []),
      ...(n ? [evidence(a, n, "n_contracts", n.value, "contract.count", confidence)] : []),
      ...(t ? [evidence(a, t, "quantity_tonnes", t.value, "contract.quantity", confidence - 0.1)] : []),
    ];
    const stated = m ? statedUsd.get(m) : undefined;
    return {
      table: "contracts" as const,
      article_id: ctx.article.meta.article_id,
      fields: {
        parties_iso3: [...new Set(parties)].sort().join(";"),
        event_date: day?.period?.start ?? null,
        period_start: null,
        period_end: null,
        place: place?.place ?? (place?.kind === "capital" ? place.text : null),
        n_contracts: n?.value ?? null,
        commodity: items,
        quantity_tonnes: t?.value ?? null,
        status: a.has(CONTRACT_PLANNED) ? "planned" : "signed",
      },
      money: m ? { amount: m.value, currency: m.currency, ...(stated !== undefined ? { statedUsd: stated } : {}) } : null,
      qualifier: (m ?? t ?? n)!.qualifier,
      evidence: ev,
      aid_items: [],
      changes: [],
      notes: [],
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
    description: "Money value of signed (or to-be-signed) contracts and agreements; parties from names, demonyms, or the article's pair.",
    examples: {
      must: [
        { text: "Uzbek and Afghan businessmen signed contracts worth $75 million in Mazar-i-Sharif.", expect: { parties_iso3: "AFG;UZB", status: "signed", value_usd: 75000000, place: "Mazar-i-Sharif" } },
        { text: "Afghan and Pakistani traders will sign a $9-million deal to supply fresh fruit next month.", expect: { parties_iso3: "AFG;PAK", status: "planned", value_usd: 9000000 } },
      ],
      mustNot: [
        { text: "The two sides signed a memorandum on transit cooperation." },
        { text: "Kazakh companies have invested $30 million in Afghan mining under the agreement." },
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
    description: "A tonnage a contract covers ('the agreements include the supply of 50,000 tons of cement').",
    examples: {
      must: [{ text: "The contracts signed include the supply of 50,000 tons of cement to Afghanistan.", expect: { quantity_tonnes: 50000 } }],
      mustNot: [],
    },
    partOf: "contract.value",
  },
];
