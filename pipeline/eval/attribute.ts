import type { Dataset, Evidence, FactTable } from "../schema/tables.ts";
import { AMOUNT_FIELDS, type RowOf } from "./fields.ts";

/** A record as one article predicts it: amounts replaced by that article's own stated figures. */
export interface Prediction<T extends FactTable = FactTable> {
  record_id: string;
  row: RowOf[T];
  /** This article's evidence for the record, by char_start. */
  evidence: Evidence[];
}

/** article_id → table → record_id → evidence rows. */
type EvidenceIndex = Map<string, Map<FactTable, Map<string, Evidence[]>>>;

/**
 * Records attributed to each article through evidence. A merged record (n_sources > 1) appears
 * under every article that states it, so each article's gold can claim it.
 */
export class Attribution {
  private readonly index: EvidenceIndex = new Map();
  private readonly rows = new Map<FactTable, Map<string, RowOf[FactTable]>>();

  constructor(private readonly dataset: Dataset) {
    for (const ev of dataset.evidence) {
      const byTable = this.index.get(ev.article_id) ?? new Map<FactTable, Map<string, Evidence[]>>();
      this.index.set(ev.article_id, byTable);
      const byRecord = byTable.get(ev.table_name) ?? new Map<string, Evidence[]>();
      byTable.set(ev.table_name, byRecord);
      byRecord.set(ev.record_id, [...(byRecord.get(ev.record_id) ?? []), ev]);
    }
  }

  /** The article's predictions for a table, in reading order (earliest evidence first). */
  predictions<T extends FactTable>(articleId: string, table: T): Prediction<T>[] {
    const byRecord = this.index.get(articleId)?.get(table);
    if (!byRecord) return [];
    const rows = this.rowsOf(table);
    const out: Prediction<T>[] = [];
    for (const [recordId, evidence] of byRecord) {
      const row = rows.get(recordId);
      if (!row) continue; // evidence for a record that was dropped: nothing to score
      const sorted = [...evidence].sort((a, b) => a.char_start - b.char_start);
      out.push({ record_id: recordId, row: statedAmounts(table, row, sorted), evidence: sorted });
    }
    const first = (p: Prediction<T>) => p.evidence[0]?.char_start ?? Infinity;
    return out.sort((a, b) => first(a) - first(b) || (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0));
  }

  private rowsOf<T extends FactTable>(table: T): Map<string, RowOf[T]> {
    let rows = this.rows.get(table);
    if (!rows) {
      rows = new Map((this.dataset[table] as RowOf[T][]).map((r) => [r.record_id, r]));
      this.rows.set(table, rows);
    }
    return rows as Map<string, RowOf[T]>;
  }
}

/**
 * Merged records keep the most precise value, but each article's gold lists the figure that
 * article states, so the article's own stated_value (first by position) wins per amount field.
 */
function statedAmounts<T extends FactTable>(table: T, row: RowOf[T], evidence: Evidence[]): RowOf[T] {
  const out: Record<string, unknown> = { ...row };
  for (const field of AMOUNT_FIELDS[table]) {
    const stated = evidence.find((e) => e.field === field && e.stated_value !== null);
    if (stated) out[field] = stated.stated_value;
  }
  return out as RowOf[T];
}
