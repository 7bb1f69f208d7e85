import type { ExtractedFact } from "../types.ts";

/**
 * How much a corroborating article counts next to the best one: articles often restate one press release,
 * and a rule that misreads a sentence misreads its copy too, so a second source is far from independent proof.
 */
export const CORROBORATION_WEIGHT = 0.25;

/** A record below this rests on more than one inference (a country, a period or a status not stated outright) or on a weak rule. */
export const REVIEW_BELOW = 0.7;

/** Evidence and record confidences are published with two decimals, so a record's figure can be recomputed from the evidence table. */
const round2 = (x: number) => Number(x.toFixed(2));

/** How sure one article's statement is: its evidence for the record's main figure (in `field`), else its best evidence. */
export function statementConfidence(f: ExtractedFact, field: string): number {
  let main = -1;
  let any = 0;
  for (const e of f.evidence) {
    const c = round2(e.confidence);
    if (e.field === field) main = Math.max(main, c);
    any = Math.max(any, c);
  }
  return main >= 0 ? main : any;
}

/**
 * A record's confidence from its sources' (one figure per article): the best one, with each other article
 * closing CORROBORATION_WEIGHT × its confidence of the remaining doubt. So 0.9 and 0.9 give 0.92, 0.6 and 0.6 give
 * 0.66; more sources never lower it and it never reaches past 1. Sorted first, so any order gives the same bytes.
 */
export function combineConfidence(perArticle: number[]): number {
  const [best = 0, ...rest] = [...perArticle].sort((a, b) => b - a);
  let doubt = 1 - best;
  for (const c of rest) doubt *= 1 - CORROBORATION_WEIGHT * c;
  return round2(1 - doubt);
}

/** A record a human should look at: weakly supported, or stated differently by its sources. */
export function needsReview(confidence: number, conflict: boolean): boolean {
  return conflict || confidence < REVIEW_BELOW;
}
