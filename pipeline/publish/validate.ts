import { z } from "zod";
import { FACT_TABLES, factTable, type Column, type FactTable, type TableDef } from "../schema/tables.ts";
import type { Row } from "./rows.ts";
import { epochDay } from "./sqlTypes.ts";

/** The parts of zod's schema definitions the fast path reads; anything else makes it defer to zod. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  entries?: Record<string, string | number>;
  checks?: { _zod: { def: CheckDef } }[];
  catchall?: z.ZodType;
}

interface CheckDef {
  check: string;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

type Accepts = (value: unknown) => boolean;

const REJECT: Accepts = () => false;

/**
 * A predicate compiled from a column's zod schema. It may only accept values the schema accepts
 * unchanged; whatever it does not recognise it rejects, and a rejected row goes to zod itself,
 * which stays the single judge (and writes the error message).
 */
function compile(schema: z.ZodType): Accepts {
  const def = schema.def as unknown as SchemaDef;
  switch (def.type) {
    case "nullable": {
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case "string":
      return withChecks((value) => typeof value === "string", def, stringCheck);
    case "number":
      // zod 4 numbers reject NaN and ±Infinity.
      return withChecks((value) => typeof value === "number" && Number.isFinite(value), def, numberCheck);
    case "boolean":
      return (value) => typeof value === "boolean";
    case "enum": {
      const allowed = new Set<unknown>(Object.values(def.entries ?? {}));
      return (value) => allowed.has(value);
    }
    default:
      return REJECT;
  }
}

function withChecks(base: Accepts, def: SchemaDef, compileCheck: (check: CheckDef) => Accepts): Accepts {
  const checks = (def.checks ?? []).map((c) => compileCheck(c._zod.def));
  return (value) => base(value) && checks.every((accepts) => accepts(value));
}

function stringCheck(check: CheckDef): Accepts {
  const { pattern, minimum } = check;
  if (check.check === "min_length" && minimum !== undefined) return (value) => (value as string).length >= minimum;
  if (check.check === "string_format" && check.format === "regex" && pattern && !pattern.global && !pattern.sticky) {
    return (value) => pattern.test(value as string);
  }
  return REJECT;
}

function numberCheck(check: CheckDef): Accepts {
  if (check.check === "number_format" && check.format === "safeint") return (value) => Number.isSafeInteger(value);
  const { value: bound, inclusive } = check;
  if (bound !== undefined && check.check === "greater_than") return inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
  if (bound !== undefined && check.check === "less_than") return inclusive ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
  return REJECT;
}

/**
 * Validates rows of one table against its zod schema and its fact table's rowCheck, and rejects impossible calendar dates.
 * Invalid rows are programming errors upstream, so the first one throws (table name, row index,
 * zod message). A valid row is returned as given: writers read only the schema's columns.
 */
export function rowValidator(def: TableDef, columns: Column[]): (raw: unknown, index: number) => Row {
  const accepts = rowAcceptor(def, columns);
  // Rules across a row's cells that the column schemas cannot state: the fact table's rowCheck.
  const rule = FACT_TABLES.includes(def.name as FactTable) ? factTable(def.name).rowCheck : undefined;
  const dates = columns.filter((c) => c.sql === "DATE").map((c) => c.name);
  return (raw, index) => {
    const row = accepts(raw) ? (raw as Row) : parseWithZod(def, raw, index);
    const broken = rule?.(row);
    if (broken) throw new Error(`publish: table ${def.name}, row ${index}: ${broken}`);
    for (const name of dates) {
      const value = row[name];
      if (typeof value === "string" && epochDay(value) === null) {
        throw new Error(`publish: table ${def.name}, row ${index}: ${name} "${value}" is not a calendar date`);
      }
    }
    return row;
  };
}

function rowAcceptor(def: TableDef, columns: Column[]): Accepts {
  const objectDef = def.schema.def as unknown as SchemaDef;
  // A catch-all (strict or loose object) or an object-level refinement changes what zod accepts or returns.
  if (objectDef.catchall || objectDef.checks?.length) return REJECT;
  const names = columns.map((c) => c.name);
  const cells = names.map((name) => compile(def.schema.shape[name] as z.ZodType));
  return (raw) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
    const record = raw as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) if (!cells[i]!(record[names[i]!])) return false;
    return true;
  };
}

function parseWithZod(def: TableDef, raw: unknown, index: number): Row {
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`publish: table ${def.name}, row ${index} fails its schema:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data as Row;
}
