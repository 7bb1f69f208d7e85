/**
 * Unit words → canonical unit codes, and masses → metric tonnes (the contract's weight
 * unit; "tons" in these sources are metric tonnes). Pure.
 *
 * Scale words are the caller's job: "1.3 million tons" or "thousand tons" reach here as
 * amount 1_300_000 / 1_000 × n with unit "tons".
 */

export type CanonicalUnit =
  | "t" | "kg" | "l" | "m3" | "pcs" | "sets" | "railcars" | "trucks" | "containers"
  | "heads" | "bags" | "boxes" | "packages" | "kWh" | "MWh" | "GWh";

const UNIT_WORDS: Record<CanonicalUnit, string[]> = {
  t: ["t", "ton", "tons", "tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes", "mt"],
  kg: ["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"],
  l: ["l", "liter", "liters", "litre", "litres"],
  m3: ["m3", "m³", "cubic meter", "cubic meters", "cubic metre", "cubic metres"],
  // Not "items": in aid lists it names kinds of goods, not a count of pieces.
  pcs: ["pcs", "pc", "piece", "pieces", "unit", "units"],
  sets: ["set", "sets"],
  railcars: [
    "railcar", "railcars", "rail car", "rail cars", "railway car", "railway cars", "train car", "train cars",
    "wagon", "wagons", "railway wagon", "railway wagons", "freight wagon", "freight wagons",
    "rail tanker", "rail tankers", "tank car", "tank cars", "carriage", "carriages",
  ],
  // Not "vehicles": aid often *is* vehicles (ambulances, buses), so it is an item, not transport.
  trucks: ["truck", "trucks", "lorry", "lorries"],
  containers: ["container", "containers"],
  heads: ["head", "heads", "head of cattle", "head of livestock"],
  bags: ["bag", "bags", "sack", "sacks"],
  boxes: ["box", "boxes"],
  packages: ["package", "packages", "parcel", "parcels"],
  kWh: ["kwh", "kilowatt-hour", "kilowatt-hours", "kilowatt hour", "kilowatt hours"],
  MWh: ["mwh", "megawatt-hour", "megawatt-hours", "megawatt hour", "megawatt hours"],
  GWh: ["gwh", "gigawatt-hour", "gigawatt-hours", "gigawatt hour", "gigawatt hours"],
};

const WORD_TO_UNIT = new Map(
  (Object.entries(UNIT_WORDS) as [CanonicalUnit, string[]][]).flatMap(([unit, words]) => words.map((w) => [w, unit] as const)),
);

/** Canonical code for a unit word (case-insensitive; "Kg." and "kg" agree), or null. */
export function canonicalUnit(word: string): CanonicalUnit | null {
  const key = word.trim().toLowerCase().replace(/\s+/g, " ").replace(/\.$/, "");
  return WORD_TO_UNIT.get(key) ?? null;
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
