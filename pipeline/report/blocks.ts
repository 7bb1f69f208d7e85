import type { TopLevelSpec } from "vega-lite";
import type { Scale } from "./colors.ts";
import type { Row } from "./db.ts";
import { CONTENT_WIDTH } from "./html.ts";
import type { Block, ChartBlock, TableBlock, TextBlock } from "./types.ts";

/** Builders the notebooks use, so every block states its sources the same way. */

/** The distinct record ids in the given columns of the rows (a cell may hold one id or a list), sorted. */
function recordsOf(rows: Row[], idColumns: string[] = ["record_id"]): string[] {
  const ids = rows.flatMap((r) => idColumns.flatMap((c) => r[c])).filter((id): id is string => typeof id === "string");
  return [...new Set(ids)].sort();
}

export function text(text: string): TextBlock {
  return { kind: "text", text };
}

export type ColumnSpec = string | { name: string; label: string };

/** Record and article ids: long codes a reader looks up rather than reads, so tables put them last. */
const isIdColumn = (name: string) => /(^|_)(record|article)_id$/.test(name);

export function table(title: string, rows: Row[], columns: ColumnSpec[], idColumns?: string[]): TableBlock {
  const specs = columns.map((c) => (typeof c === "string" ? { name: c } : c));
  return {
    kind: "table",
    title,
    columns: [...specs.filter((c) => !isIdColumn(c.name)), ...specs.filter((c) => isIdColumn(c.name))],
    rows,
    records: recordsOf(rows, idColumns),
  };
}

/** A channel whose categories have fixed colours (or shapes): the field, the legend title and the scale. */
export interface Category {
  field: string;
  title: string;
  scale: Scale;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Every chart is as wide as the page's content, legend and axis titles included, so none overflows it. */
const FIT = { width: CONTENT_WIDTH, autosize: { type: "fit-x" as const, contains: "padding" as const }, config: { legend: { symbolOpacity: 1 } } };

const colorOf = (c: Category) => ({ field: c.field, type: "nominal" as const, title: c.title, scale: c.scale, sort: c.scale.domain });

export interface BarOptions {
  category: string;
  value: string;
  valueTitle: string;
  /** Colours, and places one under another, the bars of one category by this field. */
  group?: Category;
  /** d3 format of a value label beside each bar, e.g. ",.1f". */
  labelFormat?: string;
  idColumns?: string[];
}

/** Numbers repeated categories (within a group) so that no bar hides behind another. */
function distinctCategories(rows: Row[], o: BarOptions): Row[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const key = JSON.stringify([r[o.category], o.group ? r[o.group.field] : null]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? r : { ...r, [o.category]: `${String(r[o.category])} (${n})` };
  });
}

const hasNumber = (r: Row, field: string) => typeof r[field] === "number" && Number.isFinite(r[field]);

/**
 * A horizontal bar chart, one bar per row that has a numeric value (rows without one are left out, and
 * out of the sources): categories read down the side, so long labels need neither slant nor width.
 */
export function barChart(title: string, allRows: Row[], o: BarOptions): ChartBlock {
  const rows = distinctCategories(allRows.filter((r) => hasNumber(r, o.value)), o);
  const groups = o.group ? new Set(rows.map((r) => r[o.group!.field])).size : 1;
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    ...FIT,
    // A height in pixels rather than a step: vega-lite's fit-x autosize warns about a step height.
    height: new Set(rows.map((r) => r[o.category])).size * (groups > 1 ? 16 * groups : 22),
    data: { values: rows },
    encoding: {
      // Vega measures text without a canvas by an estimate wider than the browser draws it: 400 keeps ~50 characters.
      // No axis title: a title longer than the bars are tall would stretch the chart with empty space.
      y: { field: o.category, type: "nominal", title: null, sort: null, axis: { labelLimit: 400 } },
      // Room past the longest bar for its value label, which would otherwise run into the legend.
      x: { field: o.value, type: "quantitative", title: o.valueTitle, scale: { domainMax: Math.max(0, ...rows.map((r) => r[o.value] as number)) * (o.labelFormat ? 1.12 : 1) } },
      ...(o.group ? { color: colorOf(o.group), ...(groups > 1 ? { yOffset: { field: o.group.field, sort: o.group.scale.domain } } : {}) } : {}),
    },
    layer: [
      { mark: { type: "bar" } },
      ...(o.labelFormat ? [{ mark: { type: "text" as const, align: "left" as const, dx: 3, fontSize: 10 }, encoding: { text: { field: o.value, type: "quantitative" as const, format: o.labelFormat } } }] : []),
    ],
  };
  // Vega draws each data row as one mark.
  const marks: Record<string, number> = { rect: rows.length };
  if (o.labelFormat) marks.text = rows.length;
  return { kind: "chart", title, spec, marks, records: recordsOf(rows, o.idColumns) };
}

