import { stableId } from "../ids.ts";
import type { Articles, QaCheck } from "../schema/tables.ts";

/** Articles with no publication date: their relative dates stay unresolved, and the QA table says so. */
export function undatedChecks(articles: Articles[]): QaCheck[] {
  return articles
    .filter((a) => a.published_date === null)
    .map((a) => ({ check_id: stableId("qa", "no_published_date", a.article_id), check: "no_published_date", severity: "info", passed: null, table_name: "articles", record_id: null, article_id: a.article_id, message: "article has no publication date: relative dates in it stay unresolved" }));
}
