/**
 * Unit words → canonical unit codes, and masses → metric tonnes (the contract's weight
 * unit; "tons" in these sources are metric tonnes). Pure.
 *
 * Scale words are the caller's job: "1.3 million tons" or "thousand tons" reach here as
 * amount 1_300_000 / 1_000 × n with unit "tons". The words are in sources/lexicon/units.csv.
 */
import { lexicon } from "../extract/lexicon.ts";

export type CanonicalUnit =
  | "t" | "kg" | "l" | "m3" | "pcs" | "sets" | "railcars" | "trucks" | "containers"
  | "heads" | "bags" | "boxes" | "packages" | "kWh" | "MWh" | "GWh";

/** A unit form of sources/lexicon/units.csv. */
export interface UnitForm {
  form: string;
  unit: string;
  /** Tonnes per unit for masses (1 for tons, 0.001 for kilograms), else null. */
  tonnes: number | null;
  /** Whether only the number scanner reads it: counted nouns (students, agreements) or readings normalize does not guess. */
  scanOnly: boolean;
}

/** Every unit form, read once. */
export const UNIT_FORMS: readonly UnitForm[] = lexicon("units").map((r) => ({
  form: r.form!,
  unit: r.unit!,
  tonnes: r.tonnes ? Number(r.tonnes) : null,
  scanOnly: r.scope === "scan",
}));

/** Lower case, single spaces, no trailing full stop ("Kg." and "kg" agree). */
export function unitKey(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, " ").replace(/\.$/, "");
}

const WORD_TO_UNIT = new Map(UNIT_FORMS.filter((f) => !f.scanOnly).map((f) => [unitKey(f.form), f.unit as CanonicalUnit] as const));

/** Canonical code for a unit word (case-insensitive; "Kg." and "kg" agree), or null. */
export function canonicalUnit(word: string): CanonicalUnit | null {
  return WORD_TO_UNIT.get(unitKey(word)) ?? null;
}

/** Mass in whole grams, so that sums of parts are exact integers (sub-gram detail is dropped). */
function grams(amount: number, unit: string): number | null {
  const u = canonicalUnit(unit);
  if (u === "t") return Math.round(amount * 1e6);
  if (u === "kg") return Math.round(amount * 1e3);
  return null;
}

/** Metric tonnes for a mass in tonnes or kilograms; null for any other unit. */
export function toTonnes(amount: number, unit: string): number | null {
  const g = grams(amount, unit);
  return g === null ? null : g / 1e6;
}

/**
 * Sum of a compound mass ("272 tons 728 kilograms") in tonnes. Adding the parts in
 * integer grams and dividing once gives exactly 272.728, where adding floating-point
 * tonnes can leave binary noise (0.1 + 0.2 ≠ 0.3). Null if any part is not a mass.
 */
export function sumTonnes(parts: { amount: number; unit: string }[]): number | null {
  let total = 0;
  for (const { amount, unit } of parts) {
    const g = grams(amount, unit);
    if (g === null) return null;
    total += g;
  }
  return total / 1e6;
}
