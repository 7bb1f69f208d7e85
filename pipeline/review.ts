import { join, resolve } from "node:path";
import { parseCommand, runCommand } from "./command.ts";
import { loadCorrections, type Correction } from "./corrections/read.ts";
import { DEFAULT_OUTPUT, DEFAULT_SOURCES } from "./paths.ts";
import { sqlString } from "./publish/duckdb.ts";
import { reviewItems } from "./publish/reviewQueue.ts";
import { openReadOnly, type ReadOnlyDb, type Row } from "./report/db.ts";
import { FACT_TABLES } from "./schema/tables.ts";

const USAGE = `usage: npm run review -- --article ID [--out DIR] [--sources DIR]
  --article ID   article to show
  --out DIR      published output folder to read (default: output/)
  --sources DIR  folder whose corrections/*.csv are shown (default: sources/)
Prints the article's facts (every record with evidence from it) with their quotes, its review-queue items
with their correction rows, and the corrections already written for it.`;

/** Record columns shown in each fact's heading rather than among its fields. */
const HEADING = new Set(["record_id", "confidence", "needs_review"]);

const show = (v: unknown) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));

async function articleLines(db: ReadOnlyDb, id: string): Promise<string[] | null> {
  const [a] = await db.rows(`SELECT * FROM articles WHERE article_id = ${sqlString(id)}`);
  if (!a) return null;
  const meta = [a.publisher, a.published_date ?? "no publication date", a.url].filter((x) => x !== null).map(show);
  return [`Article ${id}: ${show(a.title ?? "(untitled)")}`, `  ${meta.join(", ")}`, `  file ${show(a.source_file)}, ${show(a.n_chars)} characters`];
}

/** Each record with evidence from the article, with that evidence in the order it appears in the text. */
async function factLines(db: ReadOnlyDb, id: string): Promise<string[]> {
  const evidence = await db.rows(`SELECT * FROM evidence WHERE article_id = ${sqlString(id)} ORDER BY char_start, char_end, field, evidence_id`);
  const lines: string[] = [];
  let count = 0;
  const shown = new Set<unknown>();
  for (const table of FACT_TABLES) {
    const records = await db.rows(`SELECT * FROM "${table}" WHERE record_id IN (SELECT record_id FROM evidence WHERE table_name = '${table}' AND article_id = ${sqlString(id)}) ORDER BY record_id`);
    for (const r of records) {
      count++;
      const fields = Object.entries(r).filter(([name, v]) => v !== null && !HEADING.has(name)).map(([name, v]) => `${name}=${show(v)}`);
      lines.push("", `${table} ${show(r.record_id)}  confidence ${show(r.confidence)}  needs_review ${show(r.needs_review)}`, `  ${fields.join(" ")}`);
      for (const e of evidence.filter((x) => x.record_id === r.record_id && x.table_name === table)) {
        shown.add(e.evidence_id);
        lines.push(`  - ${show(e.field)} ${show(e.stated_value)} as "${show(e.value_text)}" at ${show(e.char_start)}..${show(e.char_end)} (rule ${show(e.rule)}, confidence ${show(e.confidence)})`);
        lines.push(`    "${show(e.quote)}"`);
      }
    }
  }
  // A rejected fact's mentions stay in evidence under the id its record had, with no record.
  const orphans = evidence.filter((e) => !shown.has(e.evidence_id));
  if (orphans.length > 0) lines.push("", `Mentions with no record (facts rejected by a correction):`);
  for (const e of orphans) lines.push(`  - ${show(e.table_name)} ${show(e.record_id)} ${show(e.field)} as "${show(e.value_text)}" (rule ${show(e.rule)}): "${show(e.quote)}"`);
  return [`${count} ${count === 1 ? "fact" : "facts"} with evidence from ${id}:`, ...lines];
}

async function queueLines(db: ReadOnlyDb, id: string): Promise<string[]> {
  const items = (await reviewItems(db)).filter((i) => i.article_id === id);
  const lines = [`${items.length} review-queue ${items.length === 1 ? "item" : "items"} for ${id}${items.length > 0 ? " (paste a correction line into sources/corrections/*.csv, then fill in reason, reviewer and date):" : "."}`];
  for (const i of items) {
    lines.push("", `${i.kind}${i.record_id ? ` ${i.table_name} ${i.record_id}` : ""}: ${i.reason}`);
    if (i.quote !== null) lines.push(`  "${i.quote}"`);
    lines.push(`  correction: ${i.correction}`);
  }
  return lines;
}

/** The corrections file rows for the article, with the reason any of them no longer applies (from the published corrections_unmatched). */
async function correctionLines(db: ReadOnlyDb, id: string, sourcesDir: string): Promise<{ lines: string[]; ok: boolean }> {
  let all: Correction[];
  try {
    all = await loadCorrections(sourcesDir);
  } catch (error) {
    return { lines: [`Corrections: cannot read ${join(sourcesDir, "corrections")}: ${(error as Error).message}`], ok: false };
  }
  const mine = all.filter((c) => c.article_id === id);
  const unmatched = new Map<string, string>();
  const [hasTable] = await db.rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'corrections_unmatched'`);
  if (hasTable && Number(hasTable.n) > 0) {
    for (const u of await db.rows(`SELECT * FROM corrections_unmatched WHERE article_id = ${sqlString(id)}`)) unmatched.set(String(u.correction_id), String(u.reason));
  }
  // An applied correction leaves evidence under the rule review:<id>, whichever its action.
  const applied = new Set((await db.rows(`SELECT DISTINCT rule FROM evidence WHERE article_id = ${sqlString(id)} AND starts_with(rule, 'review:')`)).map((r) => String(r.rule).slice("review:".length)));
  const lines = [`${mine.length} ${mine.length === 1 ? "correction" : "corrections"} for ${id} in ${join(sourcesDir, "corrections")}${mine.length > 0 ? ":" : "."}`];
  for (const c of mine) {
    const what = c.action === "set" ? ` ${c.field} = ${c.value ?? "(empty)"}` : c.action === "add" ? ` ${JSON.stringify(c.add)}` : "";
    const status = unmatched.has(c.id) ? `NOT APPLIED: ${unmatched.get(c.id)}` : applied.has(c.id) ? "applied" : "not in this output yet (run the pipeline)";
    lines.push("", `${c.id} (${c.file} line ${c.line}): ${c.action} ${c.table}${what} — ${status}`, `  quote "${c.quote}"`);
    if (c.reason || c.reviewer || c.date) lines.push(`  ${[c.reason, c.reviewer, c.date].filter((x) => x).join(", ")}`);
  }
  return { lines, ok: true };
}

/** `npm run review -- --article ID`: what a reviewer needs about one article, from the published output. */
async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand({ args: argv, options: { article: { type: "string" }, out: { type: "string" }, sources: { type: "string" }, help: { type: "boolean", short: "h" } } }, USAGE);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  if (!values.article) {
    process.stderr.write(`--article is required\n${USAGE}\n`);
    return 2;
  }
  const id = values.article;
  const out = resolve(values.out ?? DEFAULT_OUTPUT);
  const db = await openReadOnly(join(out, "dataset.duckdb"));
  try {
    const article = await articleLines(db, id);
    if (!article) {
      process.stderr.write(`no article "${id}" in ${out}\n`);
      return 1;
    }
    const corrections = await correctionLines(db, id, resolve(values.sources ?? DEFAULT_SOURCES));
    const text = [...article, "", ...(await factLines(db, id)), "", ...(await queueLines(db, id)), "", ...corrections.lines];
    process.stdout.write(`${text.join("\n")}\n`);
    return corrections.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

runCommand("review", main);
