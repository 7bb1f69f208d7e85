/**
 * The dataset from code: `openDataset(dir)` gives every published table as an arquero table, and the verbs
 * (series, growth, latest, withSources) give the same rows as the SQL views in dataset.duckdb.
 */
export { openDataset, type Dataset, type DatasetTables, type TableName, type TableRows } from "./dataset.ts";
export { growth, latest, series, seriesPoints, withSources, type GrowthRow, type LatestPoint, type SeriesFilter, type SeriesKey, type SeriesPoint, type SourceColumns } from "./verbs.ts";
export type { AidItem, AidShipment, Articles, Contract, CorrectionUnmatched, Country, Evidence, Grant, GrowthRate, QaCheck, Rejected, TradeFlow } from "../schema/tables.ts";
export * as aq from "arquero";
