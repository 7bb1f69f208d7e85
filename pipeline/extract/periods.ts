import { spelledValue } from "./spelled.ts";
import { lexicon } from "./lexicon.ts";

export interface Period {
  start: string;
  end: string;
}

/** A period or date expression found in a sentence. */
export interface PeriodMention {
  start: number;
  end: number;
  text: string;
  /**
   * period: the span a figure covers; date: a day (event date); comparative: a base period stated
   * relative to the figure's own period ("the previous year", "the same period in 2023", "compared to August 2022");
   * duration: a length with no anchor ("in six months"); span: days around publication an event fell in, not one
   * day nor a period a figure covers ("last week", "earlier this week").
   */
  kind: "period" | "date" | "comparative" | "duration" | "span";
  /** For comparatives: the base period when the text names it ("compared to August 2022"), else null. */
  period: Period | null;
  /** Calendar months covered within one calendar year, when known even though the year is not ("first half of this year" with no publication date); null for spans across a year end or in the solar calendar. */
  months: [number, number] | null;
  /** For comparatives: the year it names ("same period in 2023"), else null = shift the figure's period back a year. */
  year: number | null;
  /** Why a relative expression could not be resolved (no publication date, no fiscal calendar), else null. */
  unresolved: string | null;
}

/**
 * A country's fiscal year: a Gregorian one starts on a month's first day; a solar one is the Hijri Shamsi year
 * (Afghanistan, Iran), which starts at Nowruz.
 */
