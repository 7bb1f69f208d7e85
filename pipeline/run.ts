import { deriveGrowth } from "./derive/growth.ts";
import { buildGazetteer } from "./extract/entities.ts";
import { extractArticle } from "./extract/extract.ts";
import { parseArticles, type RawFile } from "./ingest/article.ts";
import { loadReference } from "./ingest/reference.ts";
import { readInputs, readRegistry } from "./ingest/read.ts";
import type { RegistryEntry } from "./ingest/registry.ts";
import { normalizeFacts } from "./normalize/normalize.ts";
import { mergeFacts, type MergedRecord, type MergeResult } from "./reconcile/merge.ts";
import { turnoverChecks } from "./reconcile/turnover.ts";
import { stableId } from "./ids.ts";
import { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT } from "./paths.ts";
import { columnsOf, TABLES, type Articles, type Dataset, type FactTable, type QaCheck, type Rejected } from "./schema/tables.ts";
import type { Article, ExtractResult, Reference } from "./types.ts";

export { readInputs, readRegistry };
export { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT };

function rowsOf(records: MergedRecord[], table: FactTable): Record<string, unknown>[] {
  const cols = columnsOf(TABLES.find((t) => t.name === table)!).map((c) => c.name);
  return records.filter((r) => r.table === table).map((r) => Object.fromEntries(cols.map((c) => [c, r.row[c] ?? null])));
}

/** The stages, a straight line of pure functions: ingest → extract → normalize → reconcile → derive. */
export function buildFromInputs(files: RawFile[], registry: Map<string, RegistryEntry>, reference: Reference): Dataset {
  const { articles, rejected } = parseArticles(files, registry);
  const gazetteer = buildGazetteer(reference);
  return assemble(articles, rejected, articles.map((a) => extractArticle(a, gazetteer)), reference);
}

/** Everything after extraction: normalize → reconcile → derive, over all articles' facts. */
export function assemble(articles: Article[], rejected: Rejected[], extracted: ExtractResult[], reference: Reference): Dataset {
  const published = new Map(articles.map((a) => [a.meta.article_id, a.meta.published_date]));
  const merged = mergeFacts(normalizeFacts(extracted.flatMap((e) => e.facts), published, reference.fx));
  return { ...finishDataset(articles.map((a) => a.meta), rejected, extracted.flatMap((e) => e.qa), merged), evidence: merged.evidence };
}

/**
 * The tables once facts are merged: growth and sum checks over all records, and the QA rows of every stage.
 * `merged` may be the concatenation of merges of key partitions (records sorted by id); evidence is left to
 * the caller, who may hold it in memory or stream it.
 */
export function finishDataset(articles: Articles[], rejected: Rejected[], extractQa: QaCheck[], merged: Omit<MergeResult, "evidence">): Omit<Dataset, "evidence"> {
  const { growth, qa: growthQa } = deriveGrowth(merged.records);
  const undated: QaCheck[] = articles
    .filter((a) => a.published_date === null)
    .map((a) => ({ check_id: stableId("qa", "no_published_date", a.article_id), check: "no_published_date", severity: "info", passed: null, table_name: "articles", record_id: null, article_id: a.article_id, message: "article has no publication date: relative dates in it stay unresolved" }));
  return {
    articles,
    trade_flows: rowsOf(merged.records, "trade_flows") as Dataset["trade_flows"],
    aid_shipments: rowsOf(merged.records, "aid_shipments") as Dataset["aid_shipments"],
    aid_items: merged.aid_items,
    contracts: rowsOf(merged.records, "contracts") as Dataset["contracts"],
    grants: rowsOf(merged.records, "grants") as Dataset["grants"],
    growth_rates: growth,
    qa_checks: uniqueChecks([...extractQa, ...merged.qa, ...turnoverChecks(merged.records), ...growthQa, ...undated]),
    rejected,
  };
}

/** The same caveat raised twice (two merged mentions of one record, one article) is one row. */
function uniqueChecks(rows: QaCheck[]): QaCheck[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.check_id) && (seen.add(r.check_id), true));
}

export interface BuildOptions {
  input: string;
  sourcesDir?: string;
}

/** Reads the inputs and reference data, then runs the stages in memory. */
export async function buildDataset(opts: BuildOptions): Promise<{ dataset: Dataset }> {
  const sourcesDir = opts.sourcesDir ?? DEFAULT_SOURCES;
  const [files, registry, reference] = await Promise.all([readInputs(opts.input), readRegistry(sourcesDir), loadReference(sourcesDir)]);
  return { dataset: buildFromInputs(files, registry, reference) };
}
