/**
 * The corrections stage, between extraction (normalized facts) and reconciliation: a reject removes the facts
 * a correction's quote picks out (their evidence stays, marked), a set overrides one column of them, an add
 * puts a reviewer's fact beside the extracted ones. A correction that no longer applies is never dropped
 * silently: it becomes a corrections_unmatched row and an error in qa_checks.
 */
import type { ZodType } from "zod";
import { idOfJson, stableId } from "../ids.ts";
import { canonicalPairs } from "../normalize/normalize.ts";
import { partitionKey, primaryMeasure } from "../reconcile/keys.ts";
import { columnMeta } from "../schema/columns.ts";
import { factTable, recordColumns, type CorrectionUnmatched, type Evidence, type FactTable, type QaCheck } from "../schema/tables.ts";
import type { ExtractedFact, MentionEvidence, Qualifier } from "../types.ts";
import type { Correction } from "./read.ts";

/** Columns reconciliation computes for a record: no correction sets them. */
const COMPUTED: ReadonlySet<string> = new Set(Object.keys(recordColumns));
/** Number columns that describe a conversion rather than state an amount: an added fact has no evidence row for them. */
const NOT_STATED: ReadonlySet<string> = new Set(["usd_rate", "usd_rate_year", "value_original"]);
const ISO3_LIST = /^[A-Z]{3}(;[A-Z]{3})*$/;

/** The columns a correction may set in a table (its registry schema's), with their zod schemas. */
function settable(table: FactTable): Map<string, ZodType> {
  return new Map(Object.entries(factTable(table).schema.shape as Record<string, ZodType>).filter(([name]) => !COMPUTED.has(name)));
}

const codePoints = (s: string) => [...s].length;

/** A cell or JSON value as the column stores it; numbers may be written as text, as a spreadsheet does. */
function columnValue(table: FactTable, field: string, raw: unknown): { value: string | number | null } | { problem: string } {
  const schema = settable(table).get(field);
  if (!schema) return { problem: `${table} has no column "${field}" a correction can set` };
  const meta = columnMeta(schema);
  let v = raw === "" || raw === undefined ? null : raw;
  if (typeof v === "string" && (meta.sql === "DOUBLE" || meta.sql === "BIGINT") && /^-?\d+(\.\d+)?$/.test(v.trim())) v = Number(v);
  const parsed = schema.safeParse(v);
  const fits = parsed.success && (!field.endsWith("_iso3") || parsed.data === null || ISO3_LIST.test(parsed.data as string));
  if (!fits) return { problem: `value ${JSON.stringify(raw)} does not fit ${table}.${field} (${meta.enum ? `one of ${meta.enum.join(", ")}` : field.endsWith("_iso3") ? "ISO3 codes" : meta.sql.toLowerCase()}${meta.required ? ", required" : ""})` };
  return { value: parsed.data as string | number | null };
}

/** What tells one fact from another of an article: its merge key and main figure. */
const identity = (f: ExtractedFact) => JSON.stringify([partitionKey(f), primaryMeasure(f).value]);

/**
 * The facts a correction targets: those of its table whose evidence quote contains its quote. When that is
 * several facts (one sentence stating two), a quote that takes in the number as written picks its fact.
 */
function targets(c: Correction, facts: readonly ExtractedFact[]): { hits: number[] } | { problem: string } {
  const quoted = (f: ExtractedFact, withNumber: boolean) => f.table === c.table && f.evidence.some((e) => e.quote.includes(c.quote) && (!withNumber || c.quote.includes(e.value_text)));
  const hits = facts.flatMap((f, i) => (quoted(f, false) ? [i] : []));
  if (hits.length === 0) return { problem: `the quote is no longer in the evidence of any ${c.table} fact of the article` };
  const distinct = new Set(hits.map((i) => identity(facts[i]!))).size;
  if (distinct === 1) return { hits };
  const narrowed = hits.filter((i) => quoted(facts[i]!, true));
  if (narrowed.length > 0 && new Set(narrowed.map((i) => identity(facts[i]!))).size === 1) return { hits: narrowed };
  return { problem: `the quote matches ${distinct} ${c.table} facts of the article; quote the clause up to the number to pick one` };
}