export interface FiscalCalendar {
  iso3: string;
  month: number;
  solar: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const SH = String.raw`1[34]\d{2}`;
const SMALL = String.raw`(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const ORD = String.raw`(?:first|second|third|fourth|1st|2nd|3rd|4th)`;
const YREF = String.raw`(?:(?:of\s|in\s)?(?:the\s)?(?:(${YEAR})|(this|last|previous|current|next|past)\s(?:calendar\s)?year))`;
const WEEKDAY = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`;
const DASH = String.raw`\s?(?:-|–|—)\s?`;
const SOLAR_WORD = String.raw`(?:solar|hijri|shamsi|persian|iranian|afghan)`;
const FISCAL_WORD = String.raw`(?:fiscal|financial|budget)`;
/** Years named by a split label or by what follows are fiscal; these say the span is of another kind. */
const NOT_FISCAL = String.raw`(?!\s(?:academic|school|season|marketing|crop|harvest|sowing|session)\b)`;

function monthNo(s: string): number {
  return MONTHS.indexOf(s.slice(0, 3).toLowerCase()) + 1;
}

function smallNo(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : spelledValue(s) ?? 0;
}

function ordinal(s: string): number {
  return ["first", "second", "third", "fourth"].indexOf(s.toLowerCase().replace(/^1st$/, "first").replace(/^2nd$/, "second").replace(/^3rd$/, "third").replace(/^4th$/, "fourth")) + 1;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month; counted without a Date for the years and months written in text (Date.UTC reads 0-99 as 19xx). */
function lastDay(year: number, month: number): number {
  if (!Number.isInteger(year) || year < 100 || year > 9999 || !Number.isInteger(month) || month < 1 || month > 12) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

export function monthsPeriod(year: number, m1: number, m2: number): Period {
  return { start: `${year}-${pad(m1)}-01`, end: `${year}-${pad(m2)}-${pad(lastDay(year, m2))}` };
}

function day(year: number, month: number, d: number): Period | null {
  if (month < 1 || d < 1 || d > lastDay(year, month)) return null;
  const s = `${year}-${pad(month)}-${pad(d)}`;
  return { start: s, end: s };
}

// ---- The solar (Hijri Shamsi) calendar: months 1-6 have 31 days, 7-11 have 30, 12 has 29 (30 in a leap year).

const DAY_MS = 86400000;
/** 1 Hamal/Farvardin 1400 fell on 21 March 2021: the anchor the other years are counted from. */
const NOWRUZ_1400 = Date.UTC(2021, 2, 21);
const SOLAR_MIN = 1340;
const SOLAR_MAX = 1480;

/** The 33-year leap cycle, which agrees with the astronomical calendar in the years news writes about. */
function solarLeap(sh: number): boolean {
  return [1, 5, 9, 13, 17, 22, 26, 30].includes(((sh % 33) + 33) % 33);
}

function nowruz(sh: number): number {
  let t = NOWRUZ_1400;
  for (let y = 1400; y < sh; y++) t += (solarLeap(y) ? 366 : 365) * DAY_MS;
  for (let y = 1399; y >= sh; y--) t -= (solarLeap(y) ? 366 : 365) * DAY_MS;
  return t;
}

/** Days before the first of a solar month. */
function solarOffset(month: number): number {
  return month <= 7 ? (month - 1) * 31 : 186 + (month - 7) * 30;
}

function solarMonthDays(sh: number, month: number): number {
  return month <= 6 ? 31 : month <= 11 ? 30 : solarLeap(sh) ? 30 : 29;
}

function isoOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function solarSpan(sh: number, m1: number, m2: number): Period {
  const start = nowruz(sh);
  return { start: isoOf(start + solarOffset(m1) * DAY_MS), end: isoOf(start + (solarOffset(m2) + solarMonthDays(sh, m2) - 1) * DAY_MS) };
}

/** The solar year a Gregorian date falls in. */
function solarYearOf(year: number, month: number, d: number): number {
  return Date.UTC(year, month - 1, d) >= nowruz(year - 621) ? year - 621 : year - 622;
}

// ---- Fiscal calendars, by country (sources/lexicon/fiscal_years.csv).

let fiscalRows: Map<string, FiscalCalendar> | null = null;

/** The fiscal calendar of a country, or null when the lexicon does not know it. */
export function fiscalCalendarOf(iso3: string | null): FiscalCalendar | null {
  if (!fiscalRows) {
    fiscalRows = new Map();
    for (const r of lexicon("fiscal_years")) {
      const [month, d] = r.start!.split("-").map(Number);
      if (d !== 1 || !(month! >= 1 && month! <= 12)) throw new Error(`sources/lexicon/fiscal_years.csv: ${r.iso3} must start on the first of a month`);
      fiscalRows.set(r.iso3!, { iso3: r.iso3!, month: month!, solar: r.calendar === "solar" });
    }
  }
  return iso3 ? (fiscalRows.get(iso3) ?? null) : null;
}

/**
 * Whose fiscal year a sentence's "2023-24" is: the one country other than Afghanistan that the sentence names with
 * a known fiscal calendar (Afghanistan is the partner in every story here, so naming it decides nothing); else the
 * article's main pair, its non-Afghan country first; else none, and fiscal years stay unresolved.
 */
export function calendarFor(named: readonly string[], pair: readonly (string | null)[]): FiscalCalendar | null {
  const known = [...new Set(named)].filter((c) => c !== "AFG" && fiscalCalendarOf(c));
  if (known.length === 1) return fiscalCalendarOf(known[0]!);
  const ordered = [...pair.filter((c) => c !== "AFG"), ...pair.filter((c) => c === "AFG")];
  for (const c of ordered) if (fiscalCalendarOf(c)) return fiscalCalendarOf(c);
  return null;
}

/** Whether a fiscal year runs across two calendar years (so "2023-24" can name it). */
function splitYear(cal: FiscalCalendar): boolean {
  return cal.solar || cal.month !== 1;
}

/** Fiscal months k1..k2 (1 = the first month of the year) of the fiscal year that starts in Gregorian year fy. */
function fiscalSpan(cal: FiscalCalendar, fy: number, k1: number, k2: number): { period: Period; months: [number, number] | null } {
  if (cal.solar) return { period: solarSpan(fy - 621, k1, k2), months: null };
  const m1 = ((cal.month - 1 + k1 - 1) % 12) + 1;
  const y1 = fy + Math.floor((cal.month - 1 + k1 - 1) / 12);
  const m2 = ((cal.month - 1 + k2 - 1) % 12) + 1;
  const y2 = fy + Math.floor((cal.month - 1 + k2 - 1) / 12);
  return { period: { start: `${y1}-${pad(m1)}-01`, end: `${y2}-${pad(m2)}-${pad(lastDay(y2, m2))}` }, months: y1 === y2 ? [m1, m2] : null };
}

/** The Gregorian year in which the fiscal year holding a date starts. */
function fiscalYearOf(cal: FiscalCalendar, pub: Published): number {
  if (cal.solar) return solarYearOf(pub.year, pub.month, pub.day) + 621;
  return pub.month >= cal.month ? pub.year : pub.year - 1;
}

const SOLAR: FiscalCalendar = { iso3: "", month: 1, solar: true };
const GREGORIAN: FiscalCalendar = { iso3: "", month: 1, solar: false };

interface Published {
  year: number;
  month: number;
  day: number;
  iso: string;
}

/** The last date parsed: every sentence of an article is read against the same one. */
let lastPublished: Published | null = null;

function parsePublished(iso: string | null): Published | null {
  if (!iso) return null;
  if (lastPublished?.iso === iso) return lastPublished;
  const [y, m, d] = iso.split("-").map(Number);
  return (lastPublished = { year: y!, month: m!, day: d!, iso });
}

const NO_DATE = "relative date and the article has no publication date";
const NO_FISCAL = "fiscal year: its start month depends on the reporting country, and no country with a known fiscal calendar is named";

/** What a pattern makes of a match; the scanner adds where it stands. */
type Built = Omit<PeriodMention, "start" | "end" | "text"> & {
  /** The year this mention sets for the bare relative ones that follow it in the text ("last year ... in the first quarter"). */
  anchor?: { cal: FiscalCalendar; fy: number };
};

interface Scope {
  pub: Published | null;
  fiscal: FiscalCalendar | null;
  /** The year-setting mention nearest before a place, among those found so far. */
  anchorBefore(at: number): { cal: FiscalCalendar; fy: number } | null;
  /** Whether an earlier pattern found a comparative naming a month and year ("compared to August 2022"). */
  comparedMonth(): { month: number; year: number } | null;
}

/** Every English month name begins so. */
const MONTH_GATE = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;

interface Pattern {
  /** A cheap test every match passes: a text that fails it is not searched with `re`, which most sentences would fail slowly. */
  gate: RegExp;
  re: RegExp;
  build: (m: RegExpExecArray, s: Scope) => Built | null;
}

/** Resolves a year reference: an explicit year, or this/last/next year against publication. */
function yearOf(explicit: string | undefined, relative: string | undefined, pub: Published | null): number | null | "unresolved" {
  if (explicit) return Number(explicit);
  if (!relative) return null;
  if (!pub) return "unresolved";
  const r = relative.toLowerCase();
  return r === "last" || r === "previous" || r === "past" ? pub.year - 1 : r === "next" ? pub.year + 1 : pub.year;
}

function span(kind: PeriodMention["kind"], year: number | null | "unresolved", m1: number, m2: number): Built {
  if (year === "unresolved") return { kind, period: null, months: [m1, m2], year: null, unresolved: NO_DATE };
  if (year === null) return { kind, period: null, months: [m1, m2], year: null, unresolved: "no year stated" };
  return { kind, period: monthsPeriod(year, m1, m2), months: [m1, m2], year, unresolved: null };
}

function unresolved(reason: string, months: [number, number] | null = null): Built {
  return { kind: "period", period: null, months, year: null, unresolved: reason };
}

/** Months of a year that a qualifier names: a quarter, a half, the first n months, a range of months (1-based within the year). */
function qualifierMonths(g: Record<string, string | undefined>, monthOf: (s: string) => number): [number, number] | null {
  if (g.q) {
    const q = /^last$/i.test(g.q) ? 4 : ordinal(g.q);
    return [q * 3 - 2, q * 3];
  }
  if (g.h) return ordinal(g.h) === 1 ? [1, 6] : [7, 12];
  if (g.n) {
    const n = smallNo(g.n);
    return n >= 1 && n <= 12 ? [1, n] : null;
  }
  if (g.ma) {
    const a = monthOf(g.ma);
    const b = g.mb ? monthOf(g.mb) : a;
    return a >= 1 && b >= 1 ? [a, b] : null;
  }
  return [1, 12];
}

const QUALIFIER = (month: string) =>
  String.raw`(?:(?:the\s)?(?<q>${ORD}|last)\squarter|(?:the\s)?(?<h>first|second|1st|2nd)\shalf|(?:the\s)?(?:first\s)?(?<n>${SMALL})\smonths|(?:the\s(?:months?\sof\s)?)?(?<ma>${month})(?:\s?(?:-|–|—|to|through|and)\s?(?<mb>${month}))?)(?:\s\([^()]{1,40}\))?\s(?:of|in)\s(?:the\s)?`;

let solarMonthNames: Map<string, number> | null = null;

function solarMonths(): Map<string, number> {
  if (!solarMonthNames) {
    solarMonthNames = new Map();
    for (const r of lexicon("solar_months")) solarMonthNames.set(r.name!.toLowerCase(), Number(r.month));
  }
  return solarMonthNames;
}

function solarMonthNo(s: string): number {
  return solarMonths().get(s.toLowerCase()) ?? 0;
}

const SOLAR_MONTH = () => String.raw`(?:${[...solarMonths().keys()].join("|")})`;
const REL = String.raw`(?:current|this|last|previous|past|next|ongoing|preceding)`;
const REL_DELTA: Record<string, number> = { current: 0, this: 0, ongoing: 0, last: -1, previous: -1, past: -1, preceding: -1, next: 1, subsequent: 1, following: 1 };

/** A solar year named by its number or by its place before or after publication; the number wins when both are written. */
const SOLAR_REF = String.raw`(?:(?<srel>${REL})\s)?(?:${SOLAR_WORD}\s(?:(?:solar|calendar|hijri|shamsi)\s)?(?:(?:fiscal|financial)\s)?year(?:\s(?<sh1>${SH}))?|(?<sh2>${SH})\s(?:solar|hijri|shamsi|SH|AP)\b(?:\s(?:(?:fiscal|financial)\s)?year)?|(?:(?:fiscal|financial)\s)?year\s(?<sh3>${SH})(?:\s\(${SOLAR_WORD}(?:\s(?:calendar|year))?\))?|(?<sh4>${SH})\s(?:fiscal|financial)\syear|(?<sh5>${SH})\s\(${SOLAR_WORD}(?:\s(?:calendar|year))?\))`;

function solarPeriod(sh: number, months: [number, number]): Built | null {
  if (sh < SOLAR_MIN || sh > SOLAR_MAX || months[0] > months[1]) return null;
  return { kind: "period", period: solarSpan(sh, months[0], months[1]), months: null, year: sh + 621, unresolved: null, anchor: { cal: SOLAR, fy: sh + 621 } };
}

/** A fiscal year's label: "2023-24", "FY2022-23", "FY23", "fiscal year 2020-21", "fiscal 2023", "2023-2024 fiscal year". */
const FY_LABEL = String.raw`(?:${FISCAL_WORD}\s(?:year\s)?(?:of\s)?(?<fa>${YEAR})(?:\s?[-–/]\s?(?<fb>\d{2}(?!\d)|${YEAR}))?|FY\s?'?(?<fc>${YEAR}|\d{2}(?!\d))(?:\s?[-–/]\s?(?<fd>\d{2}(?!\d)|${YEAR}))?|(?<fe>${YEAR})\s?[-–/]\s?(?:(?<ff>\d{2})(?![\d/-])|(?<fg>${YEAR})(?=\s${FISCAL_WORD}))(?:\s${FISCAL_WORD}(?:\syear)?)?${NOT_FISCAL}|(?<frel>${REL}|subsequent|following)\s(?:fiscal(?:\syear)?|(?:financial|budget)\syear|FY)\b)`;

/** The Gregorian year a fiscal label's year starts in, or why it cannot be told. */
function fiscalStart(g: Record<string, string | undefined>, cal: FiscalCalendar, s: Scope, at: number): number | string {
  const full = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
  const first = g.fa ?? g.fc ?? g.fe;
  const second = g.fb ?? g.fd ?? g.ff ?? g.fg;
  if (first && second) {
    const a = full(first);
    const b = second.length === 2 ? Math.floor(a / 100) * 100 + Number(second) : Number(second);
    if (b !== a + 1) return "not one fiscal year";
    return splitYear(cal) ? a : `a fiscal year across two calendar years, but ${cal.iso3}'s is the calendar year`;
  }
  // A single year names the fiscal year it ends in ("FY23" = 2022-23 in Pakistan).
  if (first) return splitYear(cal) ? full(first) - 1 : full(first);
  const rel = g.frel!.toLowerCase();
  if (rel === "subsequent" || rel === "following") {
    const before = s.anchorBefore(at);
    return before && before.cal === cal ? before.fy + 1 : "no earlier fiscal year for it to follow";
  }
  return s.pub ? fiscalYearOf(cal, s.pub) + REL_DELTA[rel]! : NO_DATE;
}

/** Most specific first: the scanner keeps the first match at each position and skips overlaps. */
function patterns(): Pattern[] {
  return [
    {
      // "compared to August 2022": a base period the text names
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:compared\s(?:to|with)|than(?:\sin)?|against|versus|vs\.?)\s(?:in\s)?(?:the\s)?(${MONTH})(?:\sof)?,?\s(${YEAR})\b`, "g"),
      build: (m) => ({ kind: "comparative", period: monthsPeriod(Number(m[2]), monthNo(m[1]!), monthNo(m[1]!)), months: [monthNo(m[1]!), monthNo(m[1]!)], year: Number(m[2]), unresolved: null }),
    },
    {
      // "the same period in 2023", "the same month of last fiscal year", "the previous year", "a year earlier"
      gate: /same|previous|preceding|year|earlier|before|ago|figure|level|compared|than|against|versus|vs/i,
      re: new RegExp(
        String.raw`\b(?:(?:the\s)?same\s(?:period|month|quarter|time)(?:\s(?:of|in|during))?(?:\s(?:the\s)?(?:(${YEAR})|(?:last|previous|past|preceding)(?:\s(?:fiscal|financial|solar|calendar|iranian|persian))?(?:\s(?:year|FY))?))?|(?:the\s)?previous year|the year before|a year (?:earlier|ago|before)|(?:against|over|compared (?:to|with)|than|versus|vs\.?)\s(?:the\s)?(?:last|previous) year|(?:compared (?:to|with)|than(?: in)?|against|versus|vs\.?|(?:the\s)?figures?\s(?:for|of|in)|(?:the\s)?level\s(?:of|in))\s(?:in\s)?(${YEAR}))\b`,
        "gi",
      ),
      build: (m) => ({ kind: "comparative", period: null, months: null, year: m[1] ? Number(m[1]) : m[2] ? Number(m[2]) : null, unresolved: null }),
    },
    {
      // "the first quarter of the 1400 solar fiscal year", "the first nine months of the current Iranian calendar year", "solar year 1401"
      gate: /solar|hijri|shamsi|persian|iranian|afghan|\b1[34]\d{2}\b/i,
      re: new RegExp(String.raw`\b(?:${QUALIFIER(SOLAR_MONTH())})?${SOLAR_REF}`, "gi"),
      build: (m, s) => {
        const g = m.groups!;
        const months = qualifierMonths(g, solarMonthNo);
        if (!months) return null;
        const explicit = g.sh1 ?? g.sh2 ?? g.sh3 ?? g.sh4 ?? g.sh5;
        if (explicit) return solarPeriod(Number(explicit), months);
        if (!g.srel) return unresolved("solar year without its number");
        if (!s.pub) return unresolved(NO_DATE);
        return solarPeriod(solarYearOf(s.pub.year, s.pub.month, s.pub.day) + REL_DELTA[g.srel.toLowerCase()]!, months);
      },
    },
    {
      // "15 Hamal 1402", "Hamal 1402": a day or month of a numbered solar year
      gate: /\b1[34]\d{2}\b/,
      re: new RegExp(String.raw`\b(?:(\d{1,2})\s)?(${SOLAR_MONTH()})\s(${SH})\b`, "gi"),
      build: (m) => {
        const sh = Number(m[3]);
        const mo = solarMonthNo(m[2]!);
        if (sh < SOLAR_MIN || sh > SOLAR_MAX) return null;
        if (!m[1]) return solarPeriod(sh, [mo, mo]);
        const d = Number(m[1]);
        if (d < 1 || d > solarMonthDays(sh, mo)) return null;
        const iso = isoOf(nowruz(sh) + (solarOffset(mo) + d - 1) * DAY_MS);
        return { kind: "date", period: { start: iso, end: iso }, months: null, year: null, unresolved: null };
      },
    },
    {
      // "2023-05-12": an ISO date, not a fiscal year or a year
      gate: /\d{4}-\d\d-\d\d/,
      re: new RegExp(String.raw`\b(${YEAR})-(\d{2})-(\d{2})\b`, "g"),
      build: (m) => {
        const p = day(Number(m[1]), Number(m[2]), Number(m[3]));
        return p ? { kind: "date", period: p, months: null, year: Number(m[1]), unresolved: null } : null;
      },
    },
    {
      // "July-June (2023-24)": the months name the fiscal year, whoever's it is
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(${MONTH})${DASH}(${MONTH})\s\(\s?(${YEAR})\s?[-–/]\s?(\d{2}|${YEAR})\s?\)`, "g"),
      build: (m) => {
        const a = monthNo(m[1]!);
        const b = monthNo(m[2]!);
        const y = Number(m[3]);
        if (b !== (a + 10) % 12 + 1 || Number(m[4]!.slice(-2)) !== (y + 1) % 100) return null;
        return { kind: "period", ...fiscalSpan({ iso3: "", month: a, solar: false }, y, 1, 12), year: y, unresolved: null };
      },
    },
    {
      // "the first quarter (July to September) of the FY2022-23", "the 2024-25 fiscal year", "the ongoing fiscal"
      gate: /fiscal|financial|budget|\bFY|\d{4}\s?[-–/]\s?\d/i,
      re: new RegExp(String.raw`\b(?:${QUALIFIER(MONTH)})?(?:the\s)?${FY_LABEL}`, "gi"),
      build: (m, s) => {
        const g = m.groups!;
        // "may in the 2023-24 fiscal year" is not the month: the pattern ignores case for the rest.
        if (g.ma && /^[a-z]/.test(g.ma)) return null;
        if (!s.fiscal) return unresolved(NO_FISCAL);
        const cal = s.fiscal;
        let fiscalMonths: [number, number] | null;
        if (g.ma) {
          // Calendar months, counted from the fiscal year's first.
          const a = monthNo(g.ma);
          const b = g.mb ? monthNo(g.mb) : a;
          fiscalMonths = cal.solar ? null : [((a - cal.month + 12) % 12) + 1, ((b - cal.month + 12) % 12) + 1];
        } else fiscalMonths = qualifierMonths(g, monthNo);
        if (!fiscalMonths || fiscalMonths[0] > fiscalMonths[1]) return unresolved(cal.solar ? "calendar months of a solar fiscal year" : "months outside the fiscal year");
        const fy = fiscalStart(g, cal, s, m.index);
        if (typeof fy === "string") return unresolved(fy);
        return { kind: "period", ...fiscalSpan(cal, fy, fiscalMonths[0], fiscalMonths[1]), year: fy, unresolved: null, anchor: { cal, fy } };
      },
    },
    {
      // "March 2024-March 2025" is the solar year that starts that March; "July 2023 to June 2024" the months between
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:from\s)?(${MONTH}),?\s(${YEAR})(?:${DASH}|\s(?:to|through|until)\s)(${MONTH}),?\s(${YEAR})\b`, "g"),
      build: (m) => {
        const a = monthNo(m[1]!);
        const ya = Number(m[2]);
        const b = monthNo(m[3]!);
        const yb = Number(m[4]);
        if (a === 3 && b === 3 && yb === ya + 1) return solarPeriod(ya - 621, [1, 12]);
        if (yb * 12 + b <= ya * 12 + a) return null;
        return { kind: "period", period: { start: `${ya}-${pad(a)}-01`, end: monthsPeriod(yb, b, b).end }, months: ya === yb ? [a, b] : null, year: ya, unresolved: null };
      },
    },
    {
      // "March 21- December 21, 2022", "from March 20 to June 20", "from 1 to 6 September 2025"
      gate: MONTH_GATE,
      re: new RegExp(
        String.raw`\b(?:from\s|between\s)?(?:(${MONTH})\s(\d{1,2})(?:st|nd|rd|th)?(?:${DASH}|\s(?:to|through|until)\s)(${MONTH})?\s?(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s(?:(${MONTH})\s)?(?:${DASH}|\s?(?:to|through|until)\s)(\d{1,2})(?:st|nd|rd|th)?\s(${MONTH}))(?:,?\s(${YEAR}))?\b`,
        "g",
      ),
      build: (m, s) => {
        const [ma, da, mb, db] = m[1] ? [monthNo(m[1]), Number(m[2]), m[3] ? monthNo(m[3]) : monthNo(m[1]), Number(m[4])] : [m[6] ? monthNo(m[6]) : monthNo(m[8]!), Number(m[5]), monthNo(m[8]!), Number(m[7])];
        let yb: number;
        if (m[9]) yb = Number(m[9]);
        else if (s.pub) yb = mb > s.pub.month || (mb === s.pub.month && db > s.pub.day) ? s.pub.year - 1 : s.pub.year;
        else return unresolved(NO_DATE);
        const ya = ma * 100 + da <= mb * 100 + db ? yb : yb - 1;
        const from = day(ya, ma, da);
        const to = day(yb, mb, db);
        if (!from || !to) return null;
        return { kind: "period", period: { start: from.start, end: to.end }, months: null, year: ya, unresolved: null };
      },
    },
    {
      // "January-February of 2023", "between January and February 2023", "January–May this year"
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:between\s)?(${MONTH})\s?(?:-|–|—|to|through|and)\s?(${MONTH}),?\s${YREF}`, "gi"),
      build: (m, s) => span("period", yearOf(m[3], m[4], s.pub), monthNo(m[1]!), monthNo(m[2]!)),
    },
    {
      // "first five months of this year", "in 5 months of 2023", "nine months of last year"
      gate: /months/i,
      re: new RegExp(String.raw`\b(?:(?:the\s)?first\s)?(${SMALL})\smonths\s${YREF}`, "gi"),
      build: (m, s) => span("period", yearOf(m[2], m[3], s.pub), 1, smallNo(m[1]!)),
    },
    {
      // "first half of 2022", "the second half of this year"
      gate: /half/i,
      re: new RegExp(String.raw`\b(?:the\s)?(first|second|1st|2nd)\shalf\s${YREF}`, "gi"),
      build: (m, s) => (ordinal(m[1]!) === 1 ? span("period", yearOf(m[2], m[3], s.pub), 1, 6) : span("period", yearOf(m[2], m[3], s.pub), 7, 12)),
    },
    {
      // "first quarter of 2023", "Q1 2023", "the third quarter of last year"
      gate: /quarter|\bQ[1-4]/i,
      re: new RegExp(String.raw`\b(?:(?:the\s)?(${ORD})\squarter|Q([1-4]))\s${YREF}`, "gi"),
      build: (m, s) => {
        const q = m[2] ? Number(m[2]) : ordinal(m[1]!);
        return span("period", yearOf(m[3], m[4], s.pub), q * 3 - 2, q * 3);
      },
    },
    {
      // Business-press shorthand: "4M23", "9M2023", "1H23", "H1 2023", "1Q23"
      gate: /\d[MHQ]|[HQ][1-4]/,
      re: /\b(?:(\d{1,2})M|([12])H|H([12])\s?|([1-4])Q|Q([1-4])\s?)((?:20)?\d{2})\b/g,
      build: (m) => {
        const y = m[6]!.length === 2 ? 2000 + Number(m[6]) : Number(m[6]);
        if (m[1]) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? span("period", y, 1, Number(m[1])) : null;
        const h = Number(m[2] ?? m[3] ?? 0);
        if (h) return span("period", y, h === 1 ? 1 : 7, h === 1 ? 6 : 12);
        const q = Number(m[4] ?? m[5]);
        return span("period", y, q * 3 - 2, q * 3);
      },
    },
    {
      // "on April 26", "Dec. 25, 2021", "April 26, 2024"
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(${MONTH})\s(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s(${YEAR}))?`, "g"),
      build: (m, s) => dateOf(Number(m[2]), monthNo(m[1]!), m[3], s.pub),
    },
    {
      // "15 April", "25 September 2025"
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s(?:of\s)?(${MONTH})(?:,?\s(${YEAR}))?\b`, "g"),
      build: (m, s) => dateOf(Number(m[1]), monthNo(m[2]!), m[3], s.pub),
    },
    {
      // "In August of last year", "in April 2025", "last October"
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:(${MONTH})\s${YREF}|([Ll]ast|[Tt]his|[Nn]ext)\s(${MONTH}))`, "g"),
      build: (m, s) => {
        if (m[1]) return span("period", yearOf(m[2], m[3], s.pub), monthNo(m[1]), monthNo(m[1]));
        const mo = monthNo(m[5]!);
        if (!s.pub) return span("period", "unresolved", mo, mo);
        const rel = m[4]!.toLowerCase();
        const y = rel === "last" ? (mo < s.pub.month ? s.pub.year : s.pub.year - 1) : rel === "next" ? (mo > s.pub.month ? s.pub.year : s.pub.year + 1) : s.pub.year;
        return span("period", y, mo, mo);
      },
    },
    {
      // "from January to May", "between April and June": the latest such months up to publication
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:(?:from|between|in|during)\s)?(${MONTH})(?:${DASH}|\s(?:to|through|until)\s|(?<=between\s\S+)\sand\s)(${MONTH})\b`, "g"),
      build: (m, s) => {
        const a = monthNo(m[1]!);
        const b = monthNo(m[2]!);
        if (b < a) return null;
        return span("period", s.pub ? (b > s.pub.month ? s.pub.year - 1 : s.pub.year) : "unresolved", a, b);
      },
    },
    {
      // "in the past six months", "over the past five years", "the last 3 years"
      gate: /past|last|previous/i,
      re: new RegExp(String.raw`\b(?:in|over|during|for)?\s?the\s(?:past|last|previous)\s(${SMALL})\s(months|years)\b`, "gi"),
      build: (m, s) => {
        const n = smallNo(m[1]!);
        const pub = s.pub;
        if (!pub || n < 1) return unresolved(NO_DATE);
        if (/^y/i.test(m[2]!)) return { kind: "period", period: { start: `${pub.year - n}-01-01`, end: `${pub.year - 1}-12-31` }, months: null, year: null, unresolved: null };
        const endMonth = pub.month - 1 || 12;
        const endYear = pub.month === 1 ? pub.year - 1 : pub.year;
        const startIdx = endYear * 12 + endMonth - n;
        return { kind: "period", period: { start: `${Math.floor(startIdx / 12)}-${pad((startIdx % 12) + 1)}-01`, end: monthsPeriod(endYear, endMonth, endMonth).end }, months: null, year: null, unresolved: null };
      },
    },
    {
      // "in six months", "for five months": a length with no anchor
      gate: /months/i,
      re: new RegExp(String.raw`\b(?:in|for|during|over)\s(${SMALL})\smonths\b`, "gi"),
      build: (m) => ({ kind: "duration", period: null, months: [1, smallNo(m[1]!)], year: null, unresolved: "duration without an anchor" }),
    },
    {
      // "since 2005": from then to publication
      gate: /since/i,
      re: new RegExp(String.raw`\bsince\s(${YEAR})\b`, "gi"),
      build: (m, s) => ({ kind: "period", period: s.pub ? { start: `${m[1]}-01-01`, end: s.pub.iso } : null, months: null, year: Number(m[1]), unresolved: s.pub ? null : NO_DATE }),
    },
    {
      // "2021-2022", "from 2019 to 2023"
      gate: /\d{4}/,
      re: new RegExp(String.raw`\b(?:from\s|between\s)?(${YEAR})\s?(?:-|–|to|and)\s?(${YEAR})\b`, "gi"),
      build: (m) => (Number(m[2]) > Number(m[1]) ? { kind: "period", period: { start: `${m[1]}-01-01`, end: `${m[2]}-12-31` }, months: null, year: null, unresolved: null } : null),
    },
    {
      // "last year", "this year", "in 2022"; a relative year after a fiscal or solar one is of that calendar
      gate: /\d{4}|year/i,
      re: new RegExp(String.raw`\b(?:(?:in|during|for|of|by)\s)?${YREF}\b`, "gi"),
      build: (m, s) => {
        const before = s.anchorBefore(m.index);
        if (m[2] && before && before.cal !== GREGORIAN && s.pub) {
          const fy = fiscalYearOf(before.cal, s.pub) + REL_DELTA[m[2].toLowerCase()]!;
          return { kind: "period", ...fiscalSpan(before.cal, fy, 1, 12), year: fy, unresolved: null, anchor: { cal: before.cal, fy } };
        }
        const built = span("period", yearOf(m[1], m[2], s.pub), 1, 12);
        return built.year !== null ? { ...built, anchor: { cal: GREGORIAN, fy: built.year } } : built;
      },
    },
    {
      // "in the third quarter", "the first half": of the year named before it in the text, else of publication
      gate: /quarter|half/i,
      re: new RegExp(String.raw`\b(?:in|during|for|over)\s(?:the\s)?(${ORD})\s(quarter|half)(?!\s(?:of|in)\b)(?!\s(?:19|20)\d{2})`, "gi"),
      build: (m, s) => {
        const n = ordinal(m[1]!);
        const half = /^h/i.test(m[2]!);
        if (half && n > 2) return null;
        const [k1, k2] = half ? (n === 1 ? [1, 6] : [7, 12]) : [n * 3 - 2, n * 3];
        const before = s.anchorBefore(m.index);
        if (before) return { kind: "period", ...fiscalSpan(before.cal, before.fy, k1, k2), year: before.fy, unresolved: null };
        return span("period", s.pub ? s.pub.year : "unresolved", k1, k2);
      },
    },
    {
      // "in September": the latest September up to publication, or the one after a base month named beside it
      gate: MONTH_GATE,
      re: new RegExp(String.raw`\b(?:in|during|of|through)\s(?:the\s(?:month\sof\s)?)?(${MONTH})\b(?!\s?\d)`, "g"),
      build: (m, s) => {
        const mo = monthNo(m[1]!);
        if (s.pub) return span("period", mo > s.pub.month ? s.pub.year - 1 : s.pub.year, mo, mo);
        const base = s.comparedMonth();
        return span("period", base ? (mo > base.month ? base.year : base.year + 1) : "unresolved", mo, mo);
      },
    },
    {
      // "last month", "this month": of publication; "compared to last month" is a base this grammar has no shape for
      gate: /month/i,
      re: /(?<!\b(?:than|to|with|from|over|against|versus)\s)\b(last|this|past)\smonth\b/gi,
      build: (m, s) => {
        if (!s.pub) return unresolved(NO_DATE);
        const idx = s.pub.year * 12 + s.pub.month - 1 - (m[1]!.toLowerCase() === "this" ? 0 : 1);
        const y = Math.floor(idx / 12);
        const mo = (idx % 12) + 1;
        return span("period", y, mo, mo);
      },
    },
    {
      // "on Thursday": the latest such weekday on or before publication; "last Thursday" the one before publication day; a coming one is not resolved
      gate: /day\b/i,
      re: new RegExp(String.raw`(?<!\b(?:[Nn]ext|[Cc]oming|[Ff]ollowing|[Ee]very|[Tt]his)\s)\b(?:on\s|([Ll]ast)\s)?(${WEEKDAY})\b`, "g"),
      build: (m, s) => {
        if (!s.pub) return { kind: "date", period: null, months: null, year: null, unresolved: NO_DATE };
        const target = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].indexOf(m[2]!.toLowerCase());
        const back = (publishedDay(s.pub).getUTCDay() - target + 7) % 7;
        return dayBefore(s.pub, back === 0 && m[1] ? 7 : back);
      },
    },
    {
      // "yesterday", "today": the day before publication, and publication day
      gate: /day\b/i,
      re: /\b(?:([Yy]esterday)|[Tt]oday)\b/g,
      build: (m, s) => (s.pub ? dayBefore(s.pub, m[1] ? 1 : 0) : { kind: "date", period: null, months: null, year: null, unresolved: NO_DATE }),
    },
    {
      // "last week" = Monday to Sunday of the week before publication's; "(earlier) this week" = its Monday to publication day
      gate: /week/i,
      re: /\b(?:(last|previous)|(?:earlier\s)?this)\sweek\b(?!['’]?s\b|\sof\b)/gi,
      build: (m, s) => {
        if (!s.pub) return { kind: "span", period: null, months: null, year: null, unresolved: NO_DATE };
        const sinceMonday = (publishedDay(s.pub).getUTCDay() + 6) % 7;
        const period = m[1] ? { start: isoBefore(s.pub, sinceMonday + 7), end: isoBefore(s.pub, sinceMonday + 1) } : { start: isoBefore(s.pub, sinceMonday), end: s.pub.iso };
        return { kind: "span", period, months: null, year: null, unresolved: null };
      },
    },
  ];
}

