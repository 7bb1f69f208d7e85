import { z } from "zod";
import { CORRECTION_COLUMNS } from "../corrections/read.ts";
import { stableId } from "../ids.ts";
import { REVIEW_BELOW } from "../reconcile/confidence.ts";
import { sqlString } from "./duckdb.ts";
import type { Row as DbRow, SqlSession } from "../report/db.ts";
import { col } from "../schema/columns.ts";
import { columnsOf, FACT_TABLES, type Column } from "../schema/tables.ts";
import { formatDouble, quote } from "./csv.ts";
import { cell } from "./guide.ts";
import type { FileInfo } from "./files.ts";
import { compareCells, type Row } from "./rows.ts";
import { writeTableCsv } from "./tableCsv.ts";

/** The review queue: what a person should check, each item with the article's sentence and a correction row to start from. */

export const REVIEW_QUEUE = "review_queue";
export const REVIEW_QUEUE_FILE = `${REVIEW_QUEUE}.csv`;

/** A correction file row (sources/corrections/*.csv) as its cells. */
export type CorrectionCells = Record<(typeof CORRECTION_COLUMNS)[number], string>;

/**
 * An add's fields to fill in: a trade flow's key and both amounts, the table most unplaced numbers were candidates for.
 * Left empty, the add fails as a corrections_unmatched row naming what it lacks rather than adding a wrong fact.
 */
const ADD_TEMPLATE = JSON.stringify({ flow: "", reporter_iso3: "", partner_iso3: "", period_start: "", period_end: "", status: "reported", value_usd: "", quantity_tonnes: "" });

const KINDS = ["conflict", "needs_review", "unplaced_number"] as const;
type Kind = (typeof KINDS)[number];

const review_queue = z.object({
  queue_id: col.key("Stable id of the item (hash of kind, check, record and article); also the suggested id of its correction row"),
  kind: col.requiredOneOf(KINDS, "conflict: one article's figure for a fact the articles state differently (one item per record and article); needs_review: a record with needs_review true (one item per record); unplaced_number: a money amount or tonnage in a relevant sentence that no table took"),
  table_name: col.text("Table of the record; null for an unplaced number"),
  record_id: col.text("The record concerned; null for an unplaced number"),
  check_id: col.text("The qa_checks row behind a conflict or unplaced number"),
  article_id: col.text("Article the quote is from"),
  char_start: col.int("Start of the quote in the article body (code points); null for an unplaced number"),
  char_end: col.int("End of the quote (exclusive)"),
  quote: col.text("The sentence that states the figure: the article's evidence for the record's main figure (a needs_review item shows its least confident article), or the sentence of an unplaced number"),
  value_text: col.text("The number exactly as written"),
  field: col.text("Record column the number supports"),
  stated_value: col.double("This article's number for that column, in the column's unit"),
  confidence: col.double("The record's confidence; null for an unplaced number"),
  reason: col.key("Why the item is in the queue: the confidence below the threshold, the conflict found (its first 400 characters; the whole message is the check_id's row of qa_checks), or why no rule placed the number"),
  correction: col.key("A ready-to-copy line for sources/corrections/*.csv (id, action, article_id, table, quote, field, value, reason, reviewer, date): reject for a record to review, set (this article's figure) for a conflict, add for an unplaced number (a trade_flows template: change the table if need be and fill in the fact's fields); fill in reason, reviewer and date"),
});

const QUEUE_DEF = { name: REVIEW_QUEUE, description: "", schema: review_queue, primaryKey: ["queue_id"], foreignKeys: [] };
export const REVIEW_QUEUE_COLUMNS: Column[] = columnsOf(QUEUE_DEF);
export type ReviewItem = z.infer<typeof review_queue>;

/** What the queue is built through: statements, and queries streamed as JSON-shaped rows a chunk at a time (integers cast to INTEGER in the SQL come back as numbers). */
export type QueueDb = Pick<SqlSession, "run" | "stream">;

