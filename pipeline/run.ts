import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveGrowth } from "./derive/growth.ts";
import { buildGazetteer } from "./extract/entities.ts";
import { extractArticle } from "./extract/extract.ts";
import { parseArticles, type RawFile } from "./ingest/article.ts";
import { parseCsv } from "./ingest/csv.ts";
import { loadReference } from "./ingest/reference.ts";
import { registryFromRows, type RegistryEntry } from "./ingest/registry.ts";
import { normalizeFacts } from "./normalize/normalize.ts";
import { mergeFacts, type MergedRecord } from "./reconcile/merge.ts";
import { turnoverChecks } from "./reconcile/turnover.ts";
import { stableId } from "./ids.ts";
import { columnsOf, TABLES, type Dataset, type FactTable, type QaCheck, type Rejected } from "./schema/tables.ts";
import type { Article, ExtractResult, Reference } from "./types.ts";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const DEFAULT_INPUT = join(PROJECT_ROOT, "seeds");
export const DEFAULT_SOURCES = join(PROJECT_ROOT, "sources");
export const DEFAULT_OUTPUT = join(PROJECT_ROOT, "output");

const ARTICLE_FILE = /\.(?:txt|md)$/i;

/** Input end: the article files of a folder (not recursive), sorted by name. */
export async function readInputs(input: string): Promise<RawFile[]> {
  const names = (await readdir(input, { withFileTypes: true })).filter((d) => d.isFile() && ARTICLE_FILE.test(d.name)).map((d) => d.name).sort();
  const out: RawFile[] = [];
  // Bounded concurrency: an archive of 100,000 files must not open them all at once (EMFILE).
  for (let i = 0; i < names.length; i += 256) {
    out.push(...(await Promise.all(names.slice(i, i + 256).map(async (name) => ({ source_file: name, bytes: new Uint8Array(await readFile(join(input, name))) })))));
  }
  return out;
}

export async function readRegistry(sourcesDir: string): Promise<Map<string, RegistryEntry>> {
  return registryFromRows(parseCsv(await readFile(join(sourcesDir, "articles.csv"), "utf8")));
}

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
  const facts = normalizeFacts(extracted.flatMap((e) => e.facts), published, reference.fx);
  const merged = mergeFacts(facts);
  const { growth, qa: growthQa } = deriveGrowth(merged.records);
  const undated: QaCheck[] = articles
    .filter((a) => a.meta.published_date === null)
    .map((a) => ({ check_id: stableId("qa", "no_published_date", a.meta.article_id), check: "no_published_date", severity: "info", passed: null, table_name: "articles", record_id: null, article_id: a.meta.article_id, message: "article has no publication date: relative dates in it stay unresolved" }));
  return {
    articles: articles.map((a) => a.meta),
    trade_flows: rowsOf(merged.records, "trade_flows") as Dataset["trade_flows"],
    aid_shipments: rowsOf(merged.records, "aid_shipments") as Dataset["aid_shipments"],
    aid_items: merged.aid_items,
    contracts: rowsOf(merged.records, "contracts") as Dataset["contracts"],
    grants: rowsOf(merged.records, "grants") as Dataset["grants"],
    evidence: merged.evidence,
    growth_rates: growth,
    qa_checks: uniqueChecks([...extracted.flatMap((e) => e.qa), ...merged.qa, ...turnoverChecks(merged.records), ...growthQa, ...undated]),
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