function publishedDay(pub: Published): Date {
  return new Date(Date.UTC(pub.year, pub.month - 1, pub.day));
}

function isoBefore(pub: Published, n: number): string {
  const d = publishedDay(pub);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The day `n` days before publication, as a date mention. */
function dayBefore(pub: Published, n: number): Built {
  const iso = isoBefore(pub, n);
  return { kind: "date", period: { start: iso, end: iso }, months: null, year: null, unresolved: null };
}

function dateOf(d: number, month: number, year: string | undefined, pub: Published | null): Built | null {
  if (month < 1 || d < 1 || d > 31) return null;
  let y: number | null = year ? Number(year) : null;
  if (y === null && pub) y = month > pub.month || (month === pub.month && d > pub.day) ? pub.year - 1 : pub.year;
  if (y === null) return { kind: "date", period: null, months: [month, month], year: null, unresolved: NO_DATE };
  const p = day(y, month, d);
  return p ? { kind: "date", period: p, months: [month, month], year: y, unresolved: null } : null;
}

let compiled: Pattern[] | null = null;

/**
 * Finds period and date expressions in a text, resolving relative ones against the publication date and
 * fiscal years against `fiscal`, the calendar of the country they are about (`calendarFor`).
 */
export function scanPeriods(text: string, published: string | null, fiscal: FiscalCalendar | null = null): PeriodMention[] {
  compiled ??= patterns();
  const found: (PeriodMention & { anchor?: Built["anchor"] })[] = [];
  const scope: Scope = {
    pub: parsePublished(published),
    fiscal,
    anchorBefore: (at) => {
      let best: (typeof found)[number] | null = null;
      for (const f of found) if (f.anchor && f.start < at && (!best || f.start > best.start)) best = f;
      return best?.anchor ?? null;
    },
    comparedMonth: () => {
      const c = found.find((f) => f.kind === "comparative" && f.months && f.year !== null);
      return c ? { month: c.months![0], year: c.year! } : null;
    },
  };
  const passed = new Map<RegExp, boolean>();
  for (const p of compiled) {
    let open = passed.get(p.gate);
    if (open === undefined) passed.set(p.gate, (open = p.gate.test(text)));
    if (!open) continue;
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text))) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      const s = m.index + (m[0].length - m[0].trimStart().length);
      const e = m.index + m[0].length;
      if (found.some((f) => s < f.end && e > f.start)) continue;
      const built = p.build(m, scope);
      if (built) found.push({ start: s, end: e, text: text.slice(s, e), kind: built.kind, period: built.period, months: built.months, year: built.year, unresolved: built.unresolved, anchor: built.anchor });
    }
  }
  found.sort((a, b) => a.start - b.start);
  return withGlosses(text, found).map(({ start, end, text, kind, period, months, year, unresolved }) => ({ start, end, text, kind, period, months, year, unresolved }));
}

