import { scheme } from "vega";
import { columnsOf, TABLES } from "../schema/tables.ts";

/**
 * Fixed colours and shapes per category: a chart states its scale's domain and range explicitly, so a
 * category keeps its colour whatever else the data holds and in whatever order rows arrive.
 */
export interface Scale {
  domain: string[];
  range: string[];
}

const CATEGORY = scheme("tableau10") as string[];
const COUNTRY = scheme("tableau20") as string[];
const OTHER_COUNTRY = scheme("category20b") as string[];
const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"];

/** The allowed values of an enum column, in the schema's order. */
export function enumValues(table: string, column: string): readonly string[] {
  const values = columnsOf(TABLES.find((t) => t.name === table)!).find((c) => c.name === column)?.enum;
  if (!values) throw new Error(`${table}.${column} is not an enum column`);
  return values;
}

/** The values present, in the order of `all`, each with the attribute its position in `all` gives it. */
function fixed(all: readonly string[], present: Iterable<unknown>, attribute: readonly string[]): Scale {
  const seen = new Set(present);
  const domain = all.filter((v) => seen.has(v));
  return { domain, range: domain.map((v) => attribute[all.indexOf(v) % attribute.length]!) };
}

/** Colours an enum column's values by their position in the schema, e.g. stated is always the same orange. */
export const enumColors = (values: readonly string[], present: Iterable<unknown>): Scale => fixed(values, present, CATEGORY);

/** Point shapes of an enum column's values, by their position in the schema. */
export const enumShapes = (values: readonly string[], present: Iterable<unknown>): Scale => fixed(values, present, SHAPES);

/**
 * Afghanistan's neighbours and main partners, each with its own colour of tableau20 (dark shades first);
 * other countries take one of category20b by a hash of their code, so they too keep theirs across runs.
 */
const COUNTRIES = ["KAZ", "UZB", "PAK", "IRN", "TKM", "TJK", "CHN", "IND", "RUS", "KGZ", "TUR", "ARE", "QAT", "SAU", "AZE", "USA", "DEU", "GBR", "JPN", "KOR"];

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

export function countryColor(code: string): string {
  const i = COUNTRIES.indexOf(code);
  if (i >= 0) return COUNTRY[(i % 10) * 2 + Math.floor(i / 10)]!;
  return OTHER_COUNTRY[hash(code) % OTHER_COUNTRY.length]!;
}

/**
 * The colour scale of a field that labels countries (or country pairs), from (label shown, code its
 * colour comes from) pairs. Labels are sorted, so the legend reads the same every run.
 */
export function countryColors(labels: Iterable<readonly [unknown, unknown]>): Scale {
  const codes = new Map([...labels].map(([label, code]) => [String(label), String(code)]));
  const domain = [...codes.keys()].sort();
  return { domain, range: domain.map((l) => countryColor(codes.get(l)!)) };
}
