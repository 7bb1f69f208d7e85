import type { GrowthRate, QaCheck } from "../schema/tables.ts";
import { stableId } from "../ids.ts";
import { previousYear } from "../extract/periods.ts";
import type { MergedRecord } from "../reconcile/merge.ts";
import { halfUnit } from "../reconcile/precision.ts";

interface Point {
  record: MergedRecord;
  value: number;
  unit: "USD" | "tonnes";
  halfUnit: number;
}

function seriesKey(r: MergedRecord, unit: string): (string | number | null)[] {
  const row = r.row;
  const pair = row.flow === "turnover" ? [row.reporter_iso3, row.partner_iso3].sort() : [row.reporter_iso3, row.partner_iso3];
  return ["trade_flows", row.flow, ...pair, row.commodity ?? null, unit] as (string | number | null)[];
}

function point(r: MergedRecord): Point | null {
  const usd = r.row.value_usd as number | null;
  const t = r.row.quantity_tonnes as number | null;
  const value = usd ?? t;
  if (value === null || value === 0) return null;
  const field = usd !== null ? "value_usd" : "quantity_tonnes";
  const e = r.facts[0]?.evidence.find((x) => x.field === field);
  return { record: r, value, unit: usd !== null ? "USD" : "tonnes", halfUnit: e ? halfUnit(e.value_text, value) : 0 };
}

/** Decimal places written in a stated change ("94.6" → 1), for its rounding. */
function statedHalfUnit(text: string): number {
  const d = /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
  return 0.5 * 10 ** -d;
}

const round = (v: number) => Number(v.toPrecision(10));

/**
 * Growth per series: computed from the same months a year apart, stated by the article, and implied
 * (the base back-computed from a stated change when no base value was reported).
 */
export function deriveGrowth(records: MergedRecord[]): { growth: GrowthRate[]; qa: QaCheck[] } {
  const points = records.filter((r) => r.table === "trade_flows" && r.row.status === "reported").map(point).filter((p): p is Point => p !== null);
  const index = new Map<string, Point>();
  for (const p of points) if (p.record.row.period_start) index.set(JSON.stringify([...seriesKey(p.record, p.unit), p.record.row.period_start, p.record.row.period_end]), p);
  const growth: GrowthRate[] = [];
  const qa: QaCheck[] = [];
  for (const p of points) {
    const row = p.record.row;
    const key = seriesKey(p.record, p.unit);
    const series_id = stableId(...key);
    const period = row.period_start ? { start: row.period_start as string, end: row.period_end as string } : null;
    const basePeriod = period ? previousYear(period) : null;
    const base = basePeriod ? index.get(JSON.stringify([...key, basePeriod.start, basePeriod.end])) : undefined;
    const common = {
      series_id, table_name: "trade_flows", measure: row.flow as string, reporter_iso3: row.reporter_iso3 as string | null, partner_iso3: row.partner_iso3 as string | null,
      commodity: row.commodity as string | null, unit: p.unit, period_start: period?.start ?? null, period_end: period?.end ?? null,
      base_period_start: basePeriod?.start ?? null, base_period_end: basePeriod?.end ?? null, value: p.value, record_id: p.record.record_id,
    };
    let computedPct: number | null = null;
    if (base) {
      const ratio = p.value / base.value;
      computedPct = (ratio - 1) * 100;
      growth.push({ ...common, growth_id: stableId(p.record.record_id, "computed", base.record.record_id), base_value: base.value, change_pct: round(computedPct), ratio: round(ratio), method: "computed", stated_change_pct: null, consistent: null, base_record_id: base.record.record_id });
    }
    const seen = new Set<number>();
    for (const ch of p.record.changes) {
      if (seen.has(ch.pct)) continue;
      seen.add(ch.pct);
      let consistent: boolean | null = null;
      if (base) {
        const ratioHi = (p.value + p.halfUnit) / (base.value - base.halfUnit);
        const ratioLo = (p.value - p.halfUnit) / (base.value + base.halfUnit);
        const isMultiplier = /times|fold|more|higher/i.test(ch.text) || !/%|percent|per cent/i.test(ch.text);
        const slack = isMultiplier ? statedHalfUnit(ch.text) * 100 : statedHalfUnit(ch.text);
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
      growth.push({ ...common, growth_id: stableId(p.record.record_id, "stated", ch.pct), base_value: base?.value ?? null, change_pct: round(ch.pct), ratio: round(1 + ch.pct / 100), method: "stated", stated_change_pct: round(ch.pct), consistent, base_record_id: base?.record.record_id ?? null });
      if (!base) {
        const implied = p.value / (1 + ch.pct / 100);
        growth.push({ ...common, growth_id: stableId(p.record.record_id, "implied", ch.pct), base_value: round(implied), change_pct: round(ch.pct), ratio: round(1 + ch.pct / 100), method: "implied", stated_change_pct: round(ch.pct), consistent: null, base_record_id: null });
      }
    }
  }
  return { growth, qa };
}
