/** Where publish puts each file of a table, relative to the output folder (`/` separators). */

/** Subfolder of the spreadsheet variant of the CSVs. */
export const EXCEL_DIR = "excel";

export const csvPath = (table: string) => `${table}.csv`;
export const parquetPath = (table: string) => `${table}.parquet`;
export const arrowPath = (table: string) => `${table}.arrow`;
export const excelCsvPath = (table: string) => `${EXCEL_DIR}/${table}.csv`;
