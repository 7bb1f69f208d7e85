import type { Article } from "../types.ts";
import type { Gazetteer, EntityMention, ChannelMention } from "./entities.ts";
import { currencyFromWord } from "../normalize/currency.ts";
import { scanQuantities, type Quantity } from "./numbers.ts";
import { calendarFor, scanPeriods, type PeriodMention } from "./periods.ts";
import { splitSentences, type Sentence } from "./sentences.ts";

/** Everything the rules need about one sentence, computed once. Offsets are relative to the sentence. */
export interface SentenceAnalysis {
  readonly sentence: Sentence;
  readonly text: string;
  readonly quantities: Quantity[];
  readonly periods: PeriodMention[];
  readonly entities: EntityMention[];
  readonly channels: ChannelMention[];
  /** Whether a (non-global) cue matches the sentence; each cue is tested once per sentence, as rules ask again and again. */
  has(cue: RegExp): boolean;
  /** What `of` makes of the sentence, made once. */
  derive<T>(of: (a: SentenceAnalysis) => T): T;
}

export interface ArticleContext {
  article: Article;
  published: string | null;
  /** The country the article is mostly about besides the hub (e.g. KAZ in a Kazakh-Afghan story). */
  focus: string | null;
  /** Afghanistan when the article names it, else the second most named country. */
  hub: string | null;
  sentences: SentenceAnalysis[];
}

/**
 * Each cue gets a number on first use, so that a sentence keeps what it knows of the first 32 cues in two
 * bit sets (a map per sentence was much of what asking cost); the rules use a dozen.
 */
const CUE_IDS = new Map<RegExp, number>();
const KEPT_CUES = 32;

function cueId(cue: RegExp): number {
  let id = CUE_IDS.get(cue);
  if (id === undefined) {
    if (cue.global || cue.sticky) throw new Error(`cue ${cue} keeps state between tests`);
    CUE_IDS.set(cue, (id = CUE_IDS.size));
  }
  return id;
}

/** The article's main pair, known once every sentence is read: whose fiscal calendar its sentences use by default. */
interface CalendarContext {
  pair: (string | null)[];
}

/**
 * Periods and channels are scanned on first use: most sentences carry no number, and the rules read
 * those only around numbers. Entities are always scanned, as every sentence counts toward the main pair.
 */
class Analysis implements SentenceAnalysis {
  readonly text: string;
  readonly quantities: Quantity[];
  readonly entities: EntityMention[];
  private scannedPeriods: PeriodMention[] | null = null;
  /** Where amounts with a unit start: "2000 metric tonnes" is an amount, not the year 2000. */
  private amountStarts: number[] = [];
  private scannedChannels: ChannelMention[] | null = null;
  /** Bit `cueId(cue)` set: the cue was tested (`cuesTested`) and matched (`cuesHit`). */
  private cuesTested = 0;
  private cuesHit = 0;
  private derived: Map<(a: SentenceAnalysis) => unknown, unknown> | null = null;

  constructor(
    readonly sentence: Sentence,
    private readonly published: string | null,
    private readonly gazetteer: Gazetteer,
    private readonly calendar: CalendarContext = { pair: [] },
  ) {
    const text = sentence.text;
    this.text = text;
    const scanned = scanQuantities(text);
    const found = gazetteer.entities(text);
    if (scanned.length === 0) {
      this.entities = found;
      this.quantities = scanned;
      return;
    }
    // A currency prefix is not a country ("US$12.7 million"); numbers inside dates ("April 26", "4M23")
    // and names ("CASA-1000") are not quantities.
    const money = scanned.filter((q) => q.kind === "money");
    const entities = money.length ? found.filter((e) => !money.some((q) => e.start < q.end && e.end > q.start)) : found;
    this.entities = entities;
    this.amountStarts = scanned.filter((q) => q.unit !== null && (q.kind === "mass" || q.kind === "count")).map((q) => q.start);
    const periods = this.periods;
    const quantities = scanned.filter(
      (q) => !periods.some((p) => q.start < p.end && q.end > p.start) && !entities.some((e) => q.start >= e.start && q.start < e.end),
    );
    this.quantities = elideUnits(text, mergeRestatements(text, quantities));
  }

  get periods(): PeriodMention[] {
    if (!this.scannedPeriods) {
      const named = this.entities.filter((e) => e.kind !== "place").map((e) => e.iso3);
      const found = scanPeriods(this.text, this.published, calendarFor(named, this.calendar.pair));
      this.scannedPeriods = found.filter((p) => !(/^(?:\w+\s)?\d{4}$/.test(p.text) && this.amountStarts.includes(p.end - 4)));
    }
    return this.scannedPeriods;
  }

  /** Periods scanned before the article's pair was known are read again where one was left unresolved, as a fiscal year waits for that pair. */
  rescanFiscal(): void {
    if (this.scannedPeriods?.some((p) => p.unresolved !== null)) this.scannedPeriods = null;
  }

