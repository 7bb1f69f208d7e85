import type { Qualifier } from "../types.ts";
import { anyOf } from "./anyof.ts";
import { isAsciiLetter, isSpaceCode } from "./chars.ts";
import { SPELLED, SPELLED_START, spelledValue } from "./spelled.ts";

/** What a number measures, from the words around it. */
export type QuantityKind = "money" | "mass" | "count" | "percent" | "multiplier" | "year" | "plain";

export interface Quantity {
  /** Span of the whole expression (qualifier excluded) in the scanned text. */
  start: number;
  end: number;
  /** Span of the expression including its qualifier word. */
  qualStart: number;
  text: string;
  kind: QuantityKind;
  /** Value in base units: money in currency units, mass in tonnes, counts as counted. */
  value: number;
  /** Upper end of a range ("7-8 mln tons"), else null. */
  high: number | null;
  currency: string | null;
  /** Canonical unit for mass/count/volume: t, l, m3, railcars, trucks, containers, pcs, sets, agreements, grants, students, institutions, or the counted noun. */
  unit: string | null;
  qualifier: Qualifier;
  /** Whether a scale word ("million", "bn") was written. */
  scaled: boolean;
  /** Whether the expression stands inside parentheses. */
  parenthesized: boolean;
}

const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d{1,2}(?![\d])|\d+(?:\.\d+)?`;
/** Currency prefixes that may end in a full stop right before the number ("Rs.5 million", "Afs.500"). */
const DOTTED_PREFIXES = ["Rs", "Afs?"];
/** Not inside another number or code ("1.5", "No.5"), but after a currency prefix's full stop. */
const CORE = new RegExp(String.raw`(?<![\d_,-])(?<!(?<!\b(?:${DOTTED_PREFIXES.join("|")}))\.)(?:(${NUM})|(${SPELLED})(?![\w-]))`, "yi");
/**
 * Where a number core can start: a digit or the first word of a spelled number. Scanning for these and
 * trying the core only there finds the same matches as scanning with the core, at a fraction of the cost.
 */
const CORE_START = new RegExp(String.raw`\d|${SPELLED_START}`, "gi");

/**
 * The first number core at or after `from`. Starts are found with `test`, which makes no match array: a start
 * ending in a digit is that digit, and only a spelled one is looked for again to learn where it begins.
 */
function nextCore(text: string, from: number): RegExpExecArray | null {
  let searchFrom = from;
  CORE_START.lastIndex = from;
  while (CORE_START.test(text)) {
    let s = CORE_START.lastIndex - 1;
    const c = text.charCodeAt(s);
    if (c < 48 || c > 57) {
      CORE_START.lastIndex = searchFrom;
      s = CORE_START.exec(text)!.index;
    }
    CORE.lastIndex = s;
    const m = CORE.exec(text);
    if (m) return m;
    CORE_START.lastIndex = searchFrom = s + 1;
  }
  return null;
}
const RANGE = new RegExp(String.raw`^\s?(?:-|–|—|to)\s?(?:US\s?\$|\$)?\s?(${NUM})`);

const SCALES: Record<string, number> = {
  thousand: 1e3, thousands: 1e3, k: 1e3, lakh: 1e5, lakhs: 1e5, million: 1e6, millions: 1e6, mln: 1e6, mn: 1e6, m: 1e6,
  crore: 1e7, crores: 1e7, billion: 1e9, billions: 1e9, bln: 1e9, bn: 1e9, b: 1e9, trillion: 1e12, tn: 1e12,
};
const LONG_SCALE = /^[\s-]{0,2}(thousands?|lakhs?|millions?|mln\.?|crores?|billions?|bln\.?|trillion)(?![\w])/i;
const SHORT_SCALE = /^(mn|bn|m|b|k|tn)\b/i;

const CURRENCY_PREFIX = new RegExp(String.raw`(US\s?\$|U\.S\.\s?\$|\$|USD|EUR|€|£|¥|${DOTTED_PREFIXES.map((p) => String.raw`${p}\.?`).join("|")}|PKR|INR|AFN|KZT|UZS|CNY|RMB|RUB|IRR|TMT|TJS|KGS)\s?$`);
const PREFIX_CODE: Record<string, string> = { $: "USD", "€": "EUR", "£": "GBP", "¥": "CNY", RS: "PKR", AF: "AFN", AFS: "AFN", RMB: "CNY" };

const CURRENCY_SUFFIX =
  /^\s?(U\.?S\.? dollars?|American dollars?|dollars?|USD|tenge|KZT|soms?|KGS|soums?|sums?|so['‘’]m|UZS|manats?|TMT|somoni|TJS|afghanis?|AFN|rupees?|PKR|INR|yuan|renminbi|CNY|RMB|roubles?|rubles?|RUB|rials?|IRR|tomans?|euros?|EUR|lira|TRY|dirhams?|AED)\b/i;
const SUFFIX_CODE: [RegExp, string][] = [
  [/dollar|usd/i, "USD"], [/tenge|kzt/i, "KZT"], [/^soms?$|kgs/i, "KGS"], [/soum|^sums?$|so.m|uzs/i, "UZS"], [/manat|tmt/i, "TMT"],
  [/somoni|tjs/i, "TJS"], [/afghani|afn/i, "AFN"], [/inr/i, "INR"], [/rupee|pkr/i, "PKR"], [/yuan|renminbi|cny|rmb/i, "CNY"],
  [/ruble|rouble|rub/i, "RUB"], [/rial|irr/i, "IRR"], [/toman/i, "IRT"], [/euro|eur/i, "EUR"], [/lira|try/i, "TRY"], [/dirham|aed/i, "AED"],
];

const MASS_UNIT = /^\s?(?:of\s)?(?:metric\s)?(tonnes?|tons?|mt|t|kilograms?|kilogrammes?|kgs?|kilos?)(?![\w])/i;
const COMPOUND_KG = new RegExp(String.raw`^\s?(?:and|,)?\s?(${NUM})\s?(kilograms?|kilogrammes?|kgs?)(?![\w])`, "i");
const PERCENT = /^\s?(%|percent\b|per cent\b|pct\b|percentage points?\b)/i;
const MULTIPLIER = /^(?:[\s-]?(times|fold)\b)/i;

/**
 * The patterns the scanner tries only after a test of one character (`mayEndCurrencyPrefix`, `mayStartLongScale`,
 * ...): exported so that a test can check every alternative of each still passes its test.
 */
export const PRETESTED = { currencyPrefix: CURRENCY_PREFIX, currencySuffix: CURRENCY_SUFFIX, mass: MASS_UNIT, scale: LONG_SCALE, percent: PERCENT, multiplier: MULTIPLIER };

/** Countable nouns, allowing up to two modifiers between number and noun ("50 freight wagons", "610 Afghan students"). */
const COUNT_NOUNS: [RegExp, string][] = [
  [/^(?:railway|railroad|rail|train|freight|cargo|goods|box|tank|covered)?\s?(?:wagons?|railcars?|cars?|carriages?|tankers?|tank cars?)$/i, "railcars"],
  [/^(?:heavy\s)?(?:trucks?|lorries|lorry|vehicles?)$/i, "trucks"],
  [/^containers?$/i, "containers"],
  [/^(?:agreements?|contracts?|deals?|memorand(?:a|ums?)|MoUs?|documents?)$/i, "agreements"],
  [/^(?:grants?|scholarships?|quotas?|places)$/i, "grants"],
  [/^students?$/i, "students"],
  [/^(?:universities|university|institutions?|colleges?|institutes?)$/i, "institutions"],
  [/^(?:liters?|litres?|l)$/i, "l"],
  [/^(?:cubic met(?:er|re)s?|m3)$/i, "m3"],
  [/^(?:pieces?|pcs|units|items?)$/i, "pcs"],
  [/^sets?$/i, "sets"],
];
const WORDS_AFTER = /^\s([A-Za-z][\w'’-]*)(?:\s([A-Za-z][\w'’-]*))?(?:\s([A-Za-z][\w'’-]*))?/;
const FUNCTION_WORDS = /^(?:to|for|of|in|on|at|and|or|by|from|with|the|a|an|is|are|was|were|per|than|as|that|which|who|this|it|its|their|out)$/i;

const QUALIFIERS: [RegExp, Qualifier][] = [
  [/(?:almost|nearly|close to|closes? to|about|around|approximately|approx\.?|some|roughly|an estimated|estimated|circa|ca\.)\s$/i, "approx"],
  [/(?:over|more than|above|exceeding|in excess of|upwards of|at least|not less than|no less than|just over|a little (?:bit )?over|slightly over|slightly more than|over a|beyond)\s$/i, "at_least"],
  [/(?:up to|less than|under|below|at most|no more than|not more than|just under|nearly up to)\s$/i, "at_most"],
];

/** Most numbers have no qualifier: one test of them all rules out trying each. */
const ANY_QUALIFIER = anyOf(QUALIFIERS.map(([re]) => re));

function parseNum(text: string): number {
  if (!text.includes(",")) return Number(text); // most figures have no comma
  if (/^\d+,\d{1,2}$/.test(text)) return Number(text.replace(",", "."));
  return Number(text.replace(/,/g, ""));
}

/** Rounds away binary noise from scaling ("987.9" × 1e6) so values print as written. */
function clean(v: number): number {
  // Whole numbers of up to twelve digits are exact already, and most figures are whole.
  if (Number.isInteger(v) && v >= 0 && v < 1e12) return v;
  return Number(v.toPrecision(12));
}

/** "5,000 kgs of rice": kilograms, not Kyrgyz som, unless the code is written in capitals (KGS). */
function isKilogramsAbbreviation(word: string): boolean {
  return word !== "KGS" && word.toLowerCase() === "kgs";
}

function currencyOfSuffix(word: string): string {
  for (const [re, code] of SUFFIX_CODE) if (re.test(word)) return code;
  return word.toUpperCase();
}

function currencyOfPrefix(p: string): string {
  const k = p.replace(/\s|\./g, "").toUpperCase();
  if (k.endsWith("$")) return "USD";
  return PREFIX_CODE[k] ?? PREFIX_CODE[p.trim()] ?? k;
}

/** Most words after a number are no countable noun. */
const ANY_COUNT_NOUN = anyOf(COUNT_NOUNS.map(([re]) => re));

function countUnit(noun: string): string | null {
  if (!ANY_COUNT_NOUN.test(noun)) return null;
  for (const [re, unit] of COUNT_NOUNS) if (re.test(noun)) return unit;
  return null;
}

/** The counted noun after a bare number: a known one within three words, else the next content word. */
function countAfter(rest: string): { unit: string; length: number } | null {
  const m = isSpaceCode(rest.charCodeAt(0)) && isAsciiLetter(rest.charCodeAt(1)) ? WORDS_AFTER.exec(rest) : null;
  if (!m) return null;
  const words = [m[1], m[2], m[3]].filter((w): w is string => w !== undefined);
  let offset = 1;
  for (let i = 0; i < words.length; i++) {
    const two = words[i + 1] ? `${words[i]} ${words[i + 1]}` : null;
    const hitTwo = two ? countUnit(two) : null;
    const hit = hitTwo ?? countUnit(words[i]!);
    if (hit) return { unit: hit, length: offset + (hitTwo ? two!.length : words[i]!.length) };
    if (FUNCTION_WORDS.test(words[i]!)) break;
    offset += words[i]!.length + 1;
  }
  const first = words[0]!;
  return FUNCTION_WORDS.test(first) ? null : { unit: first.toLowerCase(), length: 0 };
}

/**
 * The last characters of the currency prefixes ("US$", "USD", "Rs.", "Af", "KZT", ...): a prefix must end right
 * before the number or one space before it, so any other character there rules out trying them all.
 */
const PREFIX_LAST = new Set("$DR€£¥s.fNTSYB");

function mayEndCurrencyPrefix(text: string, start: number): boolean {
  let k = start - 1;
  if (k >= 0 && isSpaceCode(text.charCodeAt(k))) k--;
  return k >= 0 && PREFIX_LAST.has(text[k]!);
}

const LETTER_END = /\p{L}$/u;

/** `LETTER_END.test(before)`, decided without the regex when the last character is ASCII. */
function endsWithLetter(before: string): boolean {
  if (before.length === 0) return false;
  const c = before.charCodeAt(before.length - 1);
  if (c < 128) return isAsciiLetter(c);
  return LETTER_END.test(before);
}

/*
 * The units after a number are anchored patterns that begin with a letter or sign, after at most a space (or
 * a dash or two): the character there rules most of them out without running them.
 */

/** The character after at most one white space at the start of `rest`. */
function afterSpace(rest: string): number {
  const c = rest.charCodeAt(0);
  return isSpaceCode(c) ? rest.charCodeAt(1) : c;
}

/** RANGE begins "-", "–", "—" or "to". */
function mayStartRange(rest: string): boolean {
  const c = afterSpace(rest);
  return c === 45 || c === 0x2013 || c === 0x2014 || c === 116;
}

/** LONG_SCALE begins t, l, m, c or b in any case, after up to two spaces or dashes. */
function mayStartLongScale(rest: string): boolean {
  for (let k = 0; k < 3; k++) {
    const c = rest.charCodeAt(k);
    const l = c | 0x20;
    if (l === 116 || l === 108 || l === 109 || l === 99 || l === 98) return true;
    if (c !== 45 && !isSpaceCode(c)) return false;
  }
  return false;
}

/** MULTIPLIER begins t or f in any case, after at most a space or a dash. */
function mayStartMultiplier(rest: string): boolean {
  let c = rest.charCodeAt(0);
  if (c === 45 || isSpaceCode(c)) c = rest.charCodeAt(1);
  return (c | 0x20) === 116 || (c | 0x20) === 102;
}

/** `/^\s*\)/` on the four characters from `end`, without cutting them out: most numbers are followed by no parenthesis. */
function closesParen(text: string, end: number): boolean {
  for (let k = end; k < end + 4 && k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 41) return true;
    if (!isSpaceCode(c)) return false;
  }
  return false;
}

/**
 * Finds every number expression in a text: money ("$987.9 millions", "USD 1 billion", "6.4 billion tenge",
 * "$ 1 to $ 3 billion"), mass ("1.3 million tons", "272 tons and 728 kilograms", "2,2 thousand tonnes"),
 * counts ("thirty six wagons", "610 Afghan students"), percentages, multipliers ("2.1 times") and years.
 * Linear: one pass over number cores, then anchored look-ahead of bounded length at each.
 */
export function scanQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  let m: RegExpExecArray | null;
  let consumedTo = 0;
  for (let from = 0; (m = nextCore(text, from)); from = m.index + m[0].length) {
    if (m.index < consumedTo) continue;
    const digits = m[1];
    const value0 = digits !== undefined ? parseNum(digits) : spelledValue(m[2]!);
    if (value0 === null || !Number.isFinite(value0)) continue;
    let start = m.index;
    let end = m.index + m[0].length;
    let rest = text.slice(end, end + 80);

    let currency: string | null = null;
    const before = text.slice(Math.max(0, start - 12), start);
    const pre = mayEndCurrencyPrefix(text, start) ? CURRENCY_PREFIX.exec(before) : null;
    // A number glued to letters is a code ("G20", "H1") unless the letters are a currency ("USD1.5 billion", "Rs5,000").
    if (!pre && endsWithLetter(before)) continue;
    if (pre && digits !== undefined) {
      currency = currencyOfPrefix(pre[1]!);
      start -= pre[0].length;
    }

    let high: number | null = null;
    const range = mayStartRange(rest) ? RANGE.exec(rest) : null;
    if (range && digits !== undefined && !/\bfrom\s(?:US\s?\$|\$)?\s?$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) {
      const second = parseNum(range[1]!);
      const after = rest.slice(range[0].length);
      if (second > value0 && (currency || LONG_SCALE.test(after) || SHORT_SCALE.test(after) || MASS_UNIT.test(after))) {
        high = second;
        end += range[0].length;
        rest = after;
      }
    }

    let scale = 1;
    let scaled = false;
    const ls = mayStartLongScale(rest) ? LONG_SCALE.exec(rest) : null;
    const sc = ls ?? (currency ? SHORT_SCALE.exec(rest) : null);
    if (sc) {
      scale = SCALES[sc[1]!] ?? SCALES[sc[1]!.toLowerCase().replace(/\.$/, "")] ?? 1;
      scaled = true;
      end += sc[0].length;
      rest = rest.slice(sc[0].length);
    } else if (digits !== undefined && /^[A-Za-z]/.test(rest) && !/^(mt|t|kgs?|s?t|nd|rd|th)\b/i.test(rest)) {
      continue; // a code or ordinal glued to letters ("4M23", "5G"), not a quantity
    }

    let kind: QuantityKind = "plain";
    let unit: string | null = null;
    let value = value0 * scale;
    if (high !== null) high *= scale;

    const cs = currency || !isAsciiLetter(afterSpace(rest)) ? null : CURRENCY_SUFFIX.exec(rest);
    if (cs && !isKilogramsAbbreviation(cs[1]!)) {
      currency = currencyOfSuffix(cs[1]!);
      end += cs[0].length;
      rest = rest.slice(cs[0].length);
    }
    if (currency) kind = "money";
    else {
      const unitStart = afterSpace(rest) | 0x20;
      const mu = unitStart === 111 || unitStart === 109 || unitStart === 116 || unitStart === 107 ? MASS_UNIT.exec(rest) : null; // o m t k
      // Percent and multiplier are tried only when the units before them fail.
      let pc: RegExpExecArray | null = null;
      let mul: RegExpExecArray | null = null;
      if (mu && !(mu[1]!.toLowerCase() === "t" && /^\s?t\s?\w/.test(rest) && !/^\s?t\b/.test(rest))) {
        kind = "mass";
        unit = "t";
        const isKg = /^k/i.test(mu[1]!);
        if (isKg) value /= 1000;
        if (isKg && high !== null) high /= 1000;
        end += mu[0].length;
        rest = rest.slice(mu[0].length);
        const kg = isKg ? null : COMPOUND_KG.exec(rest);
        if (kg) {
          value = (Math.round(value * 1000) + parseNum(kg[1]!)) / 1000;
          end += kg[0].length;
        }
      } else if ((unitStart === 0x25 || unitStart === 112) && (pc = PERCENT.exec(rest))) { // % p
        kind = "percent";
        end += pc[0].length;
      } else if (mayStartMultiplier(rest) && (mul = MULTIPLIER.exec(rest))) {
        kind = "multiplier";
        end += mul[0].length;
      } else if (digits !== undefined && !scaled && high === null && /^\d{4}$/.test(digits) && value0 >= 1900 && value0 <= 2099) {
        kind = "year";
      } else {
        const count = countAfter(rest);
        if (count) {
          kind = "count";
          unit = count.unit;
          end += count.length;
        }
      }
    }

    let qualifier: Qualifier = "exact";
    let qualStart = start;
    const left = text.slice(Math.max(0, start - 30), start);
    if (ANY_QUALIFIER.test(left)) for (const [re, q] of QUALIFIERS) {
      const qm = re.exec(left);
      if (qm && (qm.index === 0 || /[\s(,;:]/.test(left[qm.index - 1]!))) {
        qualifier = q;
        qualStart = start - qm[0].length;
        break;
      }
    }
    if (high !== null && qualifier === "exact") qualifier = "approx";

    const parenthesized = closesParen(text, end) && /\(\s*(?:[\w ]{0,12}\s)?$/.test(text.slice(Math.max(0, qualStart - 16), qualStart));
    out.push({
      start, end, qualStart, text: text.slice(start, end), kind, value: clean(value), high: high === null ? null : clean(high),
      currency, unit, qualifier, scaled, parenthesized,
    });
    consumedTo = end;
  }
  return out;
}