/** The evidence field of a record's main figure first (value, tonnage, railcars, count), as confidence.ts ranks them. */
const FIELD_RANK = `CASE e.field WHEN 'value_usd' THEN 0 WHEN 'quantity_tonnes' THEN 1 WHEN 'weight_tonnes' THEN 1 WHEN 'railcars' THEN 2
  WHEN 'n_contracts' THEN 3 WHEN 'grants_per_year' THEN 4 WHEN 'students' THEN 5 WHEN 'institutions' THEN 6 ELSE 7 END`;

const RECORDS = FACT_TABLES.map((t) => `SELECT '${t}' AS table_name, record_id, confidence, needs_review FROM "${t}"`).join(" UNION ALL ");

/** Each conflict with the records it names: its own, and the other record of a pair kept apart, which only its message states. */
const CONFLICT_IDS = `SELECT check_id, table_name, record_id FROM qa_checks WHERE "check" = 'conflict' AND record_id IS NOT NULL
  UNION SELECT check_id, table_name, unnest(regexp_extract_all(message, '\\b[0-9a-f]{16}\\b')) FROM qa_checks WHERE "check" = 'conflict'`;

/** An evidence row's columns for an item, and the numbers of the other facts its sentence states (`avoid`, for shortSpan). */
const EVIDENCE_COLUMNS = `e.article_id, e.char_start::INTEGER AS char_start, e.char_end::INTEGER AS char_end, e.quote, e.value_text, e.field, e.stated_value,
  (SELECT list(DISTINCT o.value_text ORDER BY o.value_text) FROM evidence o WHERE o.article_id = e.article_id AND o.table_name = e.table_name AND o.quote = e.quote AND o.record_id <> e.record_id) AS avoid`;

const UNPLACED = /^number seen but not placed in any table: "(.*?)" \((.*)\) in the sentence: "([\s\S]*)"$/;

/** A correction file line: RFC 4180 quoting, no formula guard, as the quote must stay verbatim to match the article. */
export function correctionLine(c: CorrectionCells): string {
  return CORRECTION_COLUMNS.map((name) => quote(c[name])).join(",");
}

function correction(id: string, action: string, fields: Partial<CorrectionCells>): string {
  return correctionLine({ id, action, article_id: "", table: "", quote: "", field: "", value: "", reason: "", reviewer: "", date: "", ...fields });
}

const SPAN_MAX = 80;

/**
 * A short verbatim span of a quote around the number as written: whole words, on one line, and none of `avoid` (the
 * numbers of other facts stated in the same sentence), since a correction picks its fact by the number its quote
 * takes in. The whole quote when it is short and names no other fact, or when the number is not in it.
 */
export function shortSpan(quoteText: string, valueText: string | null, avoid: readonly string[] = []): string {
  const at = valueText ? quoteText.indexOf(valueText) : -1;
  let start = at;
  let end = at + (valueText?.length ?? 0);
  // Where the other numbers stand: the span takes in none of them, not even a part.
  const blocked: [number, number][] = [];
  for (const t of avoid) {
    for (let i = t === "" ? -1 : quoteText.indexOf(t); i >= 0; i = quoteText.indexOf(t, i + 1)) if (i + t.length <= start || i >= end) blocked.push([i, i + t.length]);
  }
  if (quoteText.length <= SPAN_MAX && blocked.length === 0) return quoteText;
  if (at < 0) return quoteText;
  const fits = (from: number, to: number) => to - from <= SPAN_MAX && !quoteText.slice(from, to).includes("\n") && blocked.every(([bs, be]) => be <= from || bs >= to);
  for (let grew = true; grew; ) {
    grew = false;
    const left = /\S*\s*$/.exec(quoteText.slice(0, start))![0].length;
    if (left > 0 && fits(start - left, end)) {
      start -= left;
      grew = true;
    }
    const right = /^\s*\S*/.exec(quoteText.slice(end))![0].length;
    if (right > 0 && fits(start, end + right)) {
      end += right;
      grew = true;
    }
  }
  return quoteText.slice(start, end).trim();
}

const str = (v: unknown) => (typeof v === "string" ? v : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);

