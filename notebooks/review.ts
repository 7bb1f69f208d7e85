import { table, text } from "../pipeline/report/blocks.ts";
import type { Row } from "../pipeline/report/db.ts";
import type { Notebook } from "../pipeline/report/types.ts";
import { reviewItems, REVIEW_QUEUE_FILE } from "../pipeline/publish/reviewQueue.ts";

function summary(items: { kind: string }[]): string {
  if (items.length === 0) return "Nothing to review: no conflicts, no records below the confidence threshold and no unplaced numbers.";
  const n = (kind: string, one: string, many: string) => {
    const count = items.filter((i) => i.kind === kind).length;
    return `${count} ${count === 1 ? one : many}`;
  };
  return `${items.length} ${items.length === 1 ? "item" : "items"}: ${n("conflict", "conflict item", "conflict items")} (one per record and article), ${n("needs_review", "record", "records")} marked needs_review and ${n("unplaced_number", "number", "numbers")} no table took. The same list, in the same order, is ${REVIEW_QUEUE_FILE} in the output folder; npm run review -- --article ID shows one article's facts, items and corrections.`;
}

export const review: Notebook = {
  id: "review",
  title: "Review queue",
  summary: "What a person should check: conflicts between articles, low-confidence records and numbers no table took, each with its sentence and a correction row to start from.",
  async run(_ds, db) {
    const items = await reviewItems(db);
    return [
      {
        title: "Items to review",
        blocks: [
          text(summary(items)),
          table("Review queue", items as unknown as Row[], ["kind", "article_id", "quote", "value_text", "reason", "confidence", "table_name", "record_id", "correction"]),
        ],
      },
    ];
  },
};
