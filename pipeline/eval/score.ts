import { FACT_TABLES, factTable, type Dataset, type FactTable } from "../schema/tables.ts";
import { Attribution, type Prediction } from "./attribute.ts";
import { describeFields } from "./fields.ts";
import type { GoldFile, GoldOf } from "./gold.ts";
import { factMatches } from "./match.ts";

/** Records at or above this confidence are the ones a user may take without review: their precision is reported apart. */
export const HIGH_CONFIDENCE = 0.8;

export interface Score {
  /** Matched predictions (matches to required and to optional gold facts). */
  tp: number;
  /** Scored predictions that matched no gold fact. */
  fp: number;
  /** Required gold facts left unmatched. */
  fn: number;
  required: number;
  matched_required: number;
  matched_optional: number;
  /** Scored predictions (the precision denominator). */
  predicted: number;
  /** Predictions left out of scoring (trade flows without a bilateral pair). */
  unscored: number;
  /** null when undefined (no predictions / no required gold). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Scored predictions with confidence >= HIGH_CONFIDENCE. */
  confident_predicted: number;
  /** Of those, the matched ones. */
  confident_tp: number;
  /** confident_tp / confident_predicted; null when there are none. */
  confident_precision: number | null;
}

export interface Match {
  article_id: string;
  table: FactTable;
  record_id: string;
  /** Index of the fact in the gold file's table array. */
  gold_index: number;
  optional: boolean;
}

export interface Miss {
  article_id: string;
  table: FactTable;
  gold_index: number;
  fact: Record<string, unknown>;
  quote: string | null;
}

export interface FalsePositive {
  article_id: string;
  table: FactTable;
  record_id: string;
  /** Key fields and this article's amounts. */
  record: Record<string, unknown>;
  /** The article's first evidence for the record. */
  quote: string | null;
  value_text: string | null;
  confidence: number;
}

export interface EvalReport {
  /** HIGH_CONFIDENCE, the cut the confident_* figures use. */
  confidence_threshold: number;
  /** Articles with a gold file, i.e. the ones scored. */
  articles: string[];
  /** Gold articles absent from dataset.articles (rejected or not read): all their facts are misses. */
  articles_missing: string[];
  tables: Record<FactTable, Score>;
  /** Micro-average over the four fact tables. */
  micro: Score;
  matches: Match[];
  misses: Miss[];
  false_positives: FalsePositive[];
}

/** What is tallied per article; tp/fp/fn and the rates follow from it. */
type Counts = Omit<Score, "tp" | "fp" | "fn" | "precision" | "recall" | "f1" | "confident_precision">;

/** Score a dataset against gold, per article and table; records of articles without gold are ignored. */
export function scoreCorpus(gold: GoldFile[], dataset: Dataset): EvalReport {
  const ids = gold.map((g) => g.article_id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new Error(`two gold files for article ${dup}`);

  const attribution = new Attribution(dataset);
  const known = new Set(dataset.articles.map((a) => a.article_id));
  const counts = Object.fromEntries(FACT_TABLES.map((t) => [t, emptyCounts()])) as Record<FactTable, Counts>;
  const report: Omit<EvalReport, "tables" | "micro"> = {
    confidence_threshold: HIGH_CONFIDENCE,
    articles: ids,
    articles_missing: ids.filter((id) => !known.has(id)),
    matches: [],
    misses: [],
    false_positives: [],
  };

  for (const file of gold) {
    for (const table of FACT_TABLES) {
      scoreArticleTable(table, file, attribution.predictions(file.article_id, table), counts[table], report);
    }
  }

  const tables = Object.fromEntries(FACT_TABLES.map((t) => [t, withRates(counts[t])])) as Record<FactTable, Score>;
  const micro = withRates(FACT_TABLES.map((t) => counts[t]).reduce(addCounts, emptyCounts()));
  return { ...report, tables, micro };
}

function scoreArticleTable<T extends FactTable>(
  table: T,
  file: GoldFile,
  all: Prediction<T>[],
  c: Counts,
  report: Pick<EvalReport, "matches" | "misses" | "false_positives">,
): void {
  const preds = all.filter((p) => isScored(table, p));
  c.unscored += all.length - preds.length;
  c.predicted += preds.length;

  const facts = (file[table] as GoldOf[T][]).map((fact, index) => ({ fact, index }));
  // Required facts pick first, so an optional fact never takes the record a required one needs.
  const ordered = [...facts.filter((f) => !f.fact.optional), ...facts.filter((f) => f.fact.optional)];
  const taken = new Set<number>();

  for (const { fact, index } of ordered) {
    const optional = fact.optional === true;
    if (!optional) c.required++;
    const hit = preds.findIndex((p, i) => !taken.has(i) && factMatches(table, fact, p.row));
    if (hit >= 0) {
      taken.add(hit);
      if (optional) c.matched_optional++;
      else c.matched_required++;
      report.matches.push({ article_id: file.article_id, table, record_id: preds[hit]!.record_id, gold_index: index, optional });
    } else if (!optional) {
      report.misses.push({ article_id: file.article_id, table, gold_index: index, fact: describeFields(table, fact), quote: fact.quote ?? null });
    }
  }

  preds.forEach((p, i) => {
    const confident = p.row.confidence >= HIGH_CONFIDENCE;
    if (confident) c.confident_predicted++;
    if (taken.has(i)) {
      if (confident) c.confident_tp++;
      return;
    }
    const first = p.evidence[0];
    report.false_positives.push({
      article_id: file.article_id,
      table,
      record_id: p.record_id,
      record: describeFields(table, p.row),
      quote: first?.quote ?? null,
      value_text: first?.value_text ?? null,
      confidence: p.row.confidence,
    });
  });
}

/** Whether the table's rule scores a prediction (the spec scores only bilateral trade, for one). */
function isScored<T extends FactTable>(table: T, p: Prediction<T>): boolean {
  const scored = factTable(table).eval.scored as ((row: Prediction<T>["row"]) => boolean) | undefined;
  return scored?.(p.row) ?? true;
}

function emptyCounts(): Counts {
  return { required: 0, matched_required: 0, matched_optional: 0, predicted: 0, unscored: 0, confident_predicted: 0, confident_tp: 0 };
}

function addCounts(a: Counts, b: Counts): Counts {
  const out = emptyCounts();
  for (const k of Object.keys(out) as (keyof Counts)[]) out[k] = a[k] + b[k];
  return out;
}

function withRates(c: Counts): Score {
  const tp = c.matched_required + c.matched_optional;
  const precision = c.predicted > 0 ? tp / c.predicted : null;
  const recall = c.required > 0 ? c.matched_required / c.required : null;
  const confident_precision = c.confident_predicted > 0 ? c.confident_tp / c.confident_predicted : null;
  return { tp, fp: c.predicted - tp, fn: c.required - c.matched_required, ...c, precision, recall, f1: f1(precision, recall), confident_precision };
}

/** Harmonic mean; with one side undefined, a zero on the other side still means F1 = 0. */
function f1(p: number | null, r: number | null): number | null {
  if (p === null || r === null) return p === 0 || r === 0 ? 0 : null;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}
