import type { FactTable } from "../schema/tables.ts";
import { AMOUNT_FIELDS, type RowOf } from "./fields.ts";
import type { GoldOf } from "./gold.ts";

/** Relative tolerance for amounts: absorbs rounding ("$987.9 million"), not different figures. */
export const DEFAULT_TOL = 0.005;

/** Whether a predicted record (with the article's own amounts) matches a gold fact. */
export function factMatches<T extends FactTable>(table: T, gold: GoldOf[T], pred: RowOf[T]): boolean {
  const keysAgree = KEY_MATCHERS[table] as (g: GoldOf[T], p: RowOf[T]) => boolean;
  return keysAgree(gold, pred) && amountsAgree(table, gold, pred, gold.tol ?? DEFAULT_TOL);
}

/** Every amount present on both sides agrees within `tol`, and at least one is present on both. */
export function amountsAgree(table: FactTable, gold: object, pred: object, tol: number): boolean {
  const g = gold as Record<string, unknown>;
  const p = pred as Record<string, unknown>;
  let shared = 0;
  for (const field of AMOUNT_FIELDS[table]) {
    const gv = g[field];
    const pv = p[field];
    if (typeof gv !== "number" || typeof pv !== "number") continue;
    shared++;
    if (!withinTolerance(gv, pv, tol)) return false;
  }
  return shared > 0;
}

/** Relative to the gold figure; the tiny slack keeps an exact boundary (0.5%) from failing on float error. */
export function withinTolerance(gold: number, pred: number, tol: number): boolean {
  return Math.abs(pred - gold) <= tol * Math.abs(gold) * (1 + 1e-9);
}

const KEY_MATCHERS: { [T in FactTable]: (g: GoldOf[T], p: RowOf[T]) => boolean } = {
  trade_flows: (g, p) =>
    flowAgrees(g.flow, g.reporter_iso3 ?? null, g.partner_iso3 ?? null, p.flow, p.reporter_iso3, p.partner_iso3) &&
    projected(g.status) === projected(p.status) &&
    periodAgrees(g.period_start ?? null, g.period_end ?? null, g.period_alt ?? [], p.period_start, p.period_end),
  aid_shipments: (g, p) =>
    given(g.donor_iso3, p.donor_iso3) && given(g.recipient_iso3, p.recipient_iso3) && (g.kind === "aggregate") === (p.kind === "aggregate"),
  contracts: (g, p) => g.parties_iso3 == null || sortedParties(g.parties_iso3) === sortedParties(p.parties_iso3),
  grants: (g, p) => g.status === p.status,
};

/** A null (or absent) gold value accepts anything. */
function given(gold: string | null | undefined, pred: string | null): boolean {
  return gold == null || gold === pred;
}

/** Target, forecast and potential are one class: coders disagree on which word an article means. */
function projected(status: string): boolean {
  return status !== "reported";
}

type Flow = "export" | "import" | "turnover";

/** Export A→B and B's import from A are one flow: reduce both to origin → destination. */
function direction(flow: Flow, reporter: string | null, partner: string | null): [string | null, string | null] {
  return flow === "import" ? [partner, reporter] : [reporter, partner];
}

function flowAgrees(gFlow: Flow, gRep: string | null, gPar: string | null, pFlow: Flow, pRep: string | null, pPar: string | null): boolean {
  if ((gFlow === "turnover") !== (pFlow === "turnover")) return false;
  const [gFrom, gTo] = direction(gFlow, gRep, gPar);
  const [pFrom, pTo] = direction(pFlow, pRep, pPar);
  const straight = given(gFrom, pFrom) && given(gTo, pTo);
  // Turnover has no direction: the pair may be written either way round.
  return straight || (gFlow === "turnover" && given(gFrom, pTo) && given(gTo, pFrom));
}

function periodAgrees(gStart: string | null, gEnd: string | null, alt: [string, string][], pStart: string | null, pEnd: string | null): boolean {
  if (gStart === null && gEnd === null) return true;
  return [[gStart, gEnd], ...alt].some(([s, e]) => s === pStart && e === pEnd);
}

function sortedParties(parties: string | null): string | null {
  if (parties === null) return null;
  return parties.split(";").map((s) => s.trim()).filter(Boolean).sort().join(";");
}
