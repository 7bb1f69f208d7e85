import type { TopLevelSpec } from "vega-lite";
import type { Dataset } from "../api/dataset.ts";
import type { ReadOnlyDb, Row } from "./db.ts";

/** A table shown as HTML; `records` are the record_ids its rows come from. */
export interface TableBlock {
  kind: "table";
  title: string;
  columns: { name: string; label?: string }[];
  rows: Row[];
  records: string[];
}

/**
 * A Vega-Lite chart rendered to SVG at build time. `marks` is how many marks of each Vega mark
 * type (rect, symbol, rule, ...) the data must produce: one per data row, which the browser test checks.
 */
export interface ChartBlock {
  kind: "chart";
  title: string;
  spec: TopLevelSpec;
  marks: Record<string, number>;
  records: string[];
}

export interface TextBlock {
  kind: "text";
  text: string;
}

export type Block = TableBlock | ChartBlock | TextBlock;

export interface Section {
  title: string;
  blocks: Block[];
}

/**
 * One analysis: a page of the report, built from the published tables through the package's API (`ds`);
 * `db`, the published dataset.duckdb, serves only what the API does not give, the review queue.
 */
export interface Notebook {
  id: string;
  title: string;
  summary: string;
  run(ds: Dataset, db: ReadOnlyDb): Promise<Section[]>;
}
