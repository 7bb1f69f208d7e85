import type { QaCheck } from "../schema/tables.ts";
import { stableId } from "../ids.ts";
import type { MergedRecord } from "./merge.ts";

/**
 * Turnover should equal exports + imports of the same pair and period. Each side may be rounded, so the
 * check passes when the gap is within the sum of their half-units (978.9 + 9.1 vs 987.9 passes).
 */
export function turnoverChecks(records: MergedRecord[]): QaCheck[] {
  const trade = records.filter((r) => r.table === "trade_flows" && r.row.status === "reported" && r.row.value_usd !== null && r.row.period_start !== null && r.row.commodity === null);
  const byKey = new Map<string, MergedRecord>();
  const key = (flow: string, reporter: unknown, partner: unknown, r: MergedRecord) => `${flow}|${reporter}|${partner}|${r.row.period_start}|${r.row.period_end}`;
  for (const r of trade) byKey.set(key(r.row.flow as string, r.row.reporter_iso3, r.row.partner_iso3, r), r);
  const out: QaCheck[] = [];
  for (const t of trade.filter((r) => r.row.flow === "turnover")) {
    const [a, b] = [t.row.reporter_iso3, t.row.partner_iso3];
    for (const [x, y] of [[a, b], [b, a]]) {
      const exp = byKey.get(key("export", x, y, t)) ?? byKey.get(key("import", y, x, t));
      const imp = byKey.get(key("import", x, y, t)) ?? byKey.get(key("export", y, x, t));
      if (!exp || !imp) continue;
      const total = t.row.value_usd as number;
      const sum = (exp.row.value_usd as number) + (imp.row.value_usd as number);
      const tolerance = t.halfUnit.value_usd + exp.halfUnit.value_usd + imp.halfUnit.value_usd + total * 1e-9;
      const passed = Math.abs(total - sum) <= tolerance;
      out.push({
        check_id: stableId("qa", "turnover_sum", t.record_id, exp.record_id, imp.record_id),
        check: "turnover_sum",
        severity: passed ? "info" : "warning",
        passed,
        table_name: "trade_flows",
        record_id: t.record_id,
        article_id: null,
        message: `turnover ${total} vs exports ${exp.row.value_usd} + imports ${imp.row.value_usd} = ${sum} (${x} with ${y}, ${t.row.period_start}..${t.row.period_end}); gap ${Number(Math.abs(total - sum).toPrecision(6))}, rounding allows ${Number(tolerance.toPrecision(6))}`,
      });
      break;
    }
  }
  return out;
}
