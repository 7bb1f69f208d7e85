import { CURRENCY_FORMS, currencyFromWord } from "../normalize/currency.ts";
import { UNIT_FORMS, unitKey } from "../normalize/units.ts";
import type { Qualifier } from "../types.ts";
import { isAsciiLetter, isSpaceCode } from "./chars.ts";
import { alternatives, formPattern, lexicon } from "./lexicon.ts";
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
  /** ISO 4217 code in its default reading ("rupees" → PKR); `currencyForm` lets a caller settle it by country. */
  currency: string | null;
  /** The currency as written ("Rs", "rupees", "$"), for `currencyFromWord(form, country)`. */
  currencyForm: string | null;
  /** Canonical unit for mass/count/volume: t, l, m3, railcars, trucks, containers, pcs, sets, agreements, grants, students, institutions, or the counted noun. */
  unit: string | null;
  qualifier: Qualifier;
  /** Whether a scale word ("million", "bn") was written. */
  scaled: boolean;
  /** Whether the expression stands inside parentheses. */
  parenthesized: boolean;
}

/** Spaces that group thousands: plain, no-break, narrow no-break and thin. */
const GROUP_SPACE = String.raw`[ \u00A0\u202F\u2009]`;
/** Marks that may group digits or start decimals: a digit right after one belongs to the same number. */
const DIGIT_MARK = String.raw`[,.'’\u00A0\u202F\u2009]`;
const NUM = [
  String.raw`\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?`,
  String.raw`\d{1,3}(?:${GROUP_SPACE}\d{3})+(?!\d)(?:\.\d+)?`,
  String.raw`\d{1,3}(?:\.\d{3}){2,}(?!\d)`,
  String.raw`\d+,\d{1,2}(?!\d)`,
  String.raw`\d+(?:\.\d+)?`,
].join("|");
/** A number is read whole or not at all: never the part before a mark that more digits follow ("1.5.2023", "12 500,75"). */
const WHOLE = String.raw`(?!\d|${DIGIT_MARK}\d)`;

const PREFIX_FORMS = CURRENCY_FORMS.filter((f) => f.position !== "suffix").map((f) => f.form);
/** Currency prefixes that end in a full stop, after which a number may start ("Rs.5 million"). */
const DOTTED_PREFIXES = PREFIX_FORMS.filter((f) => f.endsWith(".") && /^\p{L}+\.$/u.test(f)).map((f) => f.slice(0, -1));
/** Not inside another number or code ("1.5", "No.5", the "234" of "1\u00A0234" or "1 234,5"), but after a currency prefix's full stop. */
const CORE = new RegExp(
  String.raw`(?<![\d_,-])(?<!\d${DIGIT_MARK})(?<!(?<![\d.,])\d{1,3} )(?<!(?<!\b(?:${DOTTED_PREFIXES.join("|")}))\.)(?:(${NUM})${WHOLE}|(${SPELLED})(?![\w-]))`,
  "yi",
);
/** Where a number core can start; the core is tried only there. */
const CORE_START = new RegExp(String.raw`\d|\b${SPELLED_START}`, "gi");

function nextCore(text: string, from: number): RegExpExecArray | null {
  CORE_START.lastIndex = from;
  let s: RegExpExecArray | null;
  while ((s = CORE_START.exec(text))) {
    CORE.lastIndex = s.index;
    const m = CORE.exec(text);
    if (m) return m;
    CORE_START.lastIndex = s.index + 1;
  }
  return null;
}
const RANGE = new RegExp(String.raw`^\s?(?:-|–|—|to)\s?(?:US\s?\$|\$)?\s?(${NUM})${WHOLE}`);

