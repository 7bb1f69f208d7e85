import { createHash } from "node:crypto";

/** A short stable id from the parts of a key: the same key always gives the same id, whatever else is in the run. */
export function stableId(...parts: (string | number | null | undefined)[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}
