import type { ExtractedFact } from "../../types.ts";
import { otherOf, type ArticleContext, type SentenceAnalysis } from "../analysis.ts";
import { FROM_BEFORE } from "../cues.ts";
import { cuePattern } from "../lexicon.ts";
import type { Quantity } from "../numbers.ts";
import { countriesIn, evidence } from "./common.ts";
import type { Rule } from "./registry.ts";

const cue = (name: string) => cuePattern("cues_grants", name);
const whole = (re: RegExp) => new RegExp(`^${re.source}$`, "i");
const GRANT_CUE = cue("cue");
const GRANT_PLANNED = cue("planned");
const GRANT_NOUN = cue("noun");
const GRANT_UNIT = whole(cue("grant_unit"));
const STUDENT_UNIT = whole(cue("student_unit"));
const PLANNED_AFTER = new RegExp(String.raw`^([^.;:,]{0,60}?)${cue("planned_after").source}`, "i");
const STATED_VERB = cue("stated_verb");
const QUOTA = cue("quota");
const STUDY = cue("study");
const RECURRING = cue("recurring");
/** "scholarships to 30 students", "grants for some 40 students": the students are the grants' count. */
const GRANTS_FOR = new RegExp(String.raw`${GRANT_NOUN.source}\s(?:to|for)\s$`, "i");
/** "120 scholarship students": holders of grants, counted as grants. */
const HOLDERS = new RegExp(String.raw`^[^,.;]*?${cue("holders").source}`, "i");

type Field = "grants_per_year" | "students" | "institutions";
type GrantRule = "grant.count" | "grant.from_to" | "grant.scholarships_for";
const FIELD: Record<string, Field> = { grants: "grants_per_year", students: "students", institutions: "institutions" };

/** The field a counted noun fills: the scanner's units, and the grant and degree nouns of the lexicon. */
function fieldOf(q: Quantity): Field | null {
  if (q.kind !== "count" || !q.unit) return null;
  if (FIELD[q.unit]) return FIELD[q.unit]!;
  if (GRANT_UNIT.test(q.unit)) return "grants_per_year";
  if (STUDENT_UNIT.test(q.unit)) return "students";
  return null;
}

/** Only counts and plain numbers can be grants: a sentence of money and tonnes need not be read for grant words. */
function mayBeGrant(q: Quantity): boolean {
  return q.kind === "count" || q.kind === "plain";
}

/**
 * Students and universities count only where study abroad is meant: a country besides the recipient (the host)
 * named in the sentence, or grants and study together; "80,000 students in Afghanistan" is no grant fact.
 */
function abroad(a: SentenceAnalysis, recipient: string | null): boolean {
  return countriesIn(a.entities).some((c) => c !== recipient) || (a.has(GRANT_NOUN) && a.has(STUDY));
}

function recipientOf(ctx: ArticleContext, a: SentenceAnalysis): string | null {
  return countriesIn(a.entities).includes("AFG") ? "AFG" : ctx.hub;
}

/** Grant numbers in a sentence: counts of grants/students/institutions, or "from 30 to 60" beside a grant noun. */
function grantQuantities(a: SentenceAnalysis, recipient: string | null = null): { q: Quantity; field: Field; rule: GrantRule }[] {
  if (!a.quantities.some(mayBeGrant) || !a.has(GRANT_CUE)) return [];
  const out: { q: Quantity; field: Field; rule: GrantRule }[] = [];
  for (const q of a.quantities) {
    const field = fieldOf(q);
    if (field === "students" && GRANTS_FOR.test(a.text.slice(Math.max(0, q.qualStart - 30), q.qualStart))) out.push({ q, field: "grants_per_year", rule: "grant.scholarships_for" });
    else if ((field === "students" || field === "grants_per_year") && HOLDERS.test(a.text.slice(q.start, q.end + 20))) out.push({ q, field: "grants_per_year", rule: "grant.scholarships_for" });
    else if (field === "grants_per_year" || (field !== null && abroad(a, recipient))) out.push({ q, field, rule: "grant.count" });
    else if ((q.kind === "plain" || q.kind === "count") && !q.scaled && a.has(GRANT_NOUN)) {
      const left = a.text.slice(Math.max(0, q.qualStart - 6), q.qualStart);
      const fromTo = /\bfrom\s$/i.test(left) ? /^\s(?:to|up to)\s\d/.test(a.text.slice(q.end, q.end + 8)) : /\bto\s$/i.test(left) && out.some((o) => o.rule === "grant.from_to" && q.start - o.q.end < 8);
      if (fromTo) out.push({ q, field: "grants_per_year", rule: "grant.from_to" });
    }
  }
  return out;
}

/** A future verb after the number's noun phrase, before any verb of state: "50 PhD and 80 Master's students will join". */
function plannedAfter(a: SentenceAnalysis, q: Quantity): boolean {
  const m = PLANNED_AFTER.exec(a.text.slice(q.end));
  return !!m && !STATED_VERB.test(m[1]!);
}

