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
}

function indexOf(a: SentenceAnalysis): SentenceIndex {
  return a.derive(buildIndex);
}

function buildIndex(a: SentenceAnalysis): SentenceIndex {
  const breaks: [number, number][] = [];
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(a.text); m; m = CLAUSE_BREAK.exec(a.text)) breaks.push([m.index, m.index + m[0].length]);
  const measures = a.quantities.filter(isMeasure);
  return { breaks, measures, owner: new Map(a.entities.map((e) => [e, nearestMeasure(measures, e)])), period: periodOwners(a, measures), windows: new Map(), roles: null };
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

export type Role = "origin" | "dest" | "pair" | "partner" | "owner" | "subject" | "location" | "other";

export interface RoledEntity extends EntityMention {
  role: Role;
}

const FLOW_NOUN = /^(?:\s*[-–]?\s*(?:\w+\s){0,2}?)(?:exports?|imports?|products|goods|flour|wheat|grain|supplies|side|government|aid|humanitarian|businesses|companies|traders|delivery|deliveries|shipments?|cargo|producers|exporters|importers|agricultural|food|oil|students|universities|citizens|people|side)\b/i;

/** Words right before a mention (lower-cased) that tell its role. */
const BEFORE = {
  dest: /\b(?:to|into|for|entering|towards|reaching|in favou?r of)\s(?:the\s)?(?:neighbou?ring\s|brotherly\s|friendly\s)?$/,
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
 * as lists run "Kazakhstan at $1.5bn and Turkey $1.0bn".
 */
function nearestMeasure(measures: Quantity[], e: EntityMention): Quantity | null {
  let best: Quantity | null = null;
  let bestDist = Infinity;
  for (const m of measures) {
    const d = m.qualStart >= e.end ? m.qualStart - e.end - 2 : e.start >= m.end ? e.start - m.end : 0;
    if (d < bestDist) {
      best = m;
      bestDist = d;
    }
  }
  return best;
}

/** Reads what a country mention does in its clause from the words right before and after it; with `owner`, only the mentions nearest to that number. */
export function rolesIn(a: SentenceAnalysis, ws: number, we: number, owner?: Quantity): RoledEntity[] {
  const out: RoledEntity[] = [];
  const inWindow = a.entities.filter((e) => e.start >= ws && e.end <= we && (!owner || indexOf(a).owner.get(e) === owner));
  for (const e of inWindow) {
    const before = a.text.slice(Math.max(ws, e.start - 24), e.start).toLowerCase();
    const after = a.text.slice(e.end, Math.min(we, e.end + 40));
    const cued = ANY_BEFORE.test(before);
    let role: Role = "other";
    if (cued && BEFORE.dest.test(before)) role = "dest";
    else if (cued && BEFORE.origin.test(before)) role = "origin";
    else if (cued && BEFORE.between.test(before)) role = "pair";
    else if (cued && BEFORE.and.test(before) && out.length > 0 && out[out.length - 1]!.role === "pair") role = "pair";
    else if (cued && BEFORE.with.test(before)) role = "partner";
    else if (/^['’]s?\b/.test(after) || (e.kind === "demonym" && FLOW_NOUN.test(after))) role = "owner";
    else if (cued && BEFORE.of.test(before) && e.kind !== "place") role = "owner";
    else if (cued && BEFORE.place.test(before) && e.kind === "place") role = "location";
    else if (out.every((o) => o.role === "location") && !(cued && BEFORE.inAtOfOn.test(before))) role = "subject";
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
