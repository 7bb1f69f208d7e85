import type { Dataset } from "../api/dataset.ts";

export interface ArticleRef {
  article_id: string;
  title: string | null;
  publisher: string | null;
  url: string | null;
  published_date: string | null;
}

export interface Sources {
  records: string[];
  articles: ArticleRef[];
}

/** Looks up, for a block's record ids, the articles that state them (through `evidence`). */
export type SourceLookup = (records: string[]) => Sources;

export function sourceLookup(ds: Dataset): SourceLookup {
  const links = ds.evidence.select("record_id", "article_id").dedupe().objects() as { record_id: string; article_id: string }[];
  const articles = ds.articles.select("article_id", "title", "publisher", "url", "published_date").objects() as ArticleRef[];
  const articleById = new Map(articles.map((a) => [a.article_id, a]));
  const articlesOf = new Map<string, string[]>();
  for (const { record_id, article_id } of links) articlesOf.set(record_id, [...(articlesOf.get(record_id) ?? []), article_id]);
  return (records) => {
    const ids = [...new Set(records.flatMap((r) => articlesOf.get(r) ?? []))].sort();
    return {
      records,
      articles: ids.map((id) => articleById.get(id) ?? { article_id: id, title: null, publisher: null, url: null, published_date: null }),
    };
  };
}
