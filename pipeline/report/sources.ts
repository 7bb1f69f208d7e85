import type { ReadOnlyDb } from "./db.ts";

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

export async function loadSourceLookup(db: ReadOnlyDb): Promise<SourceLookup> {
  const links = await db.rows("SELECT DISTINCT record_id, article_id FROM evidence");
  const articles = (await db.rows("SELECT article_id, title, publisher, url, published_date FROM articles")) as unknown as ArticleRef[];
  const articleById = new Map(articles.map((a) => [a.article_id, a]));
  const articlesOf = new Map<string, string[]>();
  for (const { record_id, article_id } of links) {
    const list = articlesOf.get(record_id as string) ?? [];
    list.push(article_id as string);
    articlesOf.set(record_id as string, list);
  }
  return (records) => {
    const ids = [...new Set(records.flatMap((r) => articlesOf.get(r) ?? []))].sort();
    return {
      records,
      articles: ids.map((id) => articleById.get(id) ?? { article_id: id, title: null, publisher: null, url: null, published_date: null }),
    };
  };
}
