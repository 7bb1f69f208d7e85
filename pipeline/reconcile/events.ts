/**
 * Event resolution: the mentions of one event key (an aid delivery or pledge between one donor and recipient,
 * contracts between one set of parties; reconcile/keys.ts) told apart into events. Mentions are one event
 * when their figures agree within rounding, their places and other figures do not contradict, and their
 * times fall within EVENT_WINDOW_DAYS; records kept apart that look alike get a conflict row naming both.
 */
import { idOfJson, stableId } from "../ids.ts";
import { factTable, type QaCheck } from "../schema/tables.ts";
import type { ExtractedFact, Qualifier } from "../types.ts";
import { byValue, preference, relativeGap, roundTag, ROUNDED_VALUE, SAME_VALUE, valuesAgree, type Mention } from "./mentions.ts";

/**
 * Days between two mentions' times (the stated day or period, else the article's publication date) within
 * which they may tell one event: outlets report a convoy or a signing from the day it happens to follow-ups
 * about a week later, while a donor's (or a pair's) next event of the same size is weeks away.
 */
export const EVENT_WINDOW_DAYS = 10;

const DAY_MS = 86_400_000;

/** What event resolution compares of a mention besides its main figure. */
export interface EventTraits {
  /** The day stated, else null. */
  date: string | null;
  /** The period stated ("start..end"), else null. */
  period: string | null;
  /** First and last day (days since 1970-01-01) the mention places the event in; null when it gives no time at all. */
  lo: number | null;
  hi: number | null;
  place: string | null;
  commodity: string | null;
  qualifier: Qualifier;
  /** The amounts beside the main one, in the table's order (its registry entry's event.side): where both mentions give one, they must agree. */
  side: (number | null)[];
}

const day = (iso: string) => Date.parse(iso) / DAY_MS;

export function eventTraits(f: ExtractedFact): EventTraits {
  const v = f.fields;
  const date = (v.event_date as string | null | undefined) ?? null;
  const start = (v.period_start as string | null | undefined) ?? null;
  const end = (v.period_end as string | null | undefined) ?? start;
  const published = f.published ?? null;
  const [lo, hi] = date ? [day(date), day(date)] : start ? [day(start), day(end!)] : published ? [day(published), day(published)] : [null, null];
  return {
    date,
    period: start ? `${start}..${end}` : null,
    lo,
    hi,
    place: (v.place as string | null | undefined) ?? null,
    commodity: (v.commodity as string | null | undefined) ?? null,
    qualifier: f.qualifier,
    side: (factTable(f.table).event?.side ?? []).map((k) => (v[k] as number | null | undefined) ?? null),
  };
}

/** Days between two spans of time (0 when they overlap or either is unknown). */
function gap(a: { lo: number | null; hi: number | null }, b: { lo: number | null; hi: number | null }): number {
  if (a.lo === null || b.lo === null) return 0;
  return Math.max(0, a.lo - b.hi!, b.lo - a.hi!);
}

/** "over X" is met by a figure of X or more, "under X" by one of X or less (up to rounding of the same figure). */
function withinBound(bound: Mention<unknown>, other: Mention<unknown>): boolean {
  const [x, y] = [bound.value, other.value];
  if (x === null || y === null) return true;
  const q = bound.event!.qualifier;
  if (q === "at_least") return y >= x * (1 - SAME_VALUE);
  if (q === "at_most") return y <= x * (1 + SAME_VALUE);
  return true;
}

/** Figures, places, goods and other amounts that do not contradict: what two mentions of one event share, whatever their times. */
function alike(a: Mention<unknown>, b: Mention<unknown>): boolean {
  const x = a.event!;
  const y = b.event!;
  if (!valuesAgree(a, b) || !withinBound(a, b) || !withinBound(b, a)) return false;
  if (x.place !== null && y.place !== null && x.place !== y.place) return false;
  if (x.commodity !== null && y.commodity !== null && x.commodity !== y.commodity) return false;
  for (let i = 0; i < x.side.length; i++) {
    const [p, q] = [x.side[i], y.side[i]];
    if (p != null && q != null && relativeGap(p, q) > ROUNDED_VALUE) return false;
  }
  return true;
}

/** Two mentions, of different articles, of one event: alike and within the window. */
function sameEvent(a: Mention<unknown>, b: Mention<unknown>): boolean {
  return gap(a.event!, b.event!) <= EVENT_WINDOW_DAYS && alike(a, b);
}

/**
 * Width of a value bucket, in natural-log units: wider than the largest log-gap of two agreeing figures
 * (-ln(1 - ROUNDED_VALUE) ≈ 0.051), so an event's mentions lie in its first mention's bucket or the next.
 */
const BUCKET_WIDTH = Math.log(1.06);

function bucketOf(v: number | null): number {
  return v === null || v <= 0 ? -Infinity : Math.floor(Math.log(v) / BUCKET_WIDTH);
}

/**
 * One article's mentions of one figure, dated alike: the article repeating a fact, always one record (as
 * before events were resolved). Its mentions share a time: one article, one dating.
 */
