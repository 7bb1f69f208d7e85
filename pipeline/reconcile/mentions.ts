import type { ExtractedFact } from "../types.ts";
import type { EventTraits } from "./events.ts";

/**
 * What ranking and clustering compare of a fact, computed once (sorts read it many times per fact), and
 * `ref`, which finds the fact again when its record is built: the fact itself, or its place in a batch of
 * fact lines, so that facts are parsed whole only as their record is built.
 */
export interface Mention<R> {
  ref: R;
  article_id: string;
  measure: string;
  value: number | null;
  /** Significant digits of the value; 0 when there is none. */
  digits: number;
  exact: boolean;
  confidence: number;
  start: number;
  /** How the first evidence wrote the value, for conflict messages. */
  value_text: string;
  /** When, where and what else an event's mention tells (reconcile/events.ts); absent for other facts. */
  event?: EventTraits;
}

/** Relative gap two figures may have and still be one figure written twice: rounding in the last of 3+ digits. */
export const SAME_VALUE = 0.005;
/**
 * Relative gap a rounded or qualified figure may have from the precise one ("almost $1 billion" vs $987.9
 * million, "over $12 million" vs $12.4 million): a figure rounded to 2 significant digits can be off by 5%.
 */
export const ROUNDED_VALUE = 0.05;

/** Digits written without the leading and trailing zeros (at least 1): "0.0120" → 2, "1500" → 2. */
function significantDigits(v: number): number {
  // Scans the decimal text instead of trimming copies of it: this runs once per fact.
  const s = String(Math.abs(v));
  const dot = s.indexOf(".");
  let lo = 0;
  let hi = s.length;
  while (lo < hi && (s[lo] === "0" || lo === dot)) lo++;
  while (hi > lo && (s[hi - 1] === "0" || hi - 1 === dot)) hi--;
  const digits = hi - lo - (dot >= lo && dot < hi ? 1 : 0);
  return Math.max(1, digits);
}

export function mention<R>(f: ExtractedFact, measure: string, value: number | null, ref: R): Mention<R> {
  const first = f.evidence[0];
  return {
    ref,
    article_id: f.article_id,
    measure,
    value,
    digits: value === null ? 0 : significantDigits(value),
    exact: f.qualifier === "exact",
    confidence: first?.confidence ?? 0,
    start: first?.char_start ?? 0,
    value_text: first?.value_text ?? "",
  };
}

/** The relative gap between two figures (0 when both are 0). */
export function relativeGap(x: number, y: number): number {
  return Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-9);
}

/** Restatements agree: nearly equal, or a rounded/qualified figure within ROUNDED_VALUE ("almost $1 billion" vs $987.9 million). */
export function valuesAgree(a: Mention<unknown>, b: Mention<unknown>): boolean {
  const x = a.value;
  const y = b.value;
  if (x === null || y === null) return x === y;
  const rel = relativeGap(x, y);
  if (rel <= SAME_VALUE) return true;
  const loose = !a.exact || !b.exact || a.digits <= 2 || b.digits <= 2;
  return loose && rel <= ROUNDED_VALUE;
}

/** Most precise, then most direct (unqualified), then most confident, then first in article order. */
export function preference(a: Mention<unknown>, b: Mention<unknown>): number {
  const d = b.digits - a.digits;
  if (d !== 0) return d;
  const q = Number(b.exact) - Number(a.exact);
  if (q !== 0) return q;
  const c = b.confidence - a.confidence;
  if (c !== 0) return c;
  return a.article_id < b.article_id ? -1 : a.article_id > b.article_id ? 1 : a.start - b.start;
}

export function byValue(a: Mention<unknown>, b: Mention<unknown>): number {
  return (a.value ?? -Infinity) - (b.value ?? -Infinity) || preference(a, b);
}

/** A value rounded to 2 significant digits: what tells distinct facts of one key apart, stable under restatements. */
export function roundTag(v: number | null): string | null {
  return v === null ? null : Number(v.toPrecision(2)).toString();
}

export function fmt(m: Mention<unknown>): string {
  return `${m.value} ${m.measure} (${m.article_id}: "${m.value_text}")`;
}
