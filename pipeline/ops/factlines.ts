/**
 * One input file as an archive run moves it around: the parse outcome (the article's metadata row, or why
 * it was rejected), then its normalized facts serialized once, each with its merge key. It is the form the
 * cache keeps and the staging store takes as is; workers produce it, so the main thread never parses an article
 * or re-serializes a fact.
 *
 * Text format: line 1 is `{"meta": ...}` or `{"rejected": reason}`; for an article, line 2 is the JSON
 * array of its QA rows and every further line is a fact's merge key (JSON of factKey), a tab, and the fact
 * (JSON). All of it is ASCII JSON (ops/asciiJson.ts), which never holds a raw tab or newline.
 */
import type { ParsedArticle } from "../ingest/article.ts";
import { MAX_FACTS_PER_ARTICLE } from "../ingest/limits.ts";
import { normalizeFacts } from "../normalize/normalize.ts";
import { factKey, withPublished } from "../reconcile/keys.ts";
import type { Articles, QaCheck } from "../schema/tables.ts";
import type { Article, ExtractResult, FxRate } from "../types.ts";
import { asciiJson, oneByteAscii } from "./asciiJson.ts";

/** The lines of a file rejected with `reason`. */
export function rejectedLines(reason: string): string {
  return asciiJson({ rejected: reason });
}

export function articleLines(parsed: ParsedArticle, extract: (a: Article) => ExtractResult, fx: FxRate[]): string {
  if (!parsed.ok) return rejectedLines(parsed.rejected.reason);
  const { meta } = parsed.article;
  const result = extract(parsed.article);
  if (result.facts.length > MAX_FACTS_PER_ARTICLE) return rejectedLines(`too many facts (${result.facts.length}; limit ${MAX_FACTS_PER_ARTICLE}): split the file`);
  const lines = [asciiJson({ meta }), asciiJson(result.qa)];
  for (const f of normalizeFacts(result.facts, new Map([[meta.article_id, meta.published_date]]), fx)) lines.push(`${asciiJson(factKey(f))}\t${asciiJson(withPublished(f, meta.published_date))}`);
  return oneByteAscii(lines.join("\n"));
}

export type ArticleLines =
  | { rejected: string }
  | {
      meta: Articles;
      qa: QaCheck[];
      /** Merge key and fact JSON of every fact, in extraction order. */
      facts: { key: string; json: string }[];
    };

export function readArticleLines(text: string): ArticleLines {
  const lines = text.split("\n");
  const head = JSON.parse(lines[0]!) as { meta: Articles } | { rejected: string };
  if ("rejected" in head) return head;
  const facts = lines.slice(2).map((line) => {
    const tab = line.indexOf("\t");
    if (tab < 0) throw new Error("fact line without a merge key");
    return { key: line.slice(0, tab), json: line.slice(tab + 1) };
  });
  return { meta: head.meta, qa: JSON.parse(lines[1]!) as QaCheck[], facts };
}
