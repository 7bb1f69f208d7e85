import type { QaCheck } from "../../schema/tables.ts";
import { stableId } from "../../ids.ts";
import type { MentionEvidence } from "../../types.ts";
import type { SentenceAnalysis } from "../analysis.ts";
import { anyOf } from "../anyof.ts";
import type { EntityMention } from "../entities.ts";
import type { Quantity } from "../numbers.ts";
import type { PeriodMention } from "../periods.ts";

/** Quantities that can carry a fact on their own (not percentages, years, multipliers). */
export function isMeasure(q: Quantity): boolean {
  return q.kind === "money" || q.kind === "mass";
}

const CLAUSE_BREAK = /;|,\s(?:but|while|whereas|and\swhile)\s|\swhile\s|\swhereas\s/g;

/** Whether a text has the mark or a word every clause break needs (the pattern minds case): most sentences have none. */
function mayBreak(text: string): boolean {
  return text.includes(";") || text.includes("but") || text.includes("while") || text.includes("whereas");
}

/** Per-sentence facts every rule asks for, computed once: clause breaks, measures, each country mention's number. */
interface SentenceIndex {
  breaks: [number, number][];
  measures: Quantity[];
  owner: Map<EntityMention, Quantity | null>;
  /** For each measure, the period mention nearest to it among those it is the nearest measure of (and how near). */
  period: Map<Quantity, { p: PeriodMention; d: number }>;
  /** Clause windows already worked out, per quantity. */
  windows: Map<Quantity, readonly [number, number]>;
  /** Roles read over the whole sentence, once asked for. */
  roles: readonly RoledEntity[] | null;
  /** What the words around each mention say, for clauses that cut none of them off: the sentence's roles and each figure's read the same words. */
  readings: Map<EntityMention, Reading>;
}

function indexOf(a: SentenceAnalysis): SentenceIndex {
  return a.derive(buildIndex);
}

function buildIndex(a: SentenceAnalysis): SentenceIndex {
  const breaks: [number, number][] = [];
  CLAUSE_BREAK.lastIndex = 0;
  if (mayBreak(a.text)) for (let m = CLAUSE_BREAK.exec(a.text); m; m = CLAUSE_BREAK.exec(a.text)) breaks.push([m.index, m.index + m[0].length]);
  const measures = a.quantities.filter(isMeasure);
  const owner = new Map<EntityMention, Quantity | null>();
  for (const e of a.entities) owner.set(e, nearestMeasure(measures, e, breaks, a.text));
  return { breaks, measures, owner, period: periodOwners(a, measures), windows: new Map(), roles: null, readings: new Map() };
}

/**
 * The clause a quantity belongs to: from the previous measure (or clause break) to the next one.
 * Cue words and countries are read here first, so "exports ... $257.3mn, but imports ... $2.2mn" gives each its own.
 */
export function windowOf(a: SentenceAnalysis, q: Quantity): readonly [number, number] {
  const { breaks, measures, windows } = indexOf(a);
  const known = windows.get(q);
  if (known) return known;
  let ws = 0;
  let we = a.text.length;
  for (const o of measures) {
    if (o === q) continue;
    if (o.end <= q.qualStart) ws = Math.max(ws, o.end);
    else if (o.qualStart >= q.end) we = Math.min(we, o.qualStart);
  }
  for (const [bs, be] of breaks) {
    if (be <= q.qualStart) ws = Math.max(ws, be);
    else if (bs >= q.end) we = Math.min(we, bs);
  }
  const window = [ws, we] as const;
  windows.set(q, window);
  return window;
}

/** Where the clause of a quantity begins, other figures before it in the clause included: "Transit trade fell from $7 billion to $3 billion" scopes both figures. */
export function clauseStart(a: SentenceAnalysis, q: Quantity): number {
  let start = 0;
  for (const [bs, be] of indexOf(a).breaks) if (be <= q.qualStart && bs >= start) start = be;
  return start;
}

export type Role = "origin" | "dest" | "pair" | "partner" | "owner" | "subject" | "location" | "other";

export interface RoledEntity extends EntityMention {
  role: Role;
}

const FLOW_NOUN = /^(?:\s*[-–]?\s*(?:\w+\s){0,2}?)(?:exports?|imports?|products|goods|flour|wheat|grain|supplies|side|government|aid|humanitarian|businesses|companies|traders|delivery|deliveries|shipments?|cargo|producers|exporters|importers|agricultural|food|oil|students|universities|citizens|people|side)\b/i;

