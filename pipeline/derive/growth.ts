import type { GrowthRate, QaCheck } from "../schema/tables.ts";
import { idOfJson, stableId } from "../ids.ts";
import { previousYear, type Period } from "../extract/periods.ts";
import type { MergedRecord } from "../reconcile/merge.ts";
import { roundToUncertainty } from "../normalize/precision.ts";
import type { StatedChange } from "../types.ts";

interface Point {
  record: MergedRecord;
  value: number;
  unit: "USD" | "tonnes";
  halfUnit: number;
  /** JSON of the series key: the flow, its (for turnover, unordered) pair, the commodity and the unit. */
  series: string;
}

function seriesJson(r: MergedRecord, unit: string): string {
  const row = r.row;
  const pair = row.flow === "turnover" ? [row.reporter_iso3, row.partner_iso3].sort() : [row.reporter_iso3, row.partner_iso3];
  return JSON.stringify(["trade_flows", row.flow, ...pair, row.commodity ?? null, unit]);
}

function point(r: MergedRecord): Point | null {
  const usd = r.row.value_usd as number | null;
  const t = r.row.quantity_tonnes as number | null;
  const value = usd ?? t;
  if (value === null || value === 0) return null;
  const unit = usd !== null ? "USD" : "tonnes";
  return { record: r, value, unit, halfUnit: usd !== null ? r.halfUnit.value_usd : r.halfUnit.quantity_tonnes, series: seriesJson(r, unit) };
}

/** Where a series' value for one period is indexed. */
function periodKey(series: string, start: string, end: string): string {
  return `${series}\u0000${start}\u0000${end}`;
}

/** Decimal places written in a stated change ("94.6" → 1), for its rounding. */
function statedHalfUnit(text: string): number {
  const d = /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
  return 0.5 * 10 ** -d;
}

const round = (v: number) => roundToUncertainty(v, 0);

/** Half-width of a ratio of two figures each known to ± its half-unit: their relative uncertainties add. */
function ratioHalfWidth(ratio: number, a: number, aHalf: number, b: number, bHalf: number): number {
  return Math.abs(ratio) * (aHalf / Math.abs(a) + bHalf / Math.abs(b));
}

/** A stated change as a ratio, with the half-unit of its last written digit: "82.6%" → ±0.0005, "2.1 times" → ±0.05. */
function statedRatio(ch: StatedChange): { ratio: number; half: number } {
  const isMultiplier = /times|fold|more|higher/i.test(ch.text) || !/%|percent|per cent/i.test(ch.text);
  return { ratio: 1 + ch.pct / 100, half: isMultiplier ? statedHalfUnit(ch.text) : statedHalfUnit(ch.text) / 100 };
}

type Method = Pick<GrowthRate, "growth_id" | "base_value" | "change_pct" | "ratio" | "method" | "stated_change_pct" | "consistent" | "base_record_id">;

/** A growth row: the point's columns, then the method's. Written out: V8 spreads shared columns into a row slowly. */
function growthRow(p: Point, series_id: string, basePeriod: Period | null, m: Method): GrowthRate {
  const row = p.record.row;
  const dated = Boolean(row.period_start);
  return {
    series_id, table_name: "trade_flows", measure: row.flow as string, reporter_iso3: row.reporter_iso3 as string | null, partner_iso3: row.partner_iso3 as string | null,
    commodity: row.commodity as string | null, unit: p.unit, period_start: dated ? (row.period_start as string) : null, period_end: dated ? ((row.period_end as string | null) ?? null) : null,
    base_period_start: basePeriod?.start ?? null, base_period_end: basePeriod?.end ?? null, value: p.value, record_id: p.record.record_id,
    growth_id: m.growth_id, base_value: m.base_value, change_pct: m.change_pct, ratio: m.ratio, method: m.method, stated_change_pct: m.stated_change_pct, consistent: m.consistent, base_record_id: m.base_record_id,
  };
}

/**
 * Growth per series: computed from the same months a year apart, stated by the article, and implied
 * (the base back-computed from a stated change when no base value was reported).
 */
