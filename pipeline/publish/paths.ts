/** Where publish puts each file of a table, relative to the output folder (`/` separators). */

export const csvPath = (table: string) => `${table}.csv`;
export const parquetPath = (table: string) => `${table}.parquet`;
export const arrowPath = (table: string) => `${table}.arrow`;

/** The workbook: a facts sheet, then one sheet per table. */
export const WORKBOOK_PATH = "dataset.xlsx";
