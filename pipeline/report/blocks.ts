import type { TopLevelSpec } from "vega-lite";
import type { Row } from "./db.ts";
import type { ChartBlock, TableBlock, TextBlock } from "./types.ts";

/** Builders the notebooks use, so every block states its sources the same way. */

/** The distinct record ids in the given columns of the rows, sorted. */
function recordsOf(rows: Row[], idColumns: string[] = ["record_id"]): string[] {
  const ids = rows.flatMap((r) => idColumns.map((c) => r[c])).filter((id): id is string => typeof id === "string");
  return [...new Set(ids)].sort();
}

export function text(text: string): TextBlock {
  return { kind: "text", text };
}

type ColumnSpec = string | { name: string; label: string };

export function table(title: string, rows: Row[], columns: ColumnSpec[], idColumns?: string[]): TableBlock {
  return {
    kind: "table",
    title,
    columns: columns.map((c) => (typeof c === "string" ? { name: c } : c)),
    rows,
    records: recordsOf(rows, idColumns),
  };
}

export interface BarOptions {
  x: string;
  y: string;
  xTitle: string;
  yTitle: string;
  /** Colours, and places side by side, the bars of one x by this field. */
  group?: string;
  /** d3 format of a value label above each bar, e.g. ",.1f". */
  labelFormat?: string;
  /** A horizontal rule, e.g. a target the bars are measured against, and the record it comes from. */
  target?: { value: number; label: string; record_id: string };
  idColumns?: string[];
}

/** Numbers repeated x labels (within a group) so that no bar hides behind another. */
function distinctX(rows: Row[], o: BarOptions): Row[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const key = JSON.stringify([r[o.x], o.group ? r[o.group] : null]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? r : { ...r, [o.x]: `${String(r[o.x])} (${n})` };
  });
}

/** A bar chart with one bar per row that has a numeric y; rows without one are left out (and out of the sources). */
export function barChart(title: string, allRows: Row[], o: BarOptions): ChartBlock {
  const rows = distinctX(allRows.filter((r) => typeof r[o.y] === "number" && Number.isFinite(r[o.y])), o);
  // Long labels are slanted so that neighbours do not overlap.
  const slanted = rows.some((r) => String(r[o.x]).length > 10);
  const groups = o.group ? new Set(rows.map((r) => r[o.group!])).size : 0;
  const bars = {
    data: { values: rows },
    encoding: {
      x: { field: o.x, type: "nominal" as const, title: o.xTitle, sort: null, axis: slanted ? { labelAngle: -30, labelAlign: "right" as const, labelLimit: 220 } : { labelAngle: 0 } },
      y: { field: o.y, type: "quantitative" as const, title: o.yTitle },
      ...(o.group ? { color: { field: o.group, type: "nominal" as const, sort: null, title: null } } : {}),
      ...(groups > 1 ? { xOffset: { field: o.group!, sort: null } } : {}),
    },
    layer: [
      { mark: { type: "bar" as const } },
      ...(o.labelFormat ? [{ mark: { type: "text" as const, dy: -6, fontSize: 10 }, encoding: { text: { field: o.y, type: "quantitative" as const, format: o.labelFormat } } }] : []),
    ],
  };
  // The rule has its own data and no x, so it spans the plot instead of sitting at one bar.
  const rule = o.target && {
    data: { values: [{ target: o.target.value, label: o.target.label }] },
    encoding: { y: { field: "target", type: "quantitative" as const } },
    layer: [
      { mark: { type: "rule" as const, color: "#c0392b", strokeDash: [5, 3], strokeWidth: 2 } },
      { mark: { type: "text" as const, align: "left" as const, dx: 4, dy: -6, color: "#c0392b" }, encoding: { x: { value: 0 }, text: { field: "label" } } },
    ],
  };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: { step: groups > 1 ? 36 : 64 },
    height: 260,
    layer: rule ? [bars, rule] : [bars],
  };
  // Vega draws each data row as one mark; the target adds one rule and one text label.
  const marks: Record<string, number> = { rect: rows.length };
  const texts = (o.labelFormat ? rows.length : 0) + (o.target ? 1 : 0);
  if (texts > 0) marks.text = texts;
  if (o.target) marks.rule = 1;
  const records = [...new Set([...recordsOf(rows, o.idColumns), ...(o.target ? [o.target.record_id] : [])])].sort();
  return { kind: "chart", title, spec, marks, records };
}