const SCALES = lexicon("scales").map((r) => ({ form: r.form!, factor: Number(r.factor), after: r.after! }));
const SCALE_FACTOR = new Map(SCALES.map((s) => [s.form.toLowerCase(), s.factor]));
const scaleForms = (after: string) => alternatives(SCALES.filter((s) => s.after === after).map((s) => s.form));
/** Scale words read after any number, after up to two spaces or dashes ("5 million", "a $4-million deal", "$107million"). */
const LONG_SCALE = new RegExp(String.raw`^[\s-]{0,2}(${scaleForms("any")})(?![\w])`, "i");
/** Abbreviations read only after a currency: glued or after a space ("$5bn", "$5 bn"), one letter only glued ("$500m"). */
const SHORT_SCALE = new RegExp(String.raw`^(?:\s?(${scaleForms("currency")})|(${scaleForms("currency_glued")}))(?![\w])`, "i");
/** A misspelt scale word ("milllion", "bilion"): guessing it is a risk, and reading the number without it is wrong. */
const MISSPELT_SCALE = /^[\s-]{0,2}(?:m|b|tr)i*l+i*o+n+s?(?![\w])/i;

/** Currency prefixes are matched in the case written ("Rs", "USD"), and not as the end of a word ("A$"). */
const CURRENCY_PREFIX = new RegExp(String.raw`(?<!\p{L})(${alternatives(PREFIX_FORMS)})\s?$`, "u");
const suffixForms = (exactCase: boolean) => alternatives(CURRENCY_FORMS.filter((f) => f.position !== "prefix" && f.exactCase === exactCase).map((f) => f.form));
const CURRENCY_SUFFIX = new RegExp(String.raw`^\s?(${suffixForms(false)})(?![\p{L}\d])`, "iu");
/** Codes that are currencies only in capitals ("5,000 KGS", but "5,000 kgs" of rice). */
const CURRENCY_SUFFIX_EXACT = new RegExp(String.raw`^\s?(${suffixForms(true)})(?![\p{L}\d])`, "u");

const MASS_FORMS = UNIT_FORMS.filter((f) => f.tonnes !== null);
const TONNES = new Map(MASS_FORMS.map((f) => [unitKey(f.form), f.tonnes!]));
const KG_FORMS = MASS_FORMS.filter((f) => f.tonnes === 0.001).map((f) => f.form);
/** A mass unit after a space, or after a hyphen in "a 4,000-tonne consignment" (`hyphen` says which is allowed). */
const MASS_UNIT = new RegExp(String.raw`^\s?(?:of\s)?(${alternatives(MASS_FORMS.map((f) => f.form))})(?![\w])`, "i");
const MASS_UNIT_HYPHEN = new RegExp(String.raw`^-(${alternatives(MASS_FORMS.map((f) => f.form))})(?![\w-])`, "i");
const COMPOUND_KG = new RegExp(String.raw`^\s?(?:and|,)?\s?(${NUM})${WHOLE}\s?(${alternatives(KG_FORMS)})(?![\w])`, "i");
const PERCENT = /^\s?(%|percent\b|per cent\b|pct\b|percentage points?\b)/i;
const MULTIPLIER = /^(?:[\s-]?(times|fold)\b)/i;