/** Where the quote lies in the body, through an evidence row of the fact that contains it. */
function spanIn(f: ExtractedFact, quote: string): { char_start: number; char_end: number } {
  const e = f.evidence.find((x) => x.quote.includes(quote))!;
  const char_start = e.char_start + codePoints(e.quote.slice(0, e.quote.indexOf(quote)));
  return { char_start, char_end: char_start + codePoints(quote) };
}

const ruleOf = (c: Correction) => `review:${c.id}`;

/** The evidence rows of a rejected fact, kept under the id its key had, marked with the correction. */
function rejectedEvidence(c: Correction, f: ExtractedFact): Evidence[] {
  const record_id = idOfJson(partitionKey(f));
  return f.evidence.map((e) => ({
    evidence_id: stableId("review", record_id, f.article_id, e.char_start, e.char_end, e.field, e.value_text),
    record_id,
    table_name: f.table,
    article_id: f.article_id,
    char_start: e.char_start,
    char_end: e.char_end,
    quote: e.quote,
    value_text: e.value_text,
    field: e.field,
    stated_value: e.stated_value,
    rule: ruleOf(c),
    confidence: Number(e.confidence.toFixed(2)),
  }));
}

function withCanonicalPairs(f: ExtractedFact): ExtractedFact {
  const pairs = canonicalPairs(f);
  return pairs ? { ...f, fields: { ...f.fields, ...(pairs as Record<string, string>) } } : f;
}

function setField(c: Correction, f: ExtractedFact, value: string | number | null): ExtractedFact {
  const review: MentionEvidence = { ...spanIn(f, c.quote), quote: c.quote, value_text: c.value ?? "(empty)", field: c.field!, stated_value: typeof value === "number" ? value : null, rule: ruleOf(c), confidence: 1 };
  const changed = c.field === "qualifier" ? { ...f, qualifier: value as Qualifier } : { ...f, fields: { ...f.fields, [c.field!]: value } };
  return withCanonicalPairs({ ...changed, evidence: [...f.evidence, review], reviewed: true });
}

/** A reviewer's fact from an add's JSON, quoting the article body; its evidence is the quote, for every amount given. */
function addedFact(c: Correction, article: CorrectedArticleInput): { fact: ExtractedFact } | { problem: string } {
  const at = article.body.indexOf(c.quote);
  if (at < 0) return { problem: "the quote is not in the article body" };
  const columns = settable(c.table);
  const fields: Record<string, string | number | null> = {};
  for (const name of columns.keys()) if (name !== "qualifier") fields[name] = null;
  let qualifier: Qualifier = "exact";
  for (const [name, raw] of Object.entries(c.add!)) {
    const r = columnValue(c.table, name, raw);
    if ("problem" in r) return r;
    if (name === "qualifier") qualifier = (r.value ?? "exact") as Qualifier;
    else fields[name] = r.value;
  }
  const missing = [...columns].filter(([name, schema]) => name !== "qualifier" && columnMeta(schema).required && fields[name] === null).map(([name]) => name);
  if (missing.length > 0) return { problem: `the added fact lacks ${missing.join(", ")}` };
  // As normalize leaves an amount stated in dollars: the original is the dollar figure.
  if (fields.value_usd != null && "value_original" in fields && fields.value_original === null) Object.assign(fields, { value_original: fields.value_usd, currency_original: "USD" });
  const money = fields.value_usd != null ? { amount: (fields.value_original ?? fields.value_usd) as number, currency: (fields.currency_original as string | null) ?? "USD" } : null;
  const fact = withCanonicalPairs({ table: c.table, article_id: article.article_id, fields, money, qualifier, evidence: [], aid_items: [], changes: [], notes: [], published: article.published, reviewed: true });
  if (primaryMeasure(fact).value === null) return { problem: "the added fact states no amount" };
  const char_start = codePoints(article.body.slice(0, at));
  const span = { char_start, char_end: char_start + codePoints(c.quote), quote: c.quote };
  for (const [name, schema] of columns) {
    const v = fact.fields[name];
    const sql = columnMeta(schema).sql;
    if (typeof v === "number" && (sql === "DOUBLE" || sql === "BIGINT") && !NOT_STATED.has(name)) fact.evidence.push({ ...span, value_text: String(v), field: name, stated_value: v, rule: ruleOf(c), confidence: 1 });
  }
  return { fact };
}

