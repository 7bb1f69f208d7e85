import { applyCorrections } from "./corrections/apply.ts";
import { loadCorrections, type Correction } from "./corrections/read.ts";
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
import type { Articles, CorrectionUnmatched, Dataset, QaCheck, Rejected } from "./schema/tables.ts";
import type { Article, ExtractResult, Reference } from "./types.ts";

export { readInputs, readRegistry };
export { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT };

/** The stages, a straight line of pure functions: ingest → extract → normalize → corrections → reconcile → derive. */
export function buildFromInputs(files: RawFile[], registry: Map<string, RegistryEntry>, reference: Reference, corrections: readonly Correction[] = []): Dataset {
  const { articles, rejected } = parseArticles(files, registry);
  const gazetteer = buildGazetteer(reference);
  return assemble(articles, rejected, articles.map((a) => extractArticle(a, gazetteer)), reference, corrections);
}

/** Everything after extraction: normalize → corrections → reconcile → derive, over all articles' facts (`extracted[i]` is `articles[i]`'s). */
export function assemble(articles: Article[], rejected: Rejected[], extracted: ExtractResult[], reference: Reference, corrections: readonly Correction[] = []): Dataset {
  const corrected = applyCorrections(
    corrections,
    articles.map((a, i) => {
      const { article_id, published_date } = a.meta;
      const facts = normalizeFacts(extracted[i]!.facts, new Map([[article_id, published_date]]), reference.fx).map((f) => withPublished(f, published_date));
      return { article_id, published: published_date, body: a.body, facts };
    }),
  );
  const merged = mergeFacts(corrected.facts);
  const dataset = finishDataset(articles.map((a) => a.meta), rejected, [...extracted.flatMap((e) => e.qa), ...corrected.qa], merged, corrected.unmatched);
  return { ...dataset, evidence: [...merged.evidence, ...corrected.evidence] };
}

/**
 * The tables once facts are merged: growth and sum checks over all records, and the QA rows of every stage.
 * Evidence is left to the caller. The archive runner (ops/build.ts) does the same by derivation group.
 */
export function finishDataset(articles: Articles[], rejected: Rejected[], extractQa: QaCheck[], merged: Omit<MergeResult, "evidence">, corrections_unmatched: CorrectionUnmatched[] = []): Omit<Dataset, "evidence"> {
  const { qa, ...tables } = deriveRecords(merged.records);
  return { articles, ...tables, aid_items: merged.aid_items, qa_checks: uniqueChecks([...extractQa, ...merged.qa, ...qa, ...undatedChecks(articles)]), rejected, corrections_unmatched };
}

export interface BuildOptions {
  input: string;
  sourcesDir?: string;
}

/** Reads the inputs, reference data and corrections, then runs the stages in memory. */
export async function buildDataset(opts: BuildOptions): Promise<{ dataset: Dataset }> {
  const sourcesDir = opts.sourcesDir ?? DEFAULT_SOURCES;
  const [files, registry, reference, corrections] = await Promise.all([readInputs(opts.input), readRegistry(sourcesDir), loadReference(sourcesDir), loadCorrections(sourcesDir)]);
  return { dataset: buildFromInputs(files, registry, reference, corrections) };
}
