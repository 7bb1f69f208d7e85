import { spelledValue } from "./spelled.ts";
import { isDigitCode, isSpaceCode } from "./chars.ts";

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
   * relative to the figure's own period ("the previous year", "the same period in 2023");
   * duration: a length with no anchor ("in six months").
   */
  kind: "period" | "date" | "comparative" | "duration";
  period: Period | null;
  /** Months covered, when known even though the year is not ("first half of this year" with no publication date). */
  months: [number, number] | null;
  /** For comparatives: the year it names ("same period in 2023"), else null = shift the figure's period back a year. */
  year: number | null;
  /** Why a relative expression could not be resolved (no publication date), else null. */
  unresolved: string | null;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const SMALL = String.raw`(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const YREF = String.raw`(?:(?:of\s|in\s)?(?:the\s)?(?:(${YEAR})|(this|last|previous|current|next|past)\s(?:calendar\s)?year))`;
const WEEKDAY = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`;

function monthNo(s: string): number {
  return MONTHS.indexOf(s.slice(0, 3).toLowerCase()) + 1;
}

function smallNo(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : spelledValue(s) ?? 0;
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

/** Resolves a year reference: an explicit year, or this/last/next year against publication. */
function yearOf(explicit: string | undefined, relative: string | undefined, pub: Published | null): number | null | "unresolved" {
  if (explicit) return Number(explicit);
  if (!relative) return null;
  if (!pub) return "unresolved";
  const r = relative.toLowerCase();
  return r === "last" || r === "previous" || r === "past" ? pub.year - 1 : r === "next" ? pub.year + 1 : pub.year;
}

interface Pattern {
  /** Hints (below), one of which every match contains, so most patterns skip most sentences. */
  hints: number;
  re: RegExp;
  build: (m: RegExpExecArray, pub: Published | null) => Omit<PeriodMention, "start" | "end" | "text"> | null;
}

function span(kind: PeriodMention["kind"], year: number | null | "unresolved", m1: number, m2: number): Omit<PeriodMention, "start" | "end" | "text"> {
  if (year === "unresolved") return { kind, period: null, months: [m1, m2], year: null, unresolved: NO_DATE };
  if (year === null) return { kind, period: null, months: [m1, m2], year: null, unresolved: "no year stated" };
  return { kind, period: monthsPeriod(year, m1, m2), months: [m1, m2], year, unresolved: null };
}

/**
 * Hints: words or digit shapes that patterns need, all found in one pass over a text (testing a regex per
 * hint, one after the other, cost more than the patterns they spared). Each is as loose as the test it
 * stands for, or looser: a hint only lets a pattern run.
 */
const HINT_PERIOD_WORD = 1 << 0; // /period|year|figure|level/i
const HINT_MONTH = 1 << 1; // /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i: every month name starts so
const HINT_MONTHS = 1 << 2; // /months/i
const HINT_HALF = 1 << 3; // /half/i
const HINT_QUARTER = 1 << 4; // /quarter|Q[1-4]/i
const HINT_SHORTHAND = 1 << 5; // /\d[MHQ]|[HQ][1-4]/
const HINT_SOLAR_YEAR = 1 << 6; // /1[34]\d{2}/: a year of the Hijri calendar, a far rarer sight than "Afghan"
const HINT_FISCAL = 1 << 7; // /fiscal|financial|budget|FY|\d[/–-]\d/
const HINT_PAST = 1 << 8; // /past|last|previous/i
const HINT_SINCE = 1 << 9; // /since/i
const HINT_YEAR_DIGITS = 1 << 10; // /\d{4}/
const HINT_WEEKDAY = 1 << 11; // /day\b/
const HINT_CAPITAL_MONTH = 1 << 12; // /jan|feb|...|dec/i with a capital first letter: as the case-sensitive patterns write a month
const HINT_YEAR_RANGE = 1 << 13; // /\d{4}\s?[-–ta]/i: four digits before a dash, "to" or "and"

/**
 * The hint words, ignoring case, and the runs of digits that give a hint (whose shapes are read in code): four
 * digits or more, or a run before a letter or a dash (looser than the hints). Shorter runs, most numbers, are
 * not matched: each match costs more than the search. No word begins another word of the list, so whichever
 * starts at a place is the one found there; words are looked for at every place.
 */
const HINT_WORDS = /(\d{4,}|(?<!\d)\d+(?=[MHQ]|[/–-]\d))|(period|year|figure|level)|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(months)|(half)|(quarter)|([hq][1-4])|(fiscal|financial|budget)|(fy)|(past|last|previous)|(since)|(day)\b/gi;
const SOLAR_DIGITS = /1[34]\d{2}/;

/** The first character of what joins the years of a range: "-", "–", "to", "and", in any case. */
function isRangeJoin(c: number): boolean {
  return c === 45 || c === 0x2013 || (c | 0x20) === 116 || (c | 0x20) === 97;
}

/** The hints a text gives. */
function hintsOf(text: string): number {
  let found = 0;
  HINT_WORDS.lastIndex = 0;
  for (let m = HINT_WORDS.exec(text); m; m = HINT_WORDS.exec(text)) {
    const digits = m[1];
    if (digits !== undefined) {
      // The whole run, so the search goes on after it.
      const end = m.index + digits.length;
      if (digits.length >= 4) {
        found |= SOLAR_DIGITS.test(digits) ? HINT_YEAR_DIGITS | HINT_SOLAR_YEAR : HINT_YEAR_DIGITS;
        if (isRangeJoin(text.charCodeAt(end)) || (isSpaceCode(text.charCodeAt(end)) && isRangeJoin(text.charCodeAt(end + 1)))) found |= HINT_YEAR_RANGE;
      }
      const next = text[end];
      if (next === "M" || next === "H" || next === "Q") found |= HINT_SHORTHAND;
      else if ((next === "/" || next === "–" || next === "-") && isDigitCode(text.charCodeAt(end + 1))) found |= HINT_FISCAL;
      continue;
    }
    if (m[2] !== undefined) found |= HINT_PERIOD_WORD;
    else if (m[3] !== undefined) found |= m[3].charCodeAt(0) < 97 ? HINT_MONTH | HINT_CAPITAL_MONTH : HINT_MONTH;
    else if (m[4] !== undefined) found |= HINT_MONTHS;
    else if (m[5] !== undefined) found |= HINT_HALF;
    else if (m[6] !== undefined) found |= HINT_QUARTER;
    else if (m[7] !== undefined) {
      const letter = m[7][0]!;
      if (letter === "q" || letter === "Q") found |= HINT_QUARTER;
      if (letter === "H" || letter === "Q") found |= HINT_SHORTHAND;
    } else if (m[8] !== undefined || m[9] === "FY") found |= HINT_FISCAL;
    else if (m[10] !== undefined) found |= HINT_PAST;
    else if (m[11] !== undefined) found |= HINT_SINCE;
    else if (m[12] === "day") found |= HINT_WEEKDAY;
    HINT_WORDS.lastIndex = m.index + 1;
  }
  return found;
}

/** Most specific first: the scanner keeps the first match at each position and skips overlaps. */
const PATTERNS: Pattern[] = [
  {
    hints: HINT_PERIOD_WORD,
    // "the same period in 2023", "the same period of last year", "the previous year", "a year earlier"
    re: new RegExp(String.raw`\b(?:(?:the\s)?same period\s(?:(?:of|in|last)\s)?(?:the\s)?(?:(${YEAR})|(last|previous)\s?(?:year)?)?|(?:the\s)?previous year|the year before|a year (?:earlier|ago|before)|(?:against|over|compared (?:to|with)|than|versus|vs\.?)\s(?:the\s)?(?:last|previous) year|(?:compared (?:to|with)|than(?: in)?|against|versus|vs\.?|(?:the\s)?figures?\s(?:for|of|in)|(?:the\s)?level\s(?:of|in))\s(?:in\s)?(${YEAR}))\b`, "gi"),
    build: (m) => ({ kind: "comparative", period: null, months: null, year: m[1] ? Number(m[1]) : m[3] ? Number(m[3]) : null, unresolved: null }),
  },
  {
    hints: HINT_MONTH,
    // "January-February of 2023", "between January and February 2023", "January–May this year"
    re: new RegExp(String.raw`\b(?:between\s)?(${MONTH})\s?(?:-|–|—|to|through|and)\s?(${MONTH}),?\s${YREF}`, "gi"),
    build: (m, pub) => span("period", yearOf(m[3], m[4], pub), monthNo(m[1]!), monthNo(m[2]!)),
  },
  {
    hints: HINT_MONTHS,
    // "first five months of this year", "in 5 months of 2023", "nine months of last year"
    re: new RegExp(String.raw`\b(?:(?:the\s)?first\s)?(${SMALL})\smonths\s${YREF}`, "gi"),
    build: (m, pub) => span("period", yearOf(m[2], m[3], pub), 1, smallNo(m[1]!)),
  },
  {
    hints: HINT_HALF,
    // "first half of 2022", "the second half of this year"
    re: new RegExp(String.raw`\b(?:the\s)?(first|second|1st|2nd)\shalf\s${YREF}`, "gi"),
    build: (m, pub) => (/^(first|1st)$/i.test(m[1]!) ? span("period", yearOf(m[2], m[3], pub), 1, 6) : span("period", yearOf(m[2], m[3], pub), 7, 12)),
  },
  {
    hints: HINT_QUARTER | HINT_HALF,
    // "in the third quarter", "the first half": of the publication year
    re: /\b(?:in|during|for|over)\s(?:the\s)?(first|second|third|fourth|1st|2nd|3rd|4th)\s(quarter|half)(?!\s(?:of|in)\b)(?!\s(?:19|20)\d{2})/gi,
    build: (m, pub) => {
      const n = ["first", "second", "third", "fourth"].indexOf(m[1]!.toLowerCase().replace(/^1st$/, "first").replace(/^2nd$/, "second").replace(/^3rd$/, "third").replace(/^4th$/, "fourth")) + 1;
      const year = pub ? pub.year : "unresolved";
      if (/^h/i.test(m[2]!)) return n <= 2 ? span("period", year, n === 1 ? 1 : 7, n === 1 ? 6 : 12) : null;
      return span("period", year, n * 3 - 2, n * 3);
    },
  },
  {
    hints: HINT_QUARTER,
    // "first quarter of 2023", "Q1 2023", "the third quarter of last year"
    re: new RegExp(String.raw`\b(?:(?:the\s)?(first|second|third|fourth|1st|2nd|3rd|4th)\squarter|Q([1-4]))\s${YREF}`, "gi"),
    build: (m, pub) => {
      const q = m[2] ? Number(m[2]) : ["first", "second", "third", "fourth"].indexOf(m[1]!.toLowerCase().replace(/^1st$/, "first").replace(/^2nd$/, "second").replace(/^3rd$/, "third").replace(/^4th$/, "fourth")) + 1;
      return span("period", yearOf(m[3], m[4], pub), q * 3 - 2, q * 3);
    },
  },
  {
    hints: HINT_SHORTHAND,
    // Business-press shorthand: "4M23", "9M2023", "1H23", "H1 2023", "1Q23"
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
    hints: HINT_SOLAR_YEAR,
    // "the first six months of the solar year 1402": Hijri Shamsi months 1-6 have 31 days, 7-11 have 30.
    re: new RegExp(String.raw`\b(?:(?:the\s)?first\s)?(${SMALL})\smonths\sof\s(?:the\s)?(?:solar|hijri|shamsi|afghan)\s(?:fiscal\s)?year\s(1[34]\d{2})\b`, "gi"),
    build: (m) => {
      const n = smallNo(m[1]!);
      const sh = Number(m[2]);
      if (n < 1 || n > 12 || sh < 1370 || sh > 1420) return null;
      const start = new Date(Date.UTC(sh + 621, 2, 21));
      const days = Math.min(n, 6) * 31 + Math.max(0, n - 6) * 30;
      const end = new Date(start.getTime() + (days - 1) * 86400000);
      return { kind: "period", period: { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) }, months: null, year: sh + 621, unresolved: null };
    },
  },
  {
    hints: HINT_SOLAR_YEAR,
    // Afghan solar (Hijri Shamsi) years: "solar year 1401", "1402 fiscal year"; a year starts at Nowruz (~21 March).
    re: /\b(?:(?:solar|hijri|shamsi|afghan)\s(?:fiscal\s)?year\s(1[34]\d{2})|(1[34]\d{2})\s(?:solar|hijri|shamsi|SH|fiscal)(?:\syear)?)\b/gi,
    build: (m) => {
      const sh = Number(m[1] ?? m[2]);
      if (sh < 1370 || sh > 1420) return null;
      const g = sh + 621;
      return { kind: "period", period: { start: `${g}-03-21`, end: `${g + 1}-03-20` }, months: null, year: g, unresolved: null };
    },
  },
  {
    hints: HINT_FISCAL,
    // "fiscal year 2022-23", "FY2023": boundaries differ by country (July, April, Nowruz), so never guessed.
    re: new RegExp(String.raw`\b(?:(?:fiscal|financial|budget)\s(?:year\s)?(?:of\s)?(${YEAR})(?:\s?[-–/]\s?(?:\d{2}|${YEAR}))?|FY\s?'?(\d{2,4})(?:\s?[-–/]\s?\d{2,4})?|(${YEAR})\s?[/–-]\s?\d{2}(?!\d))\b`, "gi"),
    build: () => ({ kind: "period", period: null, months: null, year: null, unresolved: "fiscal year: its start month depends on the reporting country" }),
  },
  {
    hints: HINT_CAPITAL_MONTH,
    // "on April 26", "Dec. 25, 2021", "April 26, 2024"
    re: new RegExp(String.raw`\b(${MONTH})\s(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s(${YEAR}))?`, "g"),
    build: (m, pub) => dateOf(Number(m[2]), monthNo(m[1]!), m[3], pub),
  },
  {
    hints: HINT_CAPITAL_MONTH,
    // "15 April", "25 September 2025"
    re: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s(?:of\s)?(${MONTH})(?:,?\s(${YEAR}))?\b`, "g"),
    build: (m, pub) => dateOf(Number(m[1]), monthNo(m[2]!), m[3], pub),
  },
  {
    hints: HINT_CAPITAL_MONTH,
    // "In August of last year", "in April 2025", "last October"
    re: new RegExp(String.raw`\b(?:(${MONTH})\s${YREF}|([Ll]ast|[Tt]his|[Nn]ext)\s(${MONTH}))`, "g"),
    build: (m, pub) => {
      if (m[1]) return span("period", yearOf(m[2], m[3], pub), monthNo(m[1]), monthNo(m[1]));
      const mo = monthNo(m[5]!);
      if (!pub) return span("period", "unresolved", mo, mo);
      const rel = m[4]!.toLowerCase();
      const y = rel === "last" ? (mo < pub.month ? pub.year : pub.year - 1) : rel === "next" ? (mo > pub.month ? pub.year : pub.year + 1) : pub.year;
      return span("period", y, mo, mo);
    },
  },
  {
    hints: HINT_PAST,
    // "in the past six months", "over the past five years", "the last 3 years"
    re: new RegExp(String.raw`\b(?:in|over|during|for)?\s?the\s(?:past|last|previous)\s(${SMALL})\s(months|years)\b`, "gi"),
    build: (m, pub) => {
      const n = smallNo(m[1]!);
      if (!pub || n < 1) return { kind: "period", period: null, months: null, year: null, unresolved: NO_DATE };
      if (/^y/i.test(m[2]!)) return { kind: "period", period: { start: `${pub.year - n}-01-01`, end: `${pub.year - 1}-12-31` }, months: null, year: null, unresolved: null };
      const endMonth = pub.month - 1 || 12;
      const endYear = pub.month === 1 ? pub.year - 1 : pub.year;
      const startIdx = endYear * 12 + endMonth - n;
      const startYear = Math.floor(startIdx / 12);
      const startMonth = startIdx % 12 + 1;
      return { kind: "period", period: { start: `${startYear}-${pad(startMonth)}-01`, end: monthsPeriod(endYear, endMonth, endMonth).end }, months: null, year: null, unresolved: null };
    },
  },
  {
    hints: HINT_MONTHS,
    // "in six months", "for five months": a length with no anchor
    re: new RegExp(String.raw`\b(?:in|for|during|over)\s(${SMALL})\smonths\b`, "gi"),
    build: (m) => ({ kind: "duration", period: null, months: [1, smallNo(m[1]!)], year: null, unresolved: "duration without an anchor" }),
  },
  {
    hints: HINT_SINCE,
    // "since 2005": from then to publication
    re: new RegExp(String.raw`\bsince\s(${YEAR})\b`, "gi"),
    build: (m, pub) => ({ kind: "period", period: pub ? { start: `${m[1]}-01-01`, end: pub.iso } : null, months: null, year: Number(m[1]), unresolved: pub ? null : NO_DATE }),
  },
  {
    hints: HINT_YEAR_RANGE,
    // "2021-2022", "from 2019 to 2023"
    re: new RegExp(String.raw`\b(?:from\s|between\s)?(${YEAR})\s?(?:-|–|to|and)\s?(${YEAR})\b`, "gi"),
    build: (m) => (Number(m[2]) > Number(m[1]) ? { kind: "period", period: { start: `${m[1]}-01-01`, end: `${m[2]}-12-31` }, months: null, year: null, unresolved: null } : null),
  },
  {
    hints: HINT_PERIOD_WORD | HINT_YEAR_DIGITS,
    // "last year", "this year", "in 2022"
    re: new RegExp(String.raw`\b(?:(?:in|during|for|of|by)\s)?${YREF}\b`, "gi"),
    build: (m, pub) => span("period", yearOf(m[1], m[2], pub), 1, 12),
  },
  {
    hints: HINT_WEEKDAY,
    // "on Thursday": the latest such weekday on or before publication
    re: new RegExp(String.raw`\b(?:on\s|last\s)?(${WEEKDAY})\b`, "g"),
    build: (m, pub) => {
      if (!pub) return { kind: "date", period: null, months: null, year: null, unresolved: NO_DATE };
      const target = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].indexOf(m[1]!.toLowerCase());
      const d = new Date(Date.UTC(pub.year, pub.month - 1, pub.day));
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() - target + 7) % 7));
      const iso = d.toISOString().slice(0, 10);
      return { kind: "date", period: { start: iso, end: iso }, months: null, year: null, unresolved: null };
    },
  },
];

function dateOf(d: number, month: number, year: string | undefined, pub: Published | null): Omit<PeriodMention, "start" | "end" | "text"> | null {
  if (month < 1 || d < 1 || d > 31) return null;
  let y: number | null = year ? Number(year) : null;
  if (y === null && pub) y = month > pub.month || (month === pub.month && d > pub.day) ? pub.year - 1 : pub.year;
  if (y === null) return { kind: "date", period: null, months: [month, month], year: null, unresolved: NO_DATE };
  const p = day(y, month, d);
  return p ? { kind: "date", period: p, months: [month, month], year: y, unresolved: null } : null;
}

/** Finds period and date expressions in a text, resolving relative ones against the publication date. */
export function scanPeriods(text: string, published: string | null): PeriodMention[] {
  const pub = parsePublished(published);
  const found: PeriodMention[] = [];
  const hints = hintsOf(text);
  for (let i = 0; i < PATTERNS.length; i++) {
    if ((PATTERNS[i]!.hints & hints) === 0) continue;
    const p = PATTERNS[i]!;
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
      const built = p.build(m, pub);
      // Written out, not spread: every mention gets the same shape, which keeps the code reading them fast.
      if (built) found.push({ start: s, end: e, text: text.slice(s, e), kind: built.kind, period: built.period, months: built.months, year: built.year, unresolved: built.unresolved });
    }
  }
  return found.sort((a, b) => a.start - b.start);
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