export function deriveGrowth(records: MergedRecord[]): { growth: GrowthRate[]; qa: QaCheck[] } {
  const points = records.filter((r) => r.table === "trade_flows" && r.row.status === "reported").map(point).filter((p): p is Point => p !== null);
  const index = new Map<string, Point>();
  for (const p of points) if (p.record.row.period_start) index.set(periodKey(p.series, p.record.row.period_start as string, p.record.row.period_end as string), p);
  // Many points share a series: hash each series key once.
  const seriesIds = new Map<string, string>();
  const growth: GrowthRate[] = [];
  const qa: QaCheck[] = [];
  for (const p of points) {
    const row = p.record.row;
    let series_id = seriesIds.get(p.series);
    if (series_id === undefined) seriesIds.set(p.series, (series_id = idOfJson(p.series)));
    const basePeriod = row.period_start ? previousYear({ start: row.period_start as string, end: row.period_end as string }) : null;
    const base = basePeriod ? index.get(periodKey(p.series, basePeriod.start, basePeriod.end)) : undefined;
    let computedPct: number | null = null;
    if (base) {
      const ratio = p.value / base.value;
      computedPct = (ratio - 1) * 100;
      // Published to the precision the two values were written with (987.9 / 474.3 → 2.0829, not 2.082858...).
      const half = ratioHalfWidth(ratio, p.value, p.halfUnit, base.value, base.halfUnit);
      growth.push(growthRow(p, series_id, basePeriod, { growth_id: stableId(p.record.record_id, "computed", base.record.record_id), base_value: base.value, change_pct: roundToUncertainty(computedPct, half * 100), ratio: roundToUncertainty(ratio, half), method: "computed", stated_change_pct: null, consistent: null, base_record_id: base.record.record_id }));
    }
    const seen = new Set<number>();
    for (const ch of p.record.changes) {
      if (seen.has(ch.pct)) continue;
      seen.add(ch.pct);
      let consistent: boolean | null = null;
      const stated = statedRatio(ch);
      if (base) {
        const ratioHi = (p.value + p.halfUnit) / (base.value - base.halfUnit);
        const ratioLo = (p.value - p.halfUnit) / (base.value + base.halfUnit);
        const slack = stated.half * 100;
        consistent = ch.pct >= (ratioLo - 1) * 100 - slack && ch.pct <= (ratioHi - 1) * 100 + slack;
        qa.push({
          check_id: stableId("qa", "growth_consistency", p.record.record_id, ch.pct),
          check: "growth_consistency",
          severity: consistent ? "info" : "warning",
          passed: consistent,
          table_name: "trade_flows",
          record_id: p.record.record_id,
          article_id: null,
          message: `stated change ${round(ch.pct)}% ("${ch.text}") vs computed ${round(computedPct!).toFixed(2)}% from ${p.value} and ${base.value} (${base.record.row.period_start}..${base.record.row.period_end})`,
        });
      }
      growth.push(growthRow(p, series_id, basePeriod, { growth_id: stableId(p.record.record_id, "stated", ch.pct), base_value: base?.value ?? null, change_pct: round(ch.pct), ratio: round(1 + ch.pct / 100), method: "stated", stated_change_pct: round(ch.pct), consistent, base_record_id: base?.record.record_id ?? null }));
      if (!base) {
        // $9.1 million after +82.6% implies 4.98 million, not 4983570.7: no more digits than the inputs carry.
        const implied = p.value / stated.ratio;
        const half = ratioHalfWidth(implied, p.value, p.halfUnit, stated.ratio, stated.half);
        growth.push(growthRow(p, series_id, basePeriod, { growth_id: stableId(p.record.record_id, "implied", ch.pct), base_value: roundToUncertainty(implied, half), change_pct: round(ch.pct), ratio: round(1 + ch.pct / 100), method: "implied", stated_change_pct: round(ch.pct), consistent: null, base_record_id: null }));
      }
    }
  }
  return { growth, qa };
}
