/**
 * Reads the human corrections kept in `<sources>/corrections/*.csv`: one row per correction, edited in a
 * spreadsheet and reviewed like code. A malformed file stops the run with its file, line and column, since a
 * correction read wrongly would change the published data silently.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseCsvRows } from "../ingest/csv.ts";
import { FACT_TABLES, type FactTable } from "../schema/tables.ts";

export const CORRECTIONS_DIR = "corrections";
export const CORRECTION_COLUMNS = ["id", "action", "article_id", "table", "quote", "field", "value", "reason", "reviewer", "date"] as const;
export const ACTIONS = ["reject", "set", "add"] as const;

export interface Correction {
  id: string;
  action: (typeof ACTIONS)[number];
  article_id: string;
  table: FactTable;
  /** A verbatim span of the article body that the target fact's evidence quote contains (for add: the new fact's quote). */
  quote: string;
  /** The column a `set` changes; null otherwise. */
  field: string | null;
  /** A `set`'s new value as written (null = empty cell, which clears the field); null for the other actions. */
  value: string | null;
  /** An `add`'s fields, parsed from the value cell's JSON object. */
  add: Record<string, unknown> | null;
  reason: string;
  reviewer: string;
  date: string | null;
  /** Where it was read: the file relative to the sources folder, and the line its row starts on. */
  file: string;
  line: number;
}

const cell = z.string().trim();
const row = z
  .object({
    id: cell.regex(/^[A-Za-z0-9._-]+$/, "expected an id of letters, digits, '.', '_' or '-'"),
    action: cell.pipe(z.enum(ACTIONS, { error: `expected one of ${ACTIONS.join(", ")}` })),
    article_id: cell.min(1, "an article id is required"),
    table: cell.refine((t) => (FACT_TABLES as readonly string[]).includes(t), `expected one of ${FACT_TABLES.join(", ")}`),
    quote: cell.min(1, "a quote from the article is required"),
    field: cell,
    value: cell,
    reason: cell,
    reviewer: cell,
    date: cell.regex(/^(\d{4}-\d{2}-\d{2})?$/, "expected a date as YYYY-MM-DD"),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (r.action === "set" && r.field === "") issue("field", "a set names the field it changes");
    if (r.action !== "set" && r.field !== "") issue("field", `only a set names a field (this is a ${r.action})`);
    if (r.action === "reject" && r.value !== "") issue("value", "a reject takes no value");
    if (r.action === "add" && !isJsonObject(r.value)) issue("value", 'an add\'s value is a JSON object of the new fact\'s fields, e.g. {"flow": "export", ...}');
  });

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * One corrections file's rows (`file`: its path relative to the sources folder); throws naming the file
 * (as `shownAs`, the path an operator opens), line and column of the first problem.
 */
export function parseCorrections(text: string, file: string, shownAs = file): Correction[] {
  const lines: number[] = [];
  let rows: string[][];
  try {
    rows = parseCsvRows(text, lines);
  } catch (err) {
    throw new Error(`${shownAs}: ${(err as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.map((h) => h.trim());
  names.forEach((name, j) => {
    if (!(CORRECTION_COLUMNS as readonly string[]).includes(name) || names.indexOf(name) !== j) {
      throw new Error(`${shownAs} line ${lines[0]}, column ${j + 1}: ${names.indexOf(name) !== j ? "repeated" : "unknown"} column "${name}" (the columns are ${CORRECTION_COLUMNS.join(", ")})`);
    }
  });
  const missing = CORRECTION_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`${shownAs} line ${lines[0]}: missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`);
  return body.map((fields, n) => {
    const line = lines[n + 1]!;
    if (fields.length > names.length) throw new Error(`${shownAs} line ${line}, column ${names.length + 1}: more cells than the header's ${names.length} columns (a cell holding a comma must be in double quotes)`);
    if (fields.length < names.length) throw new Error(`${shownAs} line ${line}, column ${fields.length + 1} (${names[fields.length]}): missing; the header has ${names.length} columns`);
    const parsed = row.safeParse(Object.fromEntries(names.map((name, j) => [name, fields[j]!])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = String(issue.path[0]);
      throw new Error(`${shownAs} line ${line}, column ${names.indexOf(column) + 1} (${column}): ${issue.message}`);
    }
    const r = parsed.data;
    return {
      id: r.id,
      action: r.action,
      article_id: r.article_id,
      table: r.table as FactTable,
      quote: r.quote,
      field: r.action === "set" ? r.field : null,
      value: r.action === "set" && r.value !== "" ? r.value : null,
      add: r.action === "add" ? (JSON.parse(r.value) as Record<string, unknown>) : null,
      reason: r.reason,
      reviewer: r.reviewer,
      date: r.date === "" ? null : r.date,
      file,
      line,
    };
  });
}

/** Every correction under `<sourcesDir>/corrections/`, files in name order; none when the folder is missing. Ids are unique across files. */
export async function loadCorrections(sourcesDir: string): Promise<Correction[]> {
  const dir = join(sourcesDir, CORRECTIONS_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".csv")).sort();
  const out: Correction[] = [];
  const seen = new Map<string, Correction>();
  for (const name of names) {
    const file = `${CORRECTIONS_DIR}/${name}`;
    for (const c of parseCorrections(await readFile(join(dir, name), "utf8"), file, join(dir, name))) {
      const first = seen.get(c.id);
      if (first) throw new Error(`${join(dir, name)} line ${c.line}, column "id": id "${c.id}" is already used at ${first.file} line ${first.line}`);
      seen.set(c.id, c);
      out.push(c);
    }
  }
  return out;
}