/** Countable nouns: every unit form that is not a mass, in the canonical unit it stands for. */
const COUNT_UNIT = new Map(UNIT_FORMS.filter((f) => f.tonnes === null).map((f) => [unitKey(f.form), f.unit]));
const WORDS_AFTER = /^\s([A-Za-z][\p{L}\p{N}_'’-]*)(?:\s([A-Za-z][\p{L}\p{N}_'’-]*))?(?:\s([A-Za-z][\p{L}\p{N}_'’-]*))?/u;
const FUNCTION_WORDS = /^(?:to|for|of|in|on|at|and|or|by|from|with|the|a|an|is|are|was|were|per|than|as|that|which|who|this|it|its|their|out)$/i;

const QUALIFIERS = lexicon("qualifiers");
const QUALIFIER_OF = new Map(QUALIFIERS.map((r) => [r.form!.toLowerCase(), r.qualifier as Qualifier]));
/** A qualifier ending right before the number, itself after a space, bracket or punctuation; the longest wins ("not more than"). */
const QUALIFIER = new RegExp(String.raw`(?<![^\s(,;:])(${alternatives(QUALIFIERS.map((r) => r.form!))})\s$`, "i");

/** Characters that change nothing in print; they are read through, and offsets are mapped back to the text. */
const INVISIBLE = /[\u00AD\u200B\u200C\u200D\u2060\uFEFF]/;

function parseNum(text: string): number {
  if (/^\d+,\d{1,2}$/.test(text)) return Number(text.replace(",", "."));
  if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(text)) return Number(text.replace(/\./g, ""));
  return Number(text.replace(/[,\s]/g, ""));
}

/** "4.000 tons": one full stop and three digits, which grouping writes as often as decimals do. */
function isDotGrouped(digits: string): boolean {
  return /^[1-9]\d{0,2}\.\d{3}$/.test(digits);
}

/** Rounds away binary noise from scaling ("987.9" × 1e6) so values print as written. */
function clean(v: number): number {
  return Number.isInteger(v) && v >= 0 && v < 1e12 ? v : Number(v.toPrecision(12));
}

/** The counted noun after a bare number: a known one within three words, else the next content word. */
function countAfter(rest: string): { unit: string; length: number } | null {
  const m = WORDS_AFTER.exec(rest);
  if (!m) return null;
  const words = [m[1], m[2], m[3]].filter((w): w is string => w !== undefined);
  let offset = 1;
  for (let i = 0; i < words.length; i++) {
    const two = words[i + 1] ? `${words[i]} ${words[i + 1]}` : null;
    const hitTwo = two ? COUNT_UNIT.get(unitKey(two)) : undefined;
    const hit = hitTwo ?? COUNT_UNIT.get(unitKey(words[i]!));
    if (hit) return { unit: hit, length: offset + (hitTwo ? two!.length : words[i]!.length) };
    if (FUNCTION_WORDS.test(words[i]!)) break;
    offset += words[i]!.length + 1;
  }
  const first = words[0]!;
  return FUNCTION_WORDS.test(first) ? null : { unit: first.toLowerCase(), length: 0 };
}

function endsWithLetter(before: string): boolean {
  return /\p{L}$/u.test(before);
}

/** `/^\s*\)/` on the four characters from `end`. */
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
 * Invisible characters inside a number are read through; spans are offsets into `text` as given.
 */
export function scanQuantities(text: string): Quantity[] {
  if (!INVISIBLE.test(text)) return scanVisible(text);
  const kept: number[] = [];
  let visible = "";
  for (let i = 0; i < text.length; i++) {
    if (INVISIBLE.test(text[i]!)) continue;
    kept.push(i);
    visible += text[i];
  }
  kept.push(text.length);
  const at = (k: number) => kept[k]!;
  const after = (k: number) => (k === 0 ? 0 : kept[k - 1]! + 1);
  return scanVisible(visible).map((q) => ({ ...q, start: at(q.start), qualStart: at(q.qualStart), end: after(q.end), text: text.slice(at(q.start), after(q.end)) }));
}

function scanVisible(text: string): Quantity[] {
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

    // Three digits after a space would have been read as a group: here they end in a mark that the groups do not allow.
    if (digits !== undefined && /^\d{1,3}$/.test(digits) && /^ \d{3}(?!\d)/.test(rest)) continue;

    let currency: string | null = null;
    let currencyForm: string | null = null;
    const before = text.slice(Math.max(0, start - 12), start);
    const pre = digits !== undefined ? CURRENCY_PREFIX.exec(before) : null;
    // A number glued to letters is a code ("G20", "H1") unless the letters are a currency ("USD1.5 billion", "Rs5,000").
    if (!pre && endsWithLetter(before)) continue;
    if (pre) {
      currencyForm = pre[1]!;
      currency = currencyFromWord(currencyForm);
      start -= pre[0].length;
    }

    let high: number | null = null;
    const range = digits !== undefined ? RANGE.exec(rest) : null;
    if (range && !/\bfrom\s(?:US\s?\$|\$)?\s?$/i.test(text.slice(Math.max(0, m.index - 12), m.index))) {
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
    const sc = LONG_SCALE.exec(rest) ?? (currency ? SHORT_SCALE.exec(rest) : null);
    if (sc) {
      scale = SCALE_FACTOR.get((sc[1] ?? sc[2])!.toLowerCase())!;
      scaled = true;
      end += sc[0].length;
      rest = rest.slice(sc[0].length);
    } else if (MISSPELT_SCALE.test(rest)) {
      continue;
    } else if (digits !== undefined && /^[A-Za-z]/.test(rest) && !/^(mt|t|kgs?|s?t|nd|rd|th)\b/i.test(rest)) {
      continue; // a code or ordinal glued to letters ("4M23", "5G"), not a quantity
    }

    let kind: QuantityKind = "plain";
    let unit: string | null = null;
    let value = value0 * scale;
    if (high !== null) high *= scale;

    const cs = currency ? null : (CURRENCY_SUFFIX_EXACT.exec(rest) ?? CURRENCY_SUFFIX.exec(rest));
    if (cs) {
      currencyForm = cs[1]!;
      currency = currencyFromWord(currencyForm);
      end += cs[0].length;
      rest = rest.slice(cs[0].length);
    }
    let compound = false;
    if (currency) kind = "money";
    else {
      const left = text.slice(Math.max(0, start - 4), start);
      const mu = MASS_UNIT.exec(rest) ?? (/\ban?\s$/i.test(left) ? MASS_UNIT_HYPHEN.exec(rest) : null);
      let pc: RegExpExecArray | null = null;
      let mul: RegExpExecArray | null = null;
      if (mu && !(mu[1]!.toLowerCase() === "t" && /^\s?t\s?\w/.test(rest) && !/^\s?t\b/.test(rest))) {
        kind = "mass";
        unit = "t";
        const perUnit = TONNES.get(unitKey(mu[1]!))!;
        value *= perUnit;
        if (high !== null) high *= perUnit;
        end += mu[0].length;
        rest = rest.slice(mu[0].length);
        const kg = perUnit === 1 ? COMPOUND_KG.exec(rest) : null;
        if (kg) {
          value = (Math.round(value * 1000) + parseNum(kg[1]!)) / 1000;
          end += kg[0].length;
          compound = true;
        }
      } else if ((pc = PERCENT.exec(rest))) {
        kind = "percent";
        end += pc[0].length;
      } else if ((mul = MULTIPLIER.exec(rest))) {
        kind = "multiplier";
        end += mul[0].length;
      } else if (digits !== undefined && !scaled && high === null && /^\d{4}$/.test(digits) && value0 >= 1900 && value0 <= 2099) {
        kind = "year";
      } else {
        const count = isSpaceCode(rest.charCodeAt(0)) && isAsciiLetter(rest.charCodeAt(1)) ? countAfter(rest) : null;
        if (count) {
          kind = "count";
          unit = count.unit;
          end += count.length;
        }
      }
    }

    // "4.000 tons" groups thousands; a percentage or multiplier keeps its decimals; a bare figure is not guessed.
    if (digits !== undefined && !scaled && isDotGrouped(digits)) {
      if (kind === "plain" || kind === "year" || compound || high !== null) continue;
      if (kind === "money" || kind === "mass" || kind === "count") value *= 1000;
    }

    let qualifier: Qualifier = "exact";
    let qualStart = start;
    const qm = QUALIFIER.exec(text.slice(Math.max(0, start - 30), start));
    if (qm) {
      qualifier = QUALIFIER_OF.get(qm[1]!.toLowerCase().replace(/\s+/g, " "))!;
      qualStart = start - qm[0].length;
    }
    if (high !== null && qualifier === "exact") qualifier = "approx";

    const parenthesized = closesParen(text, end) && /\(\s*(?:[\w ]{0,12}\s)?$/.test(text.slice(Math.max(0, qualStart - 16), qualStart));
    out.push({
      start, end, qualStart, text: text.slice(start, end), kind, value: clean(value), high: high === null ? null : clean(high),
      currency, currencyForm, unit, qualifier, scaled, parenthesized,
    });
    consumedTo = end;
  }
  return out;
}
