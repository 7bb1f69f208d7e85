import type { ExtractedFact } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { FROM_BEFORE, GRANT_CUE, GRANT_PLANNED } from "../cues.ts";
import type { Quantity } from "../numbers.ts";
import { countriesIn, evidence } from "./common.ts";
import type { Rule } from "./registry.ts";

const FIELD: Record<string, "grants_per_year" | "students" | "institutions"> = { grants: "grants_per_year", students: "students", institutions: "institutions" };
const GRANT_NOUN = /\b(?:grants?|scholarships?|quotas?)\b/i;

/** Only counts and plain numbers can be grants: a sentence of money and tonnes need not be read for grant words. */
function mayBeGrant(q: Quantity): boolean {
  return q.kind === "count" || q.kind === "plain";
}

/** Grant numbers in a sentence: counts of grants/students/institutions, or "from 30 to 60" beside a grant noun. */
export function grantQuantities(a: SentenceAnalysis): { q: Quantity; field: "grants_per_year" | "students" | "institutions"; rule: string }[] {
  if (!a.quantities.some(mayBeGrant) || !a.has(GRANT_CUE)) return [];
  const out: { q: Quantity; field: "grants_per_year" | "students" | "institutions"; rule: string }[] = [];
  for (const q of a.quantities) {
    if (q.kind === "count" && q.unit && FIELD[q.unit]) out.push({ q, field: FIELD[q.unit]!, rule: "grant.count" });
    else if ((q.kind === "plain" || q.kind === "count") && !q.scaled && a.has(GRANT_NOUN)) {
      const left = a.text.slice(Math.max(0, q.qualStart - 6), q.qualStart);
      const fromTo = /\bfrom\s$/i.test(left) ? /^\s(?:to|up to)\s\d/.test(a.text.slice(q.end, q.end + 8)) : /\bto\s$/i.test(left) && out.some((o) => o.rule === "grant.from_to" && q.start - o.q.end < 8);
      if (fromTo) out.push({ q, field: "grants_per_year", rule: "grant.from_to" });
    }
  }
  return out;
}

/** One grants record per sentence and status: "610 Afghan students ... at 34 Kazakh universities" is one record. */
export function extractGrants(ctx: ArticleContext, a: SentenceAnalysis): ExtractedFact[] {
  const found = grantQuantities(a);
  if (found.length === 0) return [];
  const countries = countriesIn(a.entities);
  const recipient = countries.includes("AFG") ? "AFG" : ctx.hub;
  const donor = countries.find((c) => c !== recipient) ?? otherOf(ctx, recipient);
  const groups = new Map<string, ExtractedFact>();
  let prevEnd = 0;
  for (const { q, field, rule } of found) {
    const left = a.text.slice(prevEnd, q.qualStart);
    const status = FROM_BEFORE.test(left) ? "current" : GRANT_PLANNED.test(left) || (/\bto\s$/i.test(left) && GRANT_PLANNED.test(a.text.slice(0, q.qualStart))) ? "planned" : "current";
    prevEnd = q.end;
    let fact = groups.get(status);
    if (!fact || fact.fields[field] !== null) {
      fact = {
        table: "grants",
        article_id: ctx.article.meta.article_id,
        fields: { donor_iso3: donor, recipient_iso3: recipient, program: null, grants_per_year: null, students: null, institutions: null, period_start: null, period_end: null, status },
        money: null,
        qualifier: q.qualifier,
        evidence: [],
        aid_items: [],
        changes: [],
        notes: [],
      };
      groups.set(status + (groups.has(status) ? String(q.start) : ""), fact);
    }
    fact.fields[field] = q.value;
    fact.evidence.push(evidence(a, q, field, q.value, rule, countries.length >= 2 ? 0.9 : 0.75));
  }
  return [...new Set(groups.values())];
}

/** The grant numbers of the sentence, when `q` is one of them: a sentence's grant figures make its records together. */
function takeGrants({ a, open }: { a: SentenceAnalysis; open: readonly Quantity[] }, q: Quantity): Quantity[] {
  const found = grantQuantities(a).map((g) => g.q);
  return found.includes(q) ? found.filter((x) => open.includes(x)) : [];
}

export const GRANT_RULES: Rule[] = [
  {
    id: "grant.count",
    table: "grants",
    description: "Educational grants per year, students studying in the donor country, host universities; current or planned.",
    examples: {
      must: [
        { text: "Some 450 Afghan students currently study at 20 Uzbek universities.", expect: { donor_iso3: "UZB", recipient_iso3: "AFG", students: 450, institutions: 20, status: "current" } },
        { text: "Tajikistan offers 50 scholarships to Afghan citizens every year.", expect: { donor_iso3: "TJK", grants_per_year: 50, status: "current" } },
        { text: "Kazakhstan plans to raise the quota to 100 grants per year for Afghan students.", expect: { grants_per_year: 100, status: "planned" } },
      ],
      mustNot: [{ text: "Forty Afghan children were invited to a summer camp near Almaty." }],
    },
    match: takeGrants,
    produce: ({ ctx, a, state }) => {
      state.facts.push(...extractGrants(ctx, a));
    },
  },
  {
    id: "grant.from_to",
    table: "grants",
    description: "'increase the number of grants from 30 to 60': the first is the current level, the second the plan.",
    examples: {
      must: [{ text: "Uzbekistan proposed increasing annual scholarships for Afghan students from 40 to 80.", expect: { grants_per_year: 40, status: "current" } }],
      mustNot: [{ text: "Attendance rose from 40 to 80 people." }],
    },
    partOf: "grant.count",
  },
];
