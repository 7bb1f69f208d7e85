/**
 * The pieces the fact tables' eval rules are written with (schema/registry.ts): gold column types and the
 * ways a gold field may agree with a predicted one.
 */
import { z } from "zod";

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const iso3 = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 3166-1 alpha-3 code");
/** null (or absent) in gold means "any value accepted". */
export const anyCountry = iso3.nullable().optional();
export const amount = z.number().finite().nonnegative().nullable().optional();
/** Annotations a coder may put on any gold fact, beyond the table's own columns. */
export const annotations = {
  optional: z.boolean().optional(),
  tol: z.number().positive().max(1).optional(),
  period_start: isoDate.nullable().optional(),
  period_end: isoDate.nullable().optional(),
  period_alt: z.array(z.tuple([isoDate, isoDate])).optional(),
  quote: z.string().optional(),
  note: z.string().optional(),
};
export type Annotations = z.output<z.ZodObject<typeof annotations>>;

export const anyParties = z.string().regex(/^[A-Z]{3}(;[A-Z]{3})*$/, "expected ISO3 codes separated by ';'").nullable().optional();

/** A null (or absent) gold value accepts anything. */
export function given(gold: string | null | undefined, pred: string | null): boolean {
  return gold == null || gold === pred;
}

/** Target, forecast and potential are one class: coders disagree on which word an article means. */
export function projected(status: string): boolean {
  return status !== "reported";
}

type Flow = "export" | "import" | "turnover";

/** Export A→B and B's import from A are one flow: reduce both to origin → destination. */
function direction(flow: Flow, reporter: string | null, partner: string | null): [string | null, string | null] {
  return flow === "import" ? [partner, reporter] : [reporter, partner];
}

export function flowAgrees(gFlow: Flow, gRep: string | null, gPar: string | null, pFlow: Flow, pRep: string | null, pPar: string | null): boolean {
  if ((gFlow === "turnover") !== (pFlow === "turnover")) return false;
  const [gFrom, gTo] = direction(gFlow, gRep, gPar);
  const [pFrom, pTo] = direction(pFlow, pRep, pPar);
  const straight = given(gFrom, pFrom) && given(gTo, pTo);
  // Turnover has no direction: the pair may be written either way round.
  return straight || (gFlow === "turnover" && given(gFrom, pTo) && given(gTo, pFrom));
}

export function periodAgrees(gStart: string | null, gEnd: string | null, alt: [string, string][], pStart: string | null, pEnd: string | null): boolean {
  if (gStart === null && gEnd === null) return true;
  return [[gStart, gEnd], ...alt].some(([s, e]) => s === pStart && e === pEnd);
}

export function sortedParties(parties: string | null): string | null {
  if (parties === null) return null;
  return parties.split(";").map((s) => s.trim()).filter(Boolean).sort().join(";");
}