  get channels(): ChannelMention[] {
    return (this.scannedChannels ??= this.gazetteer.channels(this.text));
  }

  has(cue: RegExp): boolean {
    const id = cueId(cue);
    if (id >= KEPT_CUES) return cue.test(this.text);
    const bit = 1 << id;
    if ((this.cuesTested & bit) === 0) {
      this.cuesTested |= bit;
      if (cue.test(this.text)) this.cuesHit |= bit;
    }
    return (this.cuesHit & bit) !== 0;
  }

  derive<T>(of: (a: SentenceAnalysis) => T): T {
    this.derived ??= new Map();
    if (this.derived.has(of)) return this.derived.get(of) as T;
    const made = of(this);
    this.derived.set(of, made);
    return made;
  }
}

/**
 * "almost $1 billion ($987.9 million)": one figure written twice. The precise one stands for both,
 * at the place of the first, so the clause around it still decides what it is.
 */
function mergeRestatements(text: string, qs: Quantity[]): Quantity[] {
  const out: Quantity[] = [];
  for (let i = 0; i < qs.length; i++) {
    const x = qs[i]!;
    const y = qs[i + 1];
    if (y && x.kind === "money" && y.kind === "money" && x.currency === y.currency && y.parenthesized && /^\s*\(\s*$/.test(text.slice(x.end, y.qualStart)) && Math.abs(x.value - y.value) / Math.max(x.value, y.value) <= 0.1) {
      out.push({ ...y, qualStart: x.qualStart, parenthesized: false });
      i++;
      continue;
    }
    out.push(x);
  }
  return out;
}

/**
 * "1.1 million tons; Russia — 237 thousand": a bare scaled number in a list of tonnages takes the unit of the
 * item before it, which the writer left out.
 */
function elideUnits(text: string, qs: Quantity[]): Quantity[] {
  return qs.map((q, i) => {
    if (q.kind !== "plain" || !q.scaled) return q;
    // Prices between the items ("1.1 million tons at $265 per ton; Russia — 237 thousand") do not break the list.
    const prev = qs.slice(0, i).reverse().find((x) => x.kind !== "money");
    if (!prev || prev.kind !== "mass" || !/[;,—–]/.test(text.slice(prev.end, q.qualStart))) return q;
    return { ...q, kind: "mass", unit: prev.unit };
  });
}

/** The other country of the article's main pair: what a sentence naming only one side implies. */
export function otherOf(ctx: ArticleContext, iso3: string | null): string | null {
  if (iso3 === null) return null;
  if (iso3 === ctx.hub) return ctx.focus;
  if (iso3 === ctx.focus) return ctx.hub;
  return ctx.focus ?? ctx.hub;
}

/** Adds a mention of a country; a module function, as tsx names every closure as it is made. */
function count(counts: Map<string, { n: number; first: number }>, iso3: string, weight: number, pos: number): void {
  const c = counts.get(iso3);
  if (c) c.n += weight;
  else counts.set(iso3, { n: weight, first: pos });
}

/**
 * "Rs 200 crore" in a story about India is Indian rupees: a currency name shared by several countries takes the
 * reading of a country the sentence names, else of the article's main pair, else its default.
 */
function settleCurrencies(a: SentenceAnalysis, pair: (string | null)[]): void {
  const countries = [...a.entities.filter((e) => e.kind !== "place").map((e) => e.iso3), ...pair];
  for (const q of a.quantities) {
    if (q.kind !== "money" || q.currencyForm === null) continue;
    const settled = countries.map((c) => currencyFromWord(q.currencyForm!, c)).find((code) => code !== null && code !== q.currency);
    if (settled) q.currency = settled;
  }
}

export function analyzeArticle(article: Article, gazetteer: Gazetteer): ArticleContext {
  const published = article.meta.published_date;
  const calendar: CalendarContext = { pair: [] };
  const analyses = splitSentences(article).map((s) => new Analysis(s, published, gazetteer, calendar));
  const sentences: SentenceAnalysis[] = analyses;
  const counts = new Map<string, { n: number; first: number }>();
  gazetteer.entities(article.meta.title ?? "").forEach((e, i) => count(counts, e.iso3, 2, -1000 + i));
  for (const s of sentences) for (const e of s.entities) count(counts, e.iso3, e.kind === "place" ? 0.5 : 1, s.sentence.start + e.start);
  const ranked = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first).map(([k]) => k);
  const hub = counts.has("AFG") ? "AFG" : (ranked[1] ?? null);
  const focus = ranked.find((k) => k !== hub) ?? null;
  calendar.pair = [focus, hub];
  for (const s of sentences) settleCurrencies(s, [focus, hub]);
  for (const s of analyses) s.rescanFiscal();
  return { article, published, focus, hub, sentences };
}
