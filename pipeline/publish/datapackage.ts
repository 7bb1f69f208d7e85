import type { FileInfo } from "./files.ts";
import type { PublishedTable } from "./rows.ts";
import { FRICTIONLESS_TYPE } from "./sqlTypes.ts";
import { CSV_LINE_END } from "./csv.ts";
import { arrowPath, csvPath, parquetPath, WORKBOOK_PATH } from "./paths.ts";
import { FACTS_SHEET } from "./workbook.ts";

export interface License {
  name: string;
  title: string;
  path?: string;
}

export interface Source {
  title: string;
  path?: string;
  description?: string;
}

export interface PackageInfo {
  name: string;
  title: string;
  version: string;
  licenses: License[];
  sources: Source[];
}

export const DEFAULT_LICENSES: License[] = [{ name: "CC-BY-4.0", title: "Creative Commons Attribution 4.0" }];

const hash = (file: FileInfo) => `sha256:${file.sha256}`;

/**
 * Frictionless Data Package v1 (tabular): one CSV resource per table, named like the table so
 * foreign keys resolve. The table's Parquet and Arrow IPC files are described in the resource's extra
 * `parquet` and `arrow` properties and the workbook in the package's extra `workbook` property (a tabular
 * package admits only CSV resources), which keeps "one resource per table" and stays out of the way of CSV validators.
 * Objects are built in a fixed key order and carry no timestamps, so the JSON is reproducible.
 */
export function buildDataPackage(info: PackageInfo, tables: PublishedTable[], files: Map<string, FileInfo>): object {
  const file = (path: string): FileInfo => {
    const found = files.get(path);
    if (!found) throw new Error(`publish: ${path} was not written`);
    return found;
  };
  return {
    profile: "tabular-data-package",
    name: info.name,
    title: info.title,
    version: info.version,
    licenses: info.licenses.map((l) => ({ name: l.name, title: l.title, ...(l.path ? { path: l.path } : {}) })),
    sources: info.sources.map((s) => ({
      title: s.title,
      ...(s.path ? { path: s.path } : {}),
      ...(s.description ? { description: s.description } : {}),
    })),
    resources: tables.map(({ def, columns }) => {
      const csv = file(csvPath(def.name));
      const parquet = file(parquetPath(def.name));
      const arrow = file(arrowPath(def.name));
      return {
        profile: "tabular-data-resource",
        name: def.name,
        path: csv.path,
        description: def.description,
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        bytes: csv.bytes,
        hash: hash(csv),
        dialect: { delimiter: ",", lineTerminator: CSV_LINE_END, quoteChar: '"', doubleQuote: true, header: true },
        schema: {
          fields: columns.map((c) => {
            const constraints = {
              ...(c.required ? { required: true } : {}),
              ...(c.enum ? { enum: [...c.enum] } : {}),
              ...(c.range ? { minimum: c.range[0], maximum: c.range[1] } : {}),
            };
            return {
              name: c.name,
              type: FRICTIONLESS_TYPE[c.sql],
              description: c.description,
              ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
            };
          }),
          missingValues: [""],
          primaryKey: def.primaryKey,
          foreignKeys: def.foreignKeys.map((fk) => ({
            fields: fk.fields,
            reference: { resource: fk.reference.resource, fields: fk.reference.fields },
          })),
        },
        parquet: {
          path: parquet.path,
          format: "parquet",
          mediatype: "application/vnd.apache.parquet",
          bytes: parquet.bytes,
          hash: hash(parquet),
        },
        arrow: {
          path: arrow.path,
          description: "Arrow IPC file (Feather v2) with the Parquet file's columns and types, for pandas, polars and R",
          format: "arrow",
          mediatype: "application/vnd.apache.arrow.file",
          bytes: arrow.bytes,
          hash: hash(arrow),
        },
      };
    }),
    ...(files.has(WORKBOOK_PATH) ? { workbook: workbookEntry(file(WORKBOOK_PATH), tables) } : {}),
  };
}

function workbookEntry(workbook: FileInfo, tables: PublishedTable[]): object {
  return {
    path: workbook.path,
    description: "Every table as a typed sheet of one spreadsheet, after a facts sheet that shows each fact beside its quote, article and country names",
    format: "xlsx",
    mediatype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    bytes: workbook.bytes,
    hash: hash(workbook),
    sheets: [FACTS_SHEET, ...tables.map((t) => t.def.name)],
  };
}

/** 2-space indented JSON with a trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
