/** Number wording for the notebooks' sentences. */

const ONE_DECIMAL = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** 987900000 → "$987.9 million"; 3000000000 → "$3 billion". */
export function usd(value: number): string {
  if (Math.abs(value) >= 1e9) return `$${ONE_DECIMAL.format(value / 1e9)} billion`;
  if (Math.abs(value) >= 1e6) return `$${ONE_DECIMAL.format(value / 1e6)} million`;
  return `$${ONE_DECIMAL.format(value)}`;
}

/** 108.29 → "grew 108.3%"; -45.48 → "fell 45.5%"; a change that rounds to 0 → "did not change". */
export function change(pct: number): string {
  const size = ONE_DECIMAL.format(Math.abs(pct));
  if (size === "0") return "did not change";
  return `${pct > 0 ? "grew" : "fell"} ${size}%`;
}

export function count(value: number, unit: string): string {
  return `${ONE_DECIMAL.format(value)} ${unit}`;
}

function lastDayOfMonth(iso: string): boolean {
  const next = new Date(`${iso}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}

/**
 * 2022-01-01..2022-12-31 → "2022"; whole months → "2023-01–2023-02" (or "2022-08"); other periods as
 * "start–end"; a single day as itself; null → "no stated period".
 */
export function period(start: unknown, end: unknown): string {
  if (typeof start !== "string" || typeof end !== "string") return "no stated period";
  if (start === end) return start;
  if (start.endsWith("-01-01") && end === `${start.slice(0, 4)}-12-31`) return start.slice(0, 4);
  if (start.endsWith("-01") && lastDayOfMonth(end)) {
    const [from, to] = [start.slice(0, 7), end.slice(0, 7)];
    return from === to ? from : `${from}–${to}`;
  }
  return `${start}–${end}`;
}

/** How a qualified number is read out ("more than 450 students" → "at least 450 students"). */
const QUALIFIER_WORDS: Record<string, string> = { exact: "", approx: "about ", at_least: "at least ", at_most: "at most " };

export function qualified(qualifier: unknown, text: string): string {
  return `${QUALIFIER_WORDS[String(qualifier)] ?? ""}${text}`;
}

/** A country, or a pair not involving Afghanistan, as a chart's colour category: what to show and the code its colour comes from. */
export interface Counterpart {
  label: string;
  code: string;
}

/**
 * The country a series is about, seen from Afghanistan: the other country of the pair; a pair without
 * Afghanistan (Russia–Uzbekistan) is its own category. `name` gives a code's display name.
 */
export function counterpart(a: string, b: string | null, name: (iso3: string) => string): Counterpart {
  if (b === null || b === a) return { label: name(a), code: a };
  if (a === "AFG") return { label: name(b), code: b };
  if (b === "AFG") return { label: name(a), code: a };
  return { label: `${name(a)}–${name(b)}`, code: `${a}–${b}` };
}

/** A code → name function over the countries table's rows; a code without a name reads as itself. */
export function countryNames(rows: Record<string, unknown>[]): (iso3: string) => string {
  const names = new Map(rows.map((r) => [r.iso3, r.name]));
  return (iso3) => (typeof names.get(iso3) === "string" ? (names.get(iso3) as string) : iso3);
}