export interface CorrectedArticleInput {
  article_id: string;
  published: string | null;
  /** The article body, where an add's quote is looked for; may be left empty for an article with no add (CorrectionRun.needsBody). */
  body: string;
}

/**
 * Corrections applied article by article, as the articles' facts become available (in any order), then
 * `finish` reports what did not apply. Every run goes through it (run.ts).
 */
export class CorrectionRun {
  private readonly byArticle = new Map<string, Correction[]>();
  private readonly problems = new Map<string, string>();
  private readonly seen = new Set<string>();

  constructor(private readonly corrections: readonly Correction[]) {
    for (const c of corrections) {
      const list = this.byArticle.get(c.article_id);
      if (list) list.push(c);
      else this.byArticle.set(c.article_id, [c]);
    }
  }

  /** Whether any correction targets the article: only then are its facts parsed and rewritten. */
  targets(article_id: string): boolean {
    return this.byArticle.has(article_id);
  }

  /** Whether the article has an add, whose quote is checked against the body. */
  needsBody(article_id: string): boolean {
    return this.byArticle.get(article_id)?.some((c) => c.action === "add") ?? false;
  }

  /** The article's facts with its corrections applied in file order, and the evidence rows of the facts rejected. */
  apply(article: CorrectedArticleInput, facts: ExtractedFact[]): { facts: ExtractedFact[]; evidence: Evidence[] } {
    this.seen.add(article.article_id);
    let out = facts;
    const evidence: Evidence[] = [];
    for (const c of this.byArticle.get(article.article_id) ?? []) {
      if (c.action === "add") {
        const r = addedFact(c, article);
        if ("problem" in r) this.problems.set(c.id, r.problem);
        else out = [...out, r.fact];
        continue;
      }
      const value = c.action === "set" ? columnValue(c.table, c.field!, c.value ?? "") : null;
      if (value && "problem" in value) {
        this.problems.set(c.id, value.problem);
        continue;
      }
      const t = targets(c, out);
      if ("problem" in t) {
        this.problems.set(c.id, t.problem);
        continue;
      }
      const hit = new Set(t.hits);
      if (c.action === "reject") {
        for (const i of t.hits) evidence.push(...rejectedEvidence(c, out[i]!));
        out = out.filter((_, i) => !hit.has(i));
      } else {
        out = out.map((f, i) => (hit.has(i) ? setField(c, f, (value as { value: string | number | null }).value) : f));
      }
    }
    const unique = new Map(evidence.map((e) => [e.evidence_id, e]));
    return { facts: out, evidence: [...unique.values()] };
  }

  /** Every correction that did not apply (its article never came, or `apply` found a problem), in file order. */
  finish(): { unmatched: CorrectionUnmatched[]; qa: QaCheck[] } {
    const unmatched: CorrectionUnmatched[] = [];
    const qa: QaCheck[] = [];
    for (const c of this.corrections) {
      const reason = this.seen.has(c.article_id) ? this.problems.get(c.id) : "the article is not among the inputs";
      if (reason === undefined) continue;
      unmatched.push({ correction_id: c.id, file: c.file, line: c.line, action: c.action, article_id: c.article_id, table_name: c.table, quote: c.quote, field: c.field, reason });
      qa.push({ check_id: stableId("qa", "correction_unmatched", c.id), check: "correction_unmatched", severity: "error", passed: false, table_name: c.table, record_id: null, article_id: c.article_id, message: `correction ${c.id} (${c.action}, ${c.file} line ${c.line}) no longer applies: ${reason}` });
    }
    return { unmatched, qa };
  }
}