type Unit<R> = Mention<R>[];

interface Cluster<R> {
  /** Creation order: of several events a unit could join, the first. */
  index: number;
  members: Mention<R>[];
  articles: Set<string>;
  /** Last day any member places the event in (null while none has a time). */
  hi: number | null;
}

/** A unit may join an event told by other articles only, all of whose mentions it is the same event as (complete linkage). */
function joins<R>(c: Cluster<R>, u: Unit<R>): boolean {
  return !c.articles.has(u[0]!.article_id) && c.members.every((x) => u.every((y) => sameEvent(x, y)));
}

/** Clusters in value buckets, so a unit is compared with the few events of a like figure. */
class Buckets<R> {
  private readonly map = new Map<number, Cluster<R>[]>();

  add(c: Cluster<R>, bucket: number): void {
    const list = this.map.get(bucket);
    if (list) list.push(c);
    else this.map.set(bucket, [c]);
  }

  /**
   * The first cluster (by creation) that `u` joins. With `after`, clusters ending more than a window before
   * that day are dropped first: units come in time order, so none later joins them.
   */
  find(u: Unit<R>, after: number | null): Cluster<R> | undefined {
    const b = bucketOf(u[0]!.value);
    let home: Cluster<R> | undefined;
    for (const k of b === -Infinity ? [b] : [b - 1, b, b + 1]) {
      const list = this.map.get(k);
      if (!list) continue;
      let w = 0;
      for (const c of list) {
        if (after !== null && c.hi !== null && c.hi + EVENT_WINDOW_DAYS < after) continue;
        list[w++] = c;
        if ((!home || c.index < home.index) && joins(c, u)) home = c;
      }
      list.length = w;
    }
    return home;
  }
}

/** Each article's repeats of a figure under one dating (sorted by value, restatements are neighbours, as in MergePlan). */
function units<R>(mentions: Mention<R>[]): Unit<R>[] {
  const byDating = new Map<string, Mention<R>[]>();
  for (const m of mentions) {
    const k = JSON.stringify([m.article_id, m.event!.date, m.event!.period]);
    const list = byDating.get(k);
    if (list) list.push(m);
    else byDating.set(k, [m]);
  }
  const out: Unit<R>[] = [];
  for (const list of byDating.values()) {
    list.sort(byValue);
    let last: Unit<R> | undefined;
    for (const m of list) {
      if (last && valuesAgree(last.at(-1)!, m)) last.push(m);
      else out.push((last = [m]));
    }
  }
  for (const u of out) u.sort(preference);
  return out;
}

/** Units with a time first, in time order, then those without; by best figure within a time. */
function byTime(a: Unit<unknown>, b: Unit<unknown>): number {
  const [x, y] = [a[0]!.event!.lo ?? Infinity, b[0]!.event!.lo ?? Infinity];
  if (x !== y) return x < y ? -1 : 1;
  return byValue(a[0]!, b[0]!);
}

/**
 * The events of one key's mentions, each as its mentions best first. Complete linkage: every two mentions
 * of an event from different articles are sameEvent, so a chain of follow-ups never stretches one event
 * past the window. A unit with no time at all joins the first event it is alike to, as a dated one would.
 */
function cluster<R>(mentions: Mention<R>[]): Mention<R>[][] {
  const open = new Buckets<R>();
  const all = new Buckets<R>();
  const clusters: Cluster<R>[] = [];
  for (const u of units(mentions).sort(byTime)) {
    const { lo, hi } = u[0]!.event!;
    let home = lo === null ? all.find(u, null) : open.find(u, lo);
    if (!home) {
      home = { index: clusters.length, members: [], articles: new Set(), hi: null };
      clusters.push(home);
      const b = bucketOf(u[0]!.value);
      open.add(home, b);
      all.add(home, b);
    }
    home.members.push(...u);
    home.articles.add(u[0]!.article_id);
    if (hi !== null && (home.hi === null || hi > home.hi)) home.hi = hi;
  }
  return clusters.map((c) => c.members.sort(preference));
}

/** An event once clustered: its mentions best first and what naming and comparing it needs. */
interface Resolved<R> {
  mentions: Mention<R>[];
  record_id: string;
  articles: Set<string>;
  /** The earliest day stated by any mention, else the earliest period, else null: part of its id. */
  dateTag: string | null;
  place: string | null;
  /** The span its mentions place it in, and the earliest day any of them states (days since 1970-01-01). */
  lo: number | null;
  hi: number | null;
  day: number | null;
  disputed: boolean;
}

function resolved<R>(mentions: Mention<R>[]): Resolved<R> {
  let date: string | null = null;
  let period: string | null = null;
  let lo: number | null = null;
  let hi: number | null = null;
  let place: string | null = null;
  for (const m of mentions) {
    const e = m.event!;
    if (e.date !== null && (date === null || e.date < date)) date = e.date;
    if (e.period !== null && (period === null || e.period < period)) period = e.period;
    if (e.lo !== null) {
      lo = lo === null ? e.lo : Math.min(lo, e.lo);
      hi = hi === null ? e.hi! : Math.max(hi, e.hi!);
    }
    place ??= e.place;
  }
  return { mentions, record_id: "", articles: new Set(mentions.map((m) => m.article_id)), dateTag: date ?? period, place, lo, hi, day: date === null ? null : day(date), disputed: false };
}

