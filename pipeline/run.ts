import { undatedChecks, uniqueChecks } from "./derive/checks.ts";
import { deriveRecords } from "./derive/records.ts";
import { buildGazetteer } from "./extract/entities.ts";
import { extractArticle } from "./extract/extract.ts";
import { parseArticles, type RawFile } from "./ingest/article.ts";
import { loadReference } from "./ingest/reference.ts";
import { readInputs, readRegistry } from "./ingest/read.ts";
import type { RegistryEntry } from "./ingest/registry.ts";
import { normalizeFacts } from "./normalize/normalize.ts";
import { withPublished } from "./reconcile/keys.ts";
import { mergeFacts, type MergeResult } from "./reconcile/merge.ts";
import { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT } from "./paths.ts";
import type { Articles, Dataset, QaCheck, Rejected } from "./schema/tables.ts";
import type { Article, ExtractResult, Reference } from "./types.ts";

export { readInputs, readRegistry };
export { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT };

/** The stages, a straight line of pure functions: ingest → extract → normalize → reconcile → derive. */
export function buildFromInputs(files: RawFile[], registry: Map<string, RegistryEntry>, reference: Reference): Dataset {
  const { articles, rejected } = parseArticles(files, registry);
  const gazetteer = buildGazetteer(reference);
  return assemble(articles, rejected, articles.map((a) => extractArticle(a, gazetteer)), reference);
}

/** Everything after extraction: normalize → reconcile → derive, over all articles' facts. */
export function assemble(articles: Article[], rejected: Rejected[], extracted: ExtractResult[], reference: Reference): Dataset {
  const published = new Map(articles.map((a) => [a.meta.article_id, a.meta.published_date]));
  const merged = mergeFacts(normalizeFacts(extracted.flatMap((e) => e.facts), published, reference.fx).map((f) => withPublished(f, published.get(f.article_id) ?? null)));
  return { ...finishDataset(articles.map((a) => a.meta), rejected, extracted.flatMap((e) => e.qa), merged), evidence: merged.evidence };
}

/**
 * The tables once facts are merged: growth and sum checks over all records, and the QA rows of every stage.
 * Evidence is left to the caller. The archive runner (ops/build.ts) does the same by derivation group.
 */
export function finishDataset(articles: Articles[], rejected: Rejected[], extractQa: QaCheck[], merged: Omit<MergeResult, "evidence">): Omit<Dataset, "evidence"> {
  const { qa, ...tables } = deriveRecords(merged.records);
  return { articles, ...tables, aid_items: merged.aid_items, qa_checks: uniqueChecks([...extractQa, ...merged.qa, ...qa, ...undatedChecks(articles)]), rejected };
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