/** Words right before a mention (lower-cased) that tell its role. */
const BEFORE = {
  // "were exported Kazakhstan": a sending verb right before a country names where the goods went, with or without "to".
  dest: /\b(?:to|into|for|entering|towards|reaching|reached|in favou?r of|exported|shipped|flown|delivered|transported)\s(?:the\s)?(?:neighbou?ring\s|brotherly\s|friendly\s)?$/,
  origin: /\bfrom\s(?:the\s)?(?:neighbou?ring\s)?$|\bmade in\s$/,
  between: /\bbetween\s(?:the\s)?$/,
  and: /\band\s$/,
  with: /\bwith\s$/,
  of: /\bof\s(?:the\s)?$/,
  place: /\b(?:in|at|through|via|of|near)\s(?:the\s)?(?:port of\s|city of\s)?$/,
  inAtOfOn: /\b(?:in|at|of|on)\s(?:the\s)?$/,
};
/** Most mentions follow none of them. */
const ANY_BEFORE = anyOf(Object.values(BEFORE));

/**
 * The measure a country mention belongs to: the nearest one, with a slight lean to the number after it,
 * as lists run "Kazakhstan at $1.5bn and Turkey $1.0bn"; never across a clause break.
 */
function nearestMeasure(measures: Quantity[], e: EntityMention, breaks: [number, number][], text: string): Quantity | null {
  // "..., with Afghanistan's exports accounting for $294mn": a possessive (or demonym) heading a flow noun qualifies the figure it introduces.
  if (/^['’]s?\b/.test(text.slice(e.end, e.end + 3)) || (e.kind === "demonym" && FLOW_NOUN.test(text.slice(e.end, e.end + 40)))) {
    const after = measures.find((m) => m.qualStart >= e.end);
    if (after && !breaks.some(([bs]) => bs >= e.end && bs < after.qualStart)) return after;
  }
  let best: Quantity | null = null;
  let bestDist = Infinity;
  for (const m of measures) {
    // A clause break between them ("...537 thousand tons; Russia — 14 thousand") parts a country from a figure.
    if (breaks.some(([bs]) => (bs >= e.end && bs < m.qualStart) || (bs >= m.end && bs < e.start))) continue;
    const d = m.qualStart >= e.end ? m.qualStart - e.end - 2 : e.start >= m.end ? e.start - m.end : 0;
    if (d < bestDist) {
      best = m;
      bestDist = d;
    }
  }
  return best;
}

/**
 * What the words right before and after a mention say of its role, in the order they are asked: `fixed` decides
 * alone; else "and" after a pair makes a pair; else `next` decides; else it is the subject if nothing before it in
 * the clause was more than a location and `subject` allows.
 */
interface Reading {
  fixed: Role | null;
  and: boolean;
  next: Role | null;
  subject: boolean;
}

function read(e: EntityMention, before: string, after: string): Reading {
  const cued = ANY_BEFORE.test(before);
  // "according to Afghanistan's ministry" names a source, not a destination.
  if (/\baccording to\s(?:the\s)?$/.test(before)) return { fixed: "other", and: false, next: null, subject: false };
  if (cued && BEFORE.dest.test(before)) return { fixed: "dest", and: false, next: null, subject: false };
  if ((cued && BEFORE.origin.test(before)) || /^-(?:grown|made|produced|origin)\b/i.test(after)) return { fixed: "origin", and: false, next: null, subject: false };
  if (cued && BEFORE.between.test(before)) return { fixed: "pair", and: false, next: null, subject: false };
  const and = cued && BEFORE.and.test(before);
  let next: Role | null = null;
  // "with Afghanistan's exports": the possessive names whose exports they are, whatever preposition leads in.
  if (/^['’]s?\b/.test(after) || (e.kind === "demonym" && FLOW_NOUN.test(after))) next = "owner";
  else if (cued && BEFORE.with.test(before)) next = "partner";
  else if (cued && BEFORE.of.test(before) && e.kind !== "place") next = "owner";
  // "the ambassador in Kabul": a capital after "in" or "at" is where something happens, not its government acting.
  else if (cued && BEFORE.place.test(before) && (e.kind === "place" || (e.kind === "capital" && /\b(?:in|at)\s(?:the\s)?$/.test(before)))) next = "location";
  return { fixed: null, and, next, subject: next === null && !(cued && BEFORE.inAtOfOn.test(before)) };
}

/** The reading of a mention in the clause ws..we: the sentence's own when the clause cuts off none of the words read. */
function readingIn(a: SentenceAnalysis, e: EntityMention, ws: number, we: number): Reading {
  const from = Math.max(0, e.start - 24);
  const to = Math.min(a.text.length, e.end + 40);
  const cut = ws > from || we < to;
  const readings = indexOf(a).readings;
  let r = cut ? undefined : readings.get(e);
  if (r === undefined) {
    r = read(e, a.text.slice(Math.max(ws, from), e.start).toLowerCase(), a.text.slice(e.end, Math.min(we, to)));
    if (!cut) readings.set(e, r);
  }
  return r;
}

/** Reads what a country mention does in its clause from the words right before and after it; with `owner`, only the mentions nearest to that number. */
export function rolesIn(a: SentenceAnalysis, ws: number, we: number, owner?: Quantity): RoledEntity[] {
  const out: RoledEntity[] = [];
  const inWindow = a.entities.filter((e) => e.start >= ws && e.end <= we && (!owner || indexOf(a).owner.get(e) === owner));
  let allLocations = true;
  for (const e of inWindow) {
    const r = readingIn(a, e, ws, we);
    const role: Role = r.fixed ?? (r.and && out.length > 0 && out[out.length - 1]!.role === "pair" ? "pair" : (r.next ?? (r.subject && allLocations ? "subject" : "other")));
    if (role !== "location") allLocations = false;
    // Written out: a spread copy was most of the cost of reading roles.
    out.push({ start: e.start, end: e.end, text: e.text, iso3: e.iso3, kind: e.kind, place: e.place, placeKind: e.placeKind, role });
  }
  return out;
}

/** Roles of all the sentence's country mentions: what every figure of it (and every aid frame) asks. */
export function sentenceRoles(a: SentenceAnalysis): readonly RoledEntity[] {
  const ix = indexOf(a);
  return (ix.roles ??= rolesIn(a, 0, a.text.length));
}

export function firstWithRole(entities: readonly RoledEntity[], role: Role): string | null {
  return entities.find((e) => e.role === role)?.iso3 ?? null;
}

/** Distinct countries named (not places), in order. */
export function countriesIn(entities: EntityMention[]): string[] {
  return [...new Set(entities.filter((e) => e.kind !== "place").map((e) => e.iso3))];
}

/**
 * The period a quantity's figure covers: each period mention belongs to the measure nearest to it,
 * so "in 2022 (at $9.27bn), placed second at $2.9bn" dates only the first figure.
 */
export function periodFor(a: SentenceAnalysis, q: Quantity): PeriodMention | null {
  return indexOf(a).period.get(q)?.p ?? null;
}

function gap(p: PeriodMention, m: Quantity): number {
  return p.end <= m.qualStart ? m.qualStart - p.end : p.start >= m.end ? p.start - m.end : 0;
}

function periodOwners(a: SentenceAnalysis, measures: Quantity[]): Map<Quantity, { p: PeriodMention; d: number }> {
  const best = new Map<Quantity, { p: PeriodMention; d: number }>();
  if (measures.length === 0) return best;
  for (const p of a.periods) {
    if (p.kind !== "period" && p.kind !== "duration") continue;
    let owner: Quantity | null = null;
    let ownerGap = Infinity;
    for (const m of measures) {
      const d = gap(p, m);
      if (d < ownerGap) {
        owner = m;
        ownerGap = d;
      }
    }
    if (owner && ownerGap < (best.get(owner)?.d ?? Infinity)) best.set(owner, { p, d: ownerGap });
  }
  return best;
}

export function comparativeBefore(a: SentenceAnalysis, q: Quantity, maxGap = 6): PeriodMention | null {
  return a.periods.find((p) => p.kind === "comparative" && p.end <= q.qualStart && q.qualStart - p.end <= maxGap) ?? null;
}

export function comparativeAfter(a: SentenceAnalysis, q: Quantity, maxGap = 30): PeriodMention | null {
  return a.periods.find((p) => p.kind === "comparative" && p.start >= q.end && p.start - q.end <= maxGap) ?? null;
}

/** Evidence for one number: the quote is the whole sentence, so it always contains the number as written. */
export function evidence(a: SentenceAnalysis, q: Quantity, field: string, stated: number | null, rule: string, confidence: number): MentionEvidence {
  return {
    char_start: a.sentence.start,
    char_end: a.sentence.end,
    quote: a.text,
    value_text: q.text,
    field,
    stated_value: stated,
    rule,
    confidence,
  };
}

/** A QA row for a number that no rule placed, with the reason and its sentence, so a reviewer can see it without the article (review queue). */
export function unplaced(articleId: string, a: SentenceAnalysis, q: Quantity, reason: string): QaCheck {
  return {
    check_id: stableId("qa", "unplaced", articleId, a.sentence.start + q.start, q.text),
    check: "unplaced_number",
    severity: "info",
    passed: null,
    table_name: null,
    record_id: null,
    article_id: articleId,
    message: `number seen but not placed in any table: "${q.text}" (${reason}) in the sentence: "${a.text}"`,
  };
}