/** A projected figure drawn as a horizontal rule across a time chart. */
export interface TargetLine {
  value: number;
  label: string;
  color: string;
  /** The projections this line stands for (several articles may state the same one). */
  records: string[];
}

export interface TimeOptions {
  y: string;
  yTitle: string;
  /** One colour per series: a partner, a donor. */
  color: Category;
  /** A second category shown by the points' shape, e.g. shipment/pledge, computed/stated. */
  shape?: Category;
  /** Joins the points of one series (the rows sharing this field's value) with a line. */
  line?: string;
  /** Each point's accessible label (read out instead of an ISO timestamp). */
  describe: (r: Row) => string;
  targets?: TargetLine[];
  /** Rows with no period are not drawn; they are listed in this table instead (needed when some may lack one). */
  undated?: { title: string; columns: ColumnSpec[] };
}

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** UTC throughout, so the axis reads the same on every machine whatever its time zone; padded so edge points show whole. */
const time = (field: string) => ({ field, type: "temporal" as const, title: null, scale: { type: "utc" as const, padding: 12 }, axis: { format: "%b %Y", labelOverlap: true } });

/** The part of a category's fixed scale that the drawn rows use, so the legend names only what is drawn. */
function present(c: Category, rows: Row[]): Category {
  const values = new Set(rows.map((r) => r[c.field]));
  const keep = c.scale.domain.map((v, i) => [v, c.scale.range[i]!] as const).filter(([v]) => values.has(v));
  return { ...c, scale: { domain: keep.map(([v]) => v), range: keep.map(([, r]) => r) } };
}

/**
 * Values over time: each dated row a point at its period's middle, with a bar from the period's start
 * to its end when it spans more than a day; rows without a period (`period_start` null) go to a table
 * under the chart, never onto the time axis.
 */
export function timeChart(title: string, allRows: Row[], o: TimeOptions): Block[] {
  const withValue = allRows.filter((r) => hasNumber(r, o.y));
  const dated = withValue
    .filter((r) => typeof r.period_start === "string")
    .map((r): Row => {
      const [start, end] = [dayOf(r.period_start as string), dayOf((r.period_end ?? r.period_start) as string)];
      const mid = isoDay(start + Math.floor((end - start) / DAY / 2) * DAY);
      return { ...r, x_start: r.period_start!, x_end: isoDay(end + DAY), x_mid: mid, span: end > start, description: o.describe(r) };
    });
  const undated = withValue.filter((r) => typeof r.period_start !== "string");
  const spans = dated.filter((r) => r.span);
  const y = { field: o.y, type: "quantitative" as const, title: o.yTitle };
  const color = colorOf(present(o.color, dated));
  const shape = o.shape && colorOf(present(o.shape, dated));
  // Rules alone would float on an empty time axis: without a dated point the chart says "no data".
  const targets = dated.length > 0 ? (o.targets ?? []) : [];
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    ...FIT,
    height: 260,
    data: { values: dated },
    layer: [
      {
        transform: [{ filter: "datum.span" }],
        // Spans and lines are drawn for the eye only; the points carry each figure's accessible label.
        mark: { type: "rule", strokeWidth: 4, opacity: 0.45, aria: false },
        encoding: { x: time("x_start"), x2: { field: "x_end" }, y, color },
      },
      ...(o.line ? [{ mark: { type: "line" as const, strokeWidth: 1.5, opacity: 0.7, aria: false }, encoding: { x: time("x_mid"), y, color, detail: { field: o.line, type: "nominal" as const } } }] : []),
      {
        mark: { type: "point", filled: true, size: 70, opacity: 1 },
        encoding: { x: time("x_mid"), y, color, ...(shape ? { shape } : {}), description: { field: "description", type: "nominal" } },
      },
      ...targets.map((t) => ({
        data: { values: [{ value: t.value, label: t.label }] },
        encoding: { y: { field: "value", type: "quantitative" as const } },
        layer: [
          { mark: { type: "rule" as const, color: t.color, strokeDash: [6, 3], strokeWidth: 2 } },
          { mark: { type: "text" as const, align: "right" as const, dy: -6, color: t.color }, encoding: { x: { value: "width" as const }, text: { field: "label" } } },
        ],
      })),
    ],
  };
  const marks: Record<string, number> = { symbol: dated.length, rule: spans.length + targets.length };
  if (o.line) marks.line = new Set(dated.map((r) => JSON.stringify([r[o.color.field], r[o.line!]]))).size;
  if (targets.length > 0) marks.text = targets.length;
  const chart: ChartBlock = { kind: "chart", title, spec, marks, records: [...new Set([...recordsOf(dated), ...targets.flatMap((t) => t.records)])].sort() };
  if (undated.length === 0) return [chart];
  if (!o.undated) throw new Error(`${title}: ${undated.length} row(s) without a period and no table for them`);
  const list = table(o.undated.title, undated, o.undated.columns);
  // With nothing dated, a chart would only say "no data" above figures that exist.
  return dated.length === 0 ? [list] : [chart, list];
}