/**
 * Planned: "from X to Y" makes X current; else intent words before the number, a future verb after it, or a quota
 * of grants allocated, offered or declared but not given every year (offers and approved quotas are not yet awarded).
 */
function statusOf(a: SentenceAnalysis, q: Quantity, field: Field, left: string): "current" | "planned" {
  if (FROM_BEFORE.test(left)) return "current";
  if (GRANT_PLANNED.test(left) || (/\bto\s$/i.test(left) && GRANT_PLANNED.test(a.text.slice(0, q.qualStart)))) return "planned";
  if (plannedAfter(a, q)) return "planned";
  if (field === "grants_per_year" && QUOTA.test(a.text.slice(0, q.qualStart)) && !a.has(RECURRING)) return "planned";
  return "current";
}

/** One grants record per sentence and status: "610 Afghan students ... at 34 Kazakh universities" is one record. */
function extractGrants(ctx: ArticleContext, a: SentenceAnalysis): ExtractedFact[] {
  const recipient = recipientOf(ctx, a);
  const found = grantQuantities(a, recipient);
  if (found.length === 0) return [];
  const countries = countriesIn(a.entities);
  const named = countries.find((c) => c !== recipient);
  const donor = named ?? otherOf(ctx, recipient);
  // A donor from the article's main pair rather than the sentence is a guess.
  const confidence = named ? 0.9 : 0.75;
  const groups = new Map<string, ExtractedFact>();
  let prevEnd = 0;
  for (const { q, field, rule } of found) {
    const status = statusOf(a, q, field, a.text.slice(prevEnd, q.qualStart));
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
    fact.evidence.push(evidence(a, q, field, q.value, rule, confidence));
  }
  return [...new Set(groups.values())];
}

/** The grant numbers of the sentence, when `q` is one of them: a sentence's grant figures make its records together. */
function takeGrants({ ctx, a, open }: { ctx: ArticleContext; a: SentenceAnalysis; open: readonly Quantity[] }, q: Quantity): Quantity[] {
  const found = grantQuantities(a, recipientOf(ctx, a)).map((g) => g.q);
  return found.includes(q) ? found.filter((x) => open.includes(x)) : [];
}

export const GRANT_RULES: Rule[] = [
  {
    id: "grant.count",
    table: "grants",
    description: "Educational grants per year, students studying in the donor country, host universities; current, or planned when offered, allocated, proposed or to come.",
    examples: {
      must: [
        { text: "Some 450 Afghan students currently study at 20 Uzbek universities.", expect: { donor_iso3: "UZB", recipient_iso3: "AFG", students: 450, institutions: 20, status: "current" } },
        { text: "Tajikistan offers 50 scholarships to Afghan citizens every year.", expect: { donor_iso3: "TJK", grants_per_year: 50, status: "current" } },
        { text: "Kazakhstan plans to raise the quota to 100 grants per year for Afghan students.", expect: { grants_per_year: 100, status: "planned" } },
        { text: "Turkey has decided to award 2,000 scholarships to young people from Afghanistan.", expect: { donor_iso3: "TUR", grants_per_year: 2000, status: "planned" } },
        { text: "Iran has allocated 800 scholarships to Afghan students for the next academic year.", expect: { donor_iso3: "IRN", grants_per_year: 800, status: "planned" } },
        { text: "China has announced 600 e-scholarships for Afghan nationals.", expect: { donor_iso3: "CHN", grants_per_year: 600, status: "planned" } },
        { text: "Besides, 20 PhDs and 70 Master's students from Afghanistan will arrive in Turkey in October.", expect: { donor_iso3: "TUR", students: 20, status: "planned" } },
        { text: "More than 300 Afghan students are studying in Uzbekistan.", expect: { donor_iso3: "UZB", students: 300, status: "current", qualifier: "at_least" } },
      ],
      mustNot: [
        { text: "Forty Afghan children were invited to a summer camp near Almaty." },
        { text: "Some 90,000 female students in Afghanistan have been barred from universities." },
      ],
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
  {
    id: "grant.scholarships_for",
    table: "grants",
    description: "Students counted as the holders of scholarships ('scholarships to 40 students', '120 scholarship students'): the number of grants.",
    examples: {
      must: [
        { text: "Turkmenistan is ready to give scholarships to 40 Afghan students this year.", expect: { donor_iso3: "TKM", grants_per_year: 40, students: null, status: "planned" } },
        { text: "Visas for Turkey have been issued to 120 scholarship students from Afghanistan.", expect: { donor_iso3: "TUR", grants_per_year: 120, status: "current" } },
      ],
      mustNot: [{ text: "About 120 students from Afghanistan attended the scholarship fair in Kabul." }],
    },
    partOf: "grant.count",
  },
];