function fromEvidence(r: DbRow): Pick<ReviewItem, "article_id" | "char_start" | "char_end" | "quote" | "value_text" | "field" | "stated_value"> {
  return {
    article_id: str(r.article_id),
    char_start: num(r.char_start),
    char_end: num(r.char_end),
    quote: str(r.quote),
    value_text: str(r.value_text),
    field: str(r.field),
    stated_value: num(r.stated_value),
  };
}

function span(r: DbRow): string {
  return typeof r.quote === "string" ? shortSpan(r.quote, str(r.value_text), Array.isArray(r.avoid) ? r.avoid.map(String) : []) : "";
}

const KIND_ORDER: Record<Kind, number> = { conflict: 0, needs_review: 1, unplaced_number: 2 };
const SORT_COLUMNS = ["article_id", "char_start", "quote", "table_name", "record_id", "queue_id"] as const;

/** Conflicts first (two sources disagree), then weak records, then unplaced numbers; within a kind by article and position. */
function compareItems(a: ReviewItem, b: ReviewItem): number {
  const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (byKind !== 0) return byKind;
  for (const name of SORT_COLUMNS) {
    const c = compareCells(a[name], b[name]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * A conflict's message names every article's figure, and the record has an item per article: kept whole, a fact told
 * differently by k articles put k² of text in the queue (161 MB at 10,000 generated articles, gigabytes at 100,000).
 */
const REASON_MAX = 400;

/** A conflict's message as an item's reason: its start, the whole being the check's row in qa_checks. */
function brief(message: string): string {
  return message.length <= REASON_MAX ? message : `${message.slice(0, REASON_MAX - 1)}…`;
}

function conflictItem(r: DbRow): ReviewItem {
  const check_id = String(r.check_id);
  const table = str(r.table_name);
  // A conflict whose records cannot be found is still listed (one item, no evidence), so none goes unseen.
  const found = r.found === true;
  const queue_id = stableId("review", "conflict", check_id, found ? str(r.record_id) : null, found ? str(r.article_id) : null);
  return {
    queue_id,
    kind: "conflict",
    table_name: table,
    record_id: str(r.record_id),
    check_id,
    ...fromEvidence(r),
    confidence: num(r.confidence),
    reason: brief(String(r.message)),
    correction: correction(queue_id, "set", found
      ? { article_id: str(r.article_id) ?? "", table: table ?? "", quote: span(r), field: str(r.field) ?? "", value: num(r.stated_value) === null ? "" : formatDouble(num(r.stated_value)!) }
      : { table: table ?? "" }),
  };
}

function needsReviewItem(r: DbRow): ReviewItem {
  const table = String(r.table_name);
  const record_id = String(r.record_id);
  const confidence = num(r.confidence);
  const why = [
    confidence !== null && confidence < REVIEW_BELOW ? `confidence ${confidence} below ${REVIEW_BELOW}` : null,
    r.in_conflict === true ? "its articles disagree (see its conflict items)" : null,
  ].filter((w) => w !== null);
  const queue_id = stableId("review", "needs_review", table, record_id);
  return {
    queue_id,
    kind: "needs_review",
    table_name: table,
    record_id,
    check_id: null,
    ...fromEvidence(r),
    confidence,
    reason: why.length > 0 ? why.join("; ") : "marked needs_review",
    correction: correction(queue_id, "reject", { article_id: str(r.article_id) ?? "", table, quote: span(r) }),
  };
}

function unplacedItem(q: DbRow): ReviewItem {
  const check_id = String(q.check_id);
  const message = String(q.message);
  const parsed = UNPLACED.exec(message);
  const sentence = parsed ? parsed[3]! : null;
  const value_text = parsed ? parsed[1]! : null;
  const queue_id = stableId("review", "unplaced_number", check_id);
  return {
    queue_id,
    kind: "unplaced_number",
    table_name: null,
    record_id: null,
    check_id,
    article_id: str(q.article_id),
    char_start: null,
    char_end: null,
    quote: sentence,
    value_text,
    field: null,
    stated_value: null,
    confidence: null,
    reason: parsed ? parsed[2]! : message,
    correction: correction(queue_id, "add", { article_id: str(q.article_id) ?? "", table: "trade_flows", quote: sentence === null ? "" : shortSpan(sentence, value_text), value: ADD_TEMPLATE }),
  };
}

/** The evidence a conflict's records have from each article: the row of each record's main figure. */
const CONFLICT_EVIDENCE = `SELECT e.table_name, e.record_id, r.confidence, ${EVIDENCE_COLUMNS}
  FROM evidence e JOIN (SELECT DISTINCT table_name, record_id FROM ids) d ON d.table_name = e.table_name AND d.record_id = e.record_id
  JOIN records r ON r.table_name = e.table_name AND r.record_id = e.record_id
  QUALIFY row_number() OVER (PARTITION BY e.table_name, e.record_id, e.article_id ORDER BY ${FIELD_RANK}, e.confidence, e.char_start, e.evidence_id) = 1`;

/**
 * The three kinds of item, each a query that gives one item per row (and an article_id column), in the queue's
 * order of kinds.
 */
const QUERIES: { sql: string; item: (r: DbRow) => ReviewItem }[] = [
  {
    sql: `WITH records AS (${RECORDS}), ids AS (${CONFLICT_IDS}), ev AS (${CONFLICT_EVIDENCE}),
      matched AS (SELECT ids.check_id, ev.* EXCLUDE (table_name) FROM ids JOIN ev ON ev.table_name = ids.table_name AND ev.record_id = ids.record_id)
      SELECT c.check_id, c.table_name, c.message, m.check_id IS NOT NULL AS found, coalesce(m.record_id, c.record_id) AS record_id,
        m.* EXCLUDE (check_id, record_id)
      FROM qa_checks c LEFT JOIN matched m ON m.check_id = c.check_id
      WHERE c."check" = 'conflict'`,
    item: conflictItem,
  },
  {
    sql: `WITH records AS (${RECORDS}), ids AS (${CONFLICT_IDS})
      SELECT r.table_name, r.record_id, r.confidence, ${EVIDENCE_COLUMNS},
        EXISTS (SELECT 1 FROM ids JOIN evidence x ON x.table_name = ids.table_name AND x.record_id = ids.record_id
          WHERE ids.table_name = r.table_name AND ids.record_id = r.record_id) AS in_conflict
      FROM records r LEFT JOIN evidence e ON e.table_name = r.table_name AND e.record_id = r.record_id
      WHERE r.needs_review
      QUALIFY row_number() OVER (PARTITION BY r.table_name, r.record_id ORDER BY ${FIELD_RANK}, e.confidence, e.article_id, e.char_start, e.evidence_id) = 1`,
    item: needsReviewItem,
  },
  {
    sql: `SELECT check_id, article_id, message FROM qa_checks WHERE "check" = 'unplaced_number'`,
    item: unplacedItem,
  },
];

/** DuckDB's memory for building the queue. */
const QUEUE_MEMORY_MB = 256;
/** Items handed on at a time. */
const BATCH = 1024;
/** Items sorted at a time in DuckDB: its sort of a whole kind's wide rows (a conflict's message, the quote) ran out of the publishing database's memory at 10,000 articles. */
const RANGE_ROWS = 8192;
const PART = "review_part";

/** Article ranges holding at most RANGE_ROWS items each (one article may hold more), as WHERE conditions, in article order with nulls first. */
async function articleRanges(db: QueueDb, rangeRows: number): Promise<string[]> {
  const ranges: string[] = [];
  let from: string | null = null;
  let to: string | null = null;
  let rows = 0;
  const close = () => {
    if (from !== null) ranges.push(`article_id >= ${sqlString(from)} AND article_id <= ${sqlString(to!)}`);
    from = null;
    rows = 0;
  };
  for await (const chunk of db.stream(`SELECT article_id, count(*)::INTEGER AS n FROM ${PART} GROUP BY article_id ORDER BY article_id NULLS FIRST`)) {
    for (const r of chunk) {
      if (r.article_id === null) {
        ranges.push("article_id IS NULL");
        continue;
      }
      if (rows + Number(r.n) > rangeRows) close();
      from ??= String(r.article_id);
      to = String(r.article_id);
      rows += Number(r.n);
    }
  }
  close();
  return ranges;
}

/**
 * The review queue in its published order, in batches, from a published (or being published) database. Each kind's
 * rows are staged in a temporary table and read back a range of articles at a time, each range sorted by article;
 * only one article's items are held to be sorted by position, so memory does not grow with the archive.
 */
export async function* reviewQueue(db: QueueDb, rangeRows = RANGE_ROWS): AsyncGenerator<ReviewItem[]> {
  let batch: ReviewItem[] = [];
  let group: ReviewItem[] = [];
  const close = () => {
    batch.push(...group.sort(compareItems));
    group = [];
  };
  for (const { sql, item } of QUERIES) {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${PART} AS ${sql}`);
    try {
      for (const range of await articleRanges(db, rangeRows)) {
        for await (const chunk of db.stream(`SELECT * FROM ${PART} WHERE ${range} ORDER BY article_id NULLS FIRST`)) {
          for (const r of chunk) {
            const next = item(r);
            if (group.length > 0 && group[0]!.article_id !== next.article_id) close();
            group.push(next);
          }
          if (batch.length >= BATCH) {
            yield batch;
            batch = [];
          }
        }
      }
      close();
    } finally {
      await db.run(`DROP TABLE IF EXISTS ${PART}`);
    }
  }
  if (batch.length > 0) yield batch;
}

/** The whole queue at once, for a report page or one article's view. */
export async function reviewItems(db: QueueDb): Promise<ReviewItem[]> {
  const items: ReviewItem[] = [];
  for await (const batch of reviewQueue(db)) items.push(...batch);
  return items;
}

/** The queue as CSV (the project's writer: RFC 4180, formula-safe). */
export async function writeReviewQueue(dir: string, db: QueueDb): Promise<FileInfo> {
  // The queue's joins of conflicts, records and evidence ran out of the publishing database's 64 MB at 100,000
  // generated articles, and ran in 256 MB; the tables are all written by then.
  await db.run(`SET memory_limit = '${QUEUE_MEMORY_MB}MB'`);
  const { csv } = await writeTableCsv(dir, { def: QUEUE_DEF, columns: REVIEW_QUEUE_COLUMNS }, reviewQueue(db) as AsyncIterable<Row[]>, () => undefined);
  return csv;
}

/** The README section that documents the queue as a published file. */
export function reviewQueueSection(): string[] {
  return [
    "## Review queue",
    "",
    `\`${REVIEW_QUEUE_FILE}\` lists what a person should check: every`,
    "conflict (one item per record and article, with that article's figure), every record with `needs_review`",
    `(one item each: confidence below ${REVIEW_BELOW} or in conflict) and every money amount or tonnage in a sentence that no`,
    "table took (`unplaced_number` rows of `qa_checks`). Sorted by kind (conflict, needs_review, unplaced_number), then",
    "article, position in the article, record and id. Each item carries the article's sentence and, in `correction`, a",
    "line to paste into `sources/corrections/*.csv`: fill in `reason`, `reviewer` and `date` (and, for `add`, the fact's",
    "fields in its JSON template, changing the table from `trade_flows` if need be; left empty, the add is reported in",
    "`corrections_unmatched` rather than applied). Its quote is a short verbatim span around the number that takes in no",
    "other fact's number, so it picks one fact. `npm run review -- --article ID` shows an article's facts, its queue",
    "items and the corrections that apply to it. The file is a work list, not a table: it is not in `dataset.duckdb` or",
    "`datapackage.json`.",
    "",
    "| Column | Type | Description |",
    "|---|---|---|",
    ...REVIEW_QUEUE_COLUMNS.map((c) => `| \`${c.name}\` | ${c.required ? `${c.sql}, required` : c.sql} | ${cell(c.description + (c.enum ? ` One of: ${c.enum.map((v) => `\`${v}\``).join(", ")}.` : ""))} |`),
    "",
  ];
}
