import { hash } from "node:crypto";

/** A short stable id from the parts of a key: the same key always gives the same id, whatever else is in the run. */
export function stableId(...parts: (string | number | null | undefined)[]): string {
  return idOfJson(JSON.stringify(parts));
}

/** The stableId of parts already written as a JSON array (callers that key maps by that string hash it as is). */
export function idOfJson(json: string): string {
  // One-shot hashing: a Hash object per id cost more than the digest itself.
  return hash("sha256", json, "hex").slice(0, 16);
}