/**
 * "the last solar year (March 2024-March 2025)", "the Iranian calendar year 1400 (ended on March 20, 2022)": a
 * period glossed in brackets is one mention, dated by the gloss when the gloss writes a year.
 */
function withGlosses(text: string, found: PeriodMention[]): PeriodMention[] {
  const out: PeriodMention[] = [];
  for (const f of found) {
    const prev = out.at(-1);
    const gloss = prev && prev.kind === "period" && /^\s*\([^()]*$/.test(text.slice(prev.end, f.start)) ? /^[^()]*\)/.exec(text.slice(f.end)) : null;
    if (!prev || !gloss) {
      out.push(f);
      continue;
    }
    const end = f.end + gloss[0].length;
    const dated = f.kind === "period" && f.period !== null && /\d{4}/.test(f.text);
    out[out.length - 1] = { ...prev, end, text: text.slice(prev.start, end), ...(dated ? { period: f.period, months: f.months, unresolved: null } : {}) };
  }
  return out;
}

/** The same months one year earlier: the base of a year-on-year comparison. */
export function previousYear(p: Period): Period {
  const shift = (iso: string) => {
    const [y, m, d] = iso.split("-").map(Number);
    const last = lastDay(y! - 1, m!);
    return `${y! - 1}-${pad(m!)}-${pad(Math.min(d!, last))}`;
  };
  const end = shift(p.end);
  const [ey, em, ed] = p.end.split("-").map(Number);
  const endIsMonthEnd = ed === lastDay(ey!, em!);
  return { start: shift(p.start), end: endIsMonthEnd ? monthsPeriod(ey! - 1, em!, em!).end : end };
}
