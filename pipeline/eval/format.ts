import { FACT_TABLES, factTable, type FactTable } from "../schema/tables.ts";
import { HIGH_CONFIDENCE, type EvalReport, type FalsePositive, type Miss, type Score } from "./score.ts";

const QUOTE_MAX = 160;
/** Column suffix of the high-confidence figures, from the threshold itself: "@.8". */
const AT = `@${String(HIGH_CONFIDENCE).replace(/^0/, "")}`;

/**
 * The text report. Details come first and the summary last, because hooks and CI show only
 * the tail of the output (`tail -n 8` is exactly the summary block).
 */
export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  lines.push(`Misses (${report.misses.length}):`);
  for (const m of report.misses) lines.push(...missLines(m));
  if (report.misses.length === 0) lines.push("  (none)");
  lines.push("", `False positives (${report.false_positives.length}):`);
  for (const fp of report.false_positives) lines.push(...fpLines(fp));
  if (report.false_positives.length === 0) lines.push("  (none)");
  lines.push("", `P${AT} / n${AT}: precision and number of the scored predictions with confidence >= ${HIGH_CONFIDENCE}`, ...summaryLines(report));
  return lines.join("\n");
}

/** Title, header, rule, one row per fact table, MICRO; the last two columns are the high-confidence precision and count. */
export function summaryLines(report: EvalReport): string[] {
  const missing = report.articles_missing.length ? `, ${report.articles_missing.length} missing from output` : "";
  const row = (name: string, s: Score) =>
    [name.padEnd(14), rate(s.precision), rate(s.recall), rate(s.f1), ...[s.tp, s.fp, s.fn, s.required, s.predicted].map((n) => String(n).padStart(5)), rate(s.confident_precision), String(s.confident_predicted).padStart(5)].join(" ");
  return [
    `EVAL ${report.articles.length} articles${missing}: ${report.misses.length} misses, ${report.false_positives.length} false positives`,
    ["table".padEnd(14), "    P", "    R", "   F1", "   tp", "   fp", "   fn", "  req", " pred", `P${AT}`.padStart(5), `n${AT}`.padStart(5)].join(" "),
    ["-".repeat(14), ...Array(10).fill("-----")].join(" "),
    ...FACT_TABLES.map((t) => row(t, report.tables[t])),
    row("MICRO", report.micro),
  ];
}

function missLines(m: Miss): string[] {
  return [`  ${m.article_id} ${m.table}[${m.gold_index}]: ${describe(m.table, m.fact)}`, `      gold: ${quote(m.quote)}`];
}

function fpLines(fp: FalsePositive): string[] {
  const text = fp.value_text ? ` (${fp.value_text})` : "";
  return [`  ${fp.article_id} ${fp.table} ${fp.record_id} (confidence ${fp.confidence}): ${describe(fp.table, fp.record)}`, `      said${text}: ${quote(fp.quote)}`];
}

/** One line per fact, e.g. `export KAZ→AFG 2022-01-01..2022-12-31 reported value_usd=978900000`. */
export function describe(table: FactTable, f: Record<string, unknown>): string {
  const v = (k: string) => (f[k] == null ? "?" : String(f[k]));
  const period = f.period_start == null && f.period_end == null ? "period ?" : `${v("period_start")}..${v("period_end")}`;
  const parts = factTable(table).eval.describe(v, f, period);
  if (f.commodity != null) parts.push(`[${String(f.commodity)}]`);
  // toPrecision drops float noise from conversions (396000000.00000006).
  for (const [k, val] of Object.entries(f)) if (typeof val === "number") parts.push(`${k}=${Number(val.toPrecision(12))}`);
  return parts.join(" ");
}

function rate(x: number | null): string {
  return x === null ? "    -" : x.toFixed(3).padStart(5);
}

function quote(q: string | null): string {
  if (q === null) return "(no quote)";
  const flat = q.replace(/\s+/g, " ").trim();
  return `"${flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat}"`;
}