function disjoint(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return false;
  return true;
}

function describe(e: Resolved<unknown>): string {
  const m = e.mentions[0]!;
  return `${e.record_id}: ${m.value} ${m.measure}, ${e.dateTag ?? "no date"}${e.place ? `, ${e.place}` : ""} (${[...e.articles].sort().join(", ")}: "${m.value_text}")`;
}

/**
 * Why two events of one key, from different articles, look like one fact told two ways, or null when they
 * are plainly different events: the same id before telling them apart (same key, date and rounded figure),
 * a figure that differs for days within the window that both articles state (a month or a year stated is
 * too wide to pin two figures to one delivery), or a place that differs for a like figure at a like time.
 */
function clash(a: Resolved<unknown>, b: Resolved<unknown>, sameId: boolean): string | null {
  if (!disjoint(a.articles, b.articles)) return null;
  if (sameId) return "same key, date and rounded figure";
  if (a.lo === null || b.lo === null || gap(a, b) > EVENT_WINDOW_DAYS) return null;
  const [x, y] = [a.mentions[0]!, b.mentions[0]!];
  const agree = valuesAgree(x, y);
  if (!agree && a.day !== null && b.day !== null && Math.abs(a.day - b.day) <= EVENT_WINDOW_DAYS && (a.place === null || b.place === null || a.place === b.place)) return `different figures for days within ${EVENT_WINDOW_DAYS} days`;
  if (agree && a.place !== null && b.place !== null && a.place !== b.place) return "different places";
  return null;
}

/**
 * The records of one event key's mentions (`key`: the key's JSON) and a conflict row for each two that
 * clash. Ids hash the key with the event's date tag and rounded figure; two events with the same id are
 * told apart by the exact figure, then a counter, in a fixed order.
 */
export function resolveEvents<R>(key: string, table: string, mentions: Mention<R>[]): { events: Resolved<R>[]; qa: QaCheck[] } {
  const events = cluster(mentions).map(resolved);
  events.sort((a, b) => ((a.dateTag ?? "~") < (b.dateTag ?? "~") ? -1 : (a.dateTag ?? "~") > (b.dateTag ?? "~") ? 1 : preference(a.mentions[0]!, b.mentions[0]!)));
  const head = key.slice(0, -1);
  const ids = new Set<string>();
  const firstOfBasis = new Map<string, Resolved<R>>();
  const pairs: [Resolved<R>, Resolved<R>, string][] = [];
  for (const e of events) {
    const value = e.mentions[0]!.value;
    const basis = `${head},${JSON.stringify(e.dateTag)},${JSON.stringify(roundTag(value))}]`;
    let id = idOfJson(basis);
    const first = firstOfBasis.get(basis);
    if (first) {
      const why = clash(first, e, true);
      if (why) pairs.push([first, e, why]);
      id = idOfJson(`${head},${JSON.stringify(e.dateTag)},${JSON.stringify(String(value))}]`);
      for (let n = 2; ids.has(id); n++) id = idOfJson(`${head},${JSON.stringify(e.dateTag)},${JSON.stringify(`${value}#${n}`)}]`);
    } else firstOfBasis.set(basis, e);
    ids.add(id);
    e.record_id = id;
  }
  // Near misses among events close in time: sorted by start, each meets only those starting within its window.
  const timed = events.filter((e) => e.lo !== null).sort((a, b) => a.lo! - b.lo! || (a.record_id < b.record_id ? -1 : 1));
  const paired = new Set(pairs.map(([a, b]) => `${a.record_id} ${b.record_id}`));
  for (let i = 0; i < timed.length; i++) {
    for (let j = i + 1; j < timed.length && timed[j]!.lo! <= timed[i]!.hi! + EVENT_WINDOW_DAYS; j++) {
      const [a, b] = [timed[i]!, timed[j]!];
      if (paired.has(`${a.record_id} ${b.record_id}`) || paired.has(`${b.record_id} ${a.record_id}`)) continue;
      const why = clash(a, b, false);
      if (why) pairs.push([a, b, why]);
    }
  }
  const qa: QaCheck[] = [];
  for (const [a, b, why] of pairs) {
    a.disputed = b.disputed = true;
    const [x, y] = a.record_id < b.record_id ? [a, b] : [b, a];
    qa.push({
      check_id: stableId("qa", "conflict", x.record_id, y.record_id),
      check: "conflict",
      severity: "warning",
      passed: false,
      table_name: table,
      record_id: x.record_id,
      article_id: null,
      message: `two ${table} records kept apart (${why}): ${describe(x)} vs ${describe(y)}`,
    });
  }
  return { events, qa };
}
