/**
 * Merging one spilled part of the facts: facts sharing a merge key are always in the same part, so parts
 * merge independently, on any thread. Evidence rows go back to disk, by the first hex digit of their id
 * (the publisher reads them back in id order); the compact rest is returned.
 */
import { mergeFacts, type MergeResult } from "../reconcile/merge.ts";
import type { Evidence } from "../schema/tables.ts";
import type { ExtractedFact } from "../types.ts";
import { readSpilled, Spill } from "./spill.ts";

/** Evidence files per part, by the first hex digit of the id: in canonical order when read 0..f. */
export const EVIDENCE_BUCKETS = 16;

const FACTS = "facts";
const evidenceOf = (part: number) => `evidence-${String(part).padStart(4, "0")}`;

/** Where the run spills normalized facts, in `parts` parts by merge key. */
export const factSpill = (dir: string, parts: number) => new Spill<ExtractedFact>(dir, FACTS, parts);

export type PartMerge = Omit<MergeResult, "evidence">;

export async function mergePart(dir: string, part: number): Promise<PartMerge> {
  const { evidence, ...rest } = mergeFacts(await readSpilled<ExtractedFact>(dir, FACTS, part));
  const out = new Spill<Evidence>(dir, evidenceOf(part), EVIDENCE_BUCKETS);
  for (const e of evidence) await out.add(Number.parseInt(e.evidence_id[0]!, 16), e);
  await out.flush();
  return rest;
}

/** One bucket of evidence across all parts: the rows whose id starts with that hex digit. */
export async function readEvidenceBucket(dir: string, parts: number, bucket: number): Promise<Evidence[]> {
  const rows: Evidence[] = [];
  for (let p = 0; p < parts; p++) for (const e of await readSpilled<Evidence>(dir, evidenceOf(p), bucket)) rows.push(e);
  return rows;
}
