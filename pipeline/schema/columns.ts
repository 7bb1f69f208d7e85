import { z } from "zod";

/** Storage types every output format maps from (Parquet/DuckDB type, CSV, Frictionless). */
export type SqlType = "VARCHAR" | "DATE" | "DOUBLE" | "BIGINT" | "BOOLEAN";

export interface ColumnMeta {
  sql: SqlType;
  description: string;
  /** Allowed values, for documentation and validation. */
  enum?: readonly string[];
  required?: boolean;
  /** Inclusive bounds of a number column, for documentation and validation. */
  range?: readonly [number, number];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function tag<T extends z.ZodType>(schema: T, meta: ColumnMeta): T {
  return schema.meta({ ...meta }) as T;
}

/** Column builders: each attaches the storage type and description that publish derives everything from. */
export const col = {
  text: (description: string) => tag(z.string().nullable(), { sql: "VARCHAR", description }),
  key: (description: string) => tag(z.string().min(1), { sql: "VARCHAR", description, required: true }),
  oneOf: <const V extends readonly [string, ...string[]]>(values: V, description: string) =>
    tag(z.enum(values).nullable(), { sql: "VARCHAR", description, enum: values }),
  requiredOneOf: <const V extends readonly [string, ...string[]]>(values: V, description: string) =>
    tag(z.enum(values), { sql: "VARCHAR", description, enum: values, required: true }),
  date: (description: string) => tag(z.string().regex(ISO_DATE).nullable(), { sql: "DATE", description }),
  double: (description: string) => tag(z.number().finite().nullable(), { sql: "DOUBLE", description }),
  int: (description: string) => tag(z.number().int().nullable(), { sql: "BIGINT", description }),
  requiredInt: (description: string) => tag(z.number().int(), { sql: "BIGINT", description, required: true }),
  bool: (description: string) => tag(z.boolean().nullable(), { sql: "BOOLEAN", description }),
  requiredBool: (description: string) => tag(z.boolean(), { sql: "BOOLEAN", description, required: true }),
  /** A required number in 0..1 (a confidence, a share). */
  fraction: (description: string) => tag(z.number().min(0).max(1), { sql: "DOUBLE", description, required: true, range: [0, 1] }),
};

export function columnMeta(schema: z.ZodType): ColumnMeta {
  const meta = schema.meta() as ColumnMeta | undefined;
  if (!meta?.sql) throw new Error("column schema lacks storage metadata; build it with col.*");
  return meta;
}
