/**
 * A seeded, deterministic corpus generator for benchmarks and tests: news-like articles about trade, aid,
 * contracts and grants between Afghanistan and its neighbours, written from this file's own templates (no
 * real article is copied). Each article is a pure function of (seed, index), so a corpus can be generated
 * in any order, in pieces, or in parallel and still be byte-identical.
 *
 *   npx tsx bench/generate.ts --articles N [--seed S] --out DIR
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

/** Bumped whenever the output changes, so cached corpora are regenerated. */
export const GENERATOR_VERSION = 1;
export const MIN_BYTES = 1024;
export const MAX_BYTES = 10 * 1024;

// ---------------------------------------------------------------- PRNG

/** mulberry32: a small, fast 32-bit PRNG; the same seed always gives the same stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the corpus seed and an article index into one 32-bit seed (murmur3 finalizer). */
function mix(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Rng {
  private readonly f: () => number;
  constructor(seed: number) {
    this.f = mulberry32(seed);
  }
  next(): number {
    return this.f();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.f() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.f() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  /** `n` distinct items, in random order. */
  sample<T>(xs: readonly T[], n: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.f() * pool.length), 1)[0]!);
    return out;
  }
}

// ---------------------------------------------------------------- vocabulary

interface Country {
  name: string;
  demonym: string;
  capital: string;
  places: string[];
  currency: string;
  /** Rough local units per US dollar, only to keep stated conversions plausible. */
  perUsd: number;
}

const AFGHANISTAN: Country = {
  name: "Afghanistan", demonym: "Afghan", capital: "Kabul", places: ["Mazar-i-Sharif", "Herat", "Kandahar", "Hairatan", "Torghundi", "Jalalabad", "Kunduz", "Spin Boldak"],
  currency: "afghanis", perUsd: 70,
};

const NEIGHBOURS: Country[] = [
  { name: "Kazakhstan", demonym: "Kazakh", capital: "Astana", places: ["Almaty", "Shymkent", "Khorgos", "Saryagash"], currency: "tenge", perUsd: 460 },
  { name: "Uzbekistan", demonym: "Uzbek", capital: "Tashkent", places: ["Termez", "Samarkand", "Surkhandarya"], currency: "soums", perUsd: 12000 },
  { name: "Turkmenistan", demonym: "Turkmen", capital: "Ashgabat", places: ["Serhetabat", "Turkmenabat", "Imamnazar"], currency: "manats", perUsd: 3.5 },
  { name: "Tajikistan", demonym: "Tajik", capital: "Dushanbe", places: ["Panji Poyon", "Kulob", "Khatlon"], currency: "somoni", perUsd: 10.9 },
  { name: "Kyrgyzstan", demonym: "Kyrgyz", capital: "Bishkek", places: ["Osh"], currency: "soms", perUsd: 88 },
  { name: "Pakistan", demonym: "Pakistani", capital: "Islamabad", places: ["Peshawar", "Karachi", "Quetta", "Chaman"], currency: "rupees", perUsd: 280 },
  { name: "Iran", demonym: "Iranian", capital: "Tehran", places: ["Mashhad", "Chabahar", "Dogharoun", "Zahedan"], currency: "rials", perUsd: 42000 },
  { name: "China", demonym: "Chinese", capital: "Beijing", places: ["Urumqi", "Kashgar", "Lanzhou"], currency: "yuan", perUsd: 7.1 },
];

const PUBLISHERS = ["Steppe Business Wire", "Amu Darya Courier", "Silk Corridor Daily", "Central Asia Ledger", "Hindu Kush Monitor", "Caravan Economic Review", "Pamir Post", "Transit Times Asia"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const COMMODITIES = ["wheat", "flour", "wheat flour", "rice", "sugar", "sunflower oil", "vegetable oil", "cotton", "dried fruit", "fresh fruit", "pomegranates", "coal", "cement", "fertilizers", "fuel", "metal products", "pasta", "salt"];
const AID_ITEMS = ["flour", "rice", "sugar", "vegetable oil", "blankets", "tents", "medicines", "canned food", "clothing", "hygiene kits"];
const WORDS_FIRST = ["Aibek", "Dilnoza", "Farhad", "Gulnara", "Rustam", "Nodira", "Bakhtiyor", "Zarina", "Timur", "Malika", "Sardor", "Laylo"];
const WORDS_LAST = ["Nurlanov", "Karimova", "Rahimi", "Sadykov", "Yusupova", "Azimov", "Tokhtarov", "Safarova", "Ergashev", "Ismailova"];
const ROLES = ["Deputy Minister of Trade", "the head of the chamber of commerce", "an adviser to the ministry of economy", "the spokesman of the ministry of industry and commerce", "a senior customs official", "the trade representative"];

// ---------------------------------------------------------------- numbers

function commas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function decimal(rng: Rng, lo: number, hi: number, places = 1): string {
  const v = lo + rng.next() * (hi - lo);
  const s = v.toFixed(places);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** A money amount in one of the formats the extractor reads, in US dollars. */
function usdAmount(rng: Rng, scale: "million" | "billion" = rng.chance(0.8) ? "million" : "billion"): string {
  const v = scale === "million" ? decimal(rng, 1, 999) : decimal(rng, 1, 9, rng.chance(0.5) ? 1 : 2);
  switch (rng.int(0, 6)) {
    case 0: return `$${v} ${scale}`;
    case 1: return `USD ${v} ${scale}`;
    case 2: return `${v} ${scale} US dollars`;
    case 3: return `$${v}${scale === "million" ? "mn" : "bn"}`;
    case 4: return `US$${v} ${scale}`;
    case 5: return `$${v} ${scale === "million" ? "mln" : "bln"}`;
    default: return scale === "million" ? `$${commas(Math.round(Number(v) * 1e6))}` : `$${v} ${scale}`;
  }
}

/** "6.4 billion tenge (approximately US$12.7 million)": a local-currency amount with the article's own conversion. */
function localAmount(rng: Rng, c: Country): string {
  const usdMillions = Number(decimal(rng, 2, 90));
  const local = usdMillions * 1e6 * c.perUsd;
  const [v, scale] = local >= 1e9 ? [(local / 1e9).toFixed(1), "billion"] : [(local / 1e6).toFixed(1), "million"];
  const link = rng.pick(["approximately ", "about ", "around ", ""]);
  return `${v} ${scale} ${c.currency} (${link}US$${usdMillions} million)`;
}

function money(rng: Rng, c: Country): string {
  return rng.chance(0.15) ? localAmount(rng, c) : usdAmount(rng);
}

function tonnage(rng: Rng): string {
  switch (rng.int(0, 4)) {
    case 0: return `${decimal(rng, 1, 3)} million tons`;
    case 1: return `${rng.int(20, 900)} tons and ${rng.int(1, 999)} kilograms`;
    case 2: return `${commas(rng.int(1, 900) * 100)} tons`;
    case 3: return `${decimal(rng, 1, 90)} thousand tonnes`;
    default: return `${commas(rng.int(50, 99_000))} tonnes`;
  }
}

function spelledSmall(rng: Rng): string {
  const tens = ["twenty", "thirty", "forty", "fifty"];
  const ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
  return rng.chance(0.3) ? `${rng.pick(tens)} ${rng.pick(ones)}` : String(rng.int(8, 120));
}

// ---------------------------------------------------------------- periods

interface Ctx {
  rng: Rng;
  p: Country;
  a: Country;
  /** Publication year (relative periods resolve against it), or null for an undated article. */
  year: number;
}

function period(x: Ctx): string {
  const { rng, year } = x;
  const y = year - rng.int(0, 3);
  switch (rng.int(0, 7)) {
    case 0: return `in ${y}`;
    case 1: {
      const m1 = rng.int(0, 5);
      return `in ${MONTHS[m1]}-${MONTHS[m1 + rng.int(1, 6)]} ${y}`;
    }
    case 2: return `in the first half of ${rng.chance(0.5) ? "this year" : String(y)}`;
    case 3: return "last year";
    case 4: return `in the first ${rng.pick(["three", "five", "nine", "six"])} months of ${y}`;
    case 5: return `in the ${rng.pick(["first", "second", "third"])} quarter of ${y}`;
    case 6: return `in ${rng.pick(MONTHS)} ${y}`;
    default: return `in ${y}`;
  }
}

// ---------------------------------------------------------------- sentences

function person(rng: Rng): string {
  return `${rng.pick(WORDS_FIRST)} ${rng.pick(WORDS_LAST)}`;
}

function pct(rng: Rng): string {
  return `${decimal(rng, 2, 95)}${rng.chance(0.5) ? "%" : " percent"}`;
}

/** Sentences carrying a fact, each in the constructions the extractor reads. */
const FACTS: ((x: Ctx) => string)[] = [
  (x) => `Trade turnover between ${x.p.name} and ${x.a.name} reached ${money(x.rng, x.p)} ${period(x)}.`,
  (x) => `${x.rng.pick(["Bilateral", "Mutual"])} trade between ${x.a.name} and ${x.p.name} amounted to ${x.rng.pick(["almost ", "about ", "over ", ""])}${usdAmount(x.rng)} ${period(x)}, ${x.rng.pick(["up", "down"])} ${pct(x.rng)} compared to the previous year.`,
  (x) => `${x.p.demonym} exports to Afghanistan ${x.rng.pick(["amounted to", "totaled", "reached", "stood at"])} ${usdAmount(x.rng)} ${period(x)}.`,
  (x) => `${x.p.name}'s exports to Afghanistan totaled ${usdAmount(x.rng)} ${period(x)}, while imports from Afghanistan stood at ${usdAmount(x.rng, "million")}.`,
  (x) => `${period(x).replace(/^./, (c) => c.toUpperCase())}, ${x.p.name} exported ${tonnage(x.rng)} of ${x.rng.pick(COMMODITIES)} to Afghanistan.`,
  (x) => `${x.a.name} imported ${tonnage(x.rng)} of ${x.rng.pick(COMMODITIES)} from ${x.p.name} ${period(x)}.`,
  (x) => `Afghan imports from ${x.p.name} ${x.rng.pick(["rose", "fell"])} to ${usdAmount(x.rng, "million")} ${period(x)}.`,
  (x) => `${x.p.name} plans to raise bilateral trade with Afghanistan to ${usdAmount(x.rng, "billion")} ${x.rng.pick(["in the coming years", "by 2030", "within five years"])}.`,
  (x) => `According to ${x.p.demonym} customs data, exports from ${x.p.name} to Afghanistan reached ${usdAmount(x.rng)} ${period(x)}.`,
  (x) => `${x.p.name} has sent ${tonnage(x.rng)} of humanitarian aid to Afghanistan${x.rng.chance(0.5) ? `, including ${x.rng.pick(AID_ITEMS)} and ${x.rng.pick(AID_ITEMS)}` : ""}.`,
  (x) => `A humanitarian train of ${spelledSmall(x.rng)} wagons carrying ${x.rng.pick(AID_ITEMS)} and ${x.rng.pick(AID_ITEMS)} left ${x.rng.pick(x.p.places)} for ${x.rng.pick(AFGHANISTAN.places)}.`,
  (x) => `${x.p.name} dispatched ${spelledSmall(x.rng)} wagons of humanitarian aid to Afghanistan ${x.rng.pick(["on Monday", "last week", `in ${x.rng.pick(MONTHS)}`])}.`,
  (x) => `The humanitarian aid delivered by ${x.p.name} to Afghanistan was worth ${localAmount(x.rng, x.p)}.`,
  (x) => `${x.p.demonym} and Afghan companies signed contracts worth ${usdAmount(x.rng, "million")} in ${x.rng.pick([x.p.capital, AFGHANISTAN.capital, ...x.p.places.slice(0, 1)])}.`,
  (x) => `${x.p.demonym} and Afghan firms signed ${x.rng.int(3, 40)} agreements worth ${usdAmount(x.rng, "million")} at the business forum.`,
  (x) => `The contracts signed include the supply of ${tonnage(x.rng)} of ${x.rng.pick(COMMODITIES)} to Afghanistan.`,
  (x) => `Some ${x.rng.int(40, 900)} Afghan students currently study at ${x.rng.int(3, 40)} ${x.p.demonym} universities.`,
  (x) => `${x.p.name} offers ${x.rng.int(10, 200)} scholarships to Afghan citizens every year.`,
  (x) => `${x.p.name} plans to raise the quota to ${x.rng.int(50, 300)} grants per year for Afghan students.`,
];

const SUBJECTS = ["Officials from both countries", "The delegation", "Representatives of the business community", "The minister", "Experts at the forum", "The two sides", "Local traders", "Members of the working group", "The chamber of commerce", "Logistics companies"];
const VERBS = ["discussed", "reviewed", "stressed the importance of", "called for", "highlighted", "agreed to explore", "underlined the need for", "expressed interest in", "welcomed progress on", "pledged to support"];
const OBJECTS = [
  "the expansion of transit routes", "closer cooperation in agriculture", "the construction of a new railway line", "simplified customs procedures", "joint ventures in food processing",
  "the development of logistics hubs near the border", "direct flights between the capitals", "a wider range of goods for exhibitions", "training programmes for young specialists", "the modernisation of border crossings",
  "cooperation in energy and mining", "better access to regional markets", "the protection of investors", "a regular dialogue between chambers of commerce", "faster clearance of perishable goods",
];
const TAILS = ["", " during the meeting", ", according to the ministry", ", the press service said", " at a briefing", " in a joint statement", ", officials said", " on the sidelines of the exhibition"];

/** A number-free sentence; sometimes names a capital or a country, never a figure. */
function prose(x: Ctx): string {
  const { rng } = x;
  switch (rng.int(0, 5)) {
    case 0: return `${person(rng)}, ${rng.pick(ROLES)}, said the talks in ${rng.pick([x.p.capital, AFGHANISTAN.capital])} were ${rng.pick(["productive", "constructive", "substantive", "open and friendly"])}.`;
    case 1: return `"${rng.pick(["We see great potential", "Our countries share a long history", "Trade is the bridge between our peoples", "Transit is a priority for the region"])}," ${rng.pick(["he", "she"])} said${rng.pick(["", " during the meeting", " at a briefing", " on the sidelines of the exhibition"])}.`;
    case 2: return `${x.p.name} and ${x.a.name} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)}${rng.pick(TAILS)}.`;
    default: {
      const s = `${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`;
      return rng.chance(0.4) ? `${s} and ${rng.pick(OBJECTS)}${rng.pick(TAILS)}.` : `${s}${rng.pick(TAILS)}.`;
    }
  }
}

function headline(x: Ctx): string {
  const { rng } = x;
  return rng.pick([
    `${x.p.name} and ${x.a.name} discuss ${rng.pick(["trade", "transit", "humanitarian aid", "education", "railway links"])}`,
    `${x.p.demonym} exporters eye Afghan market`,
    `${x.p.name} sends ${rng.int(10, 900)} tons of ${rng.pick(AID_ITEMS)} to ${x.a.name}`,
    `Business forum in ${x.p.capital} ends with ${rng.int(2, 50)} agreements`,
    `${x.a.demonym} traders look to ${x.p.name} for ${rng.pick(COMMODITIES)}`,
    `New freight route links ${rng.pick(x.p.places)} and ${rng.pick(AFGHANISTAN.places)}`,
  ]);
}

function paragraph(x: Ctx, factShare: number): string {
  const n = x.rng.int(2, 5);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(x.rng.chance(factShare) ? x.rng.pick(FACTS)(x) : prose(x));
  return out.join(" ");
}

function dateline(x: Ctx, publisher: string, month: number, day: number): string {
  const { rng } = x;
  const city = rng.pick([x.p.capital, AFGHANISTAN.capital]);
  return rng.chance(0.5) ? `${city.toUpperCase()}, ${MONTHS[month - 1]} ${day} (${publisher}) – ` : `${city.toUpperCase()}. ${publisher.toUpperCase()} – `;
}

function chromeTail(x: Ctx): string {
  const { rng } = x;
  const items = Array.from({ length: rng.int(3, 6) }, () => headline({ ...x, p: rng.pick(NEIGHBOURS) }));
  return `${rng.pick(["Latest news", "Related articles", "You may also like", "Most read"])}\n\n${items.join("\n")}\n\n${rng.pick(["Share this article", "Follow us", "Subscribe"])}\n`;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

export interface GeneratedArticle {
  /** File name: `<id>.txt`, zero-padded so name order is index order. */
  name: string;
  text: string;
}

/** One article, a pure function of (seed, index): UTF-8 between MIN_BYTES and MAX_BYTES with YAML front matter. */
export function generateArticle(seed: number, index: number): GeneratedArticle {
  const rng = new Rng(mix(seed, index));
  const p = rng.pick(NEIGHBOURS);
  const dated = rng.chance(0.95);
  const year = rng.int(2019, 2025);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const x: Ctx = { rng, p, a: AFGHANISTAN, year };
  const id = `g${seed}-${String(index).padStart(7, "0")}`;
  const publisher = rng.pick(PUBLISHERS);
  const title = headline(x);
  const fm = [
    "---",
    `id: ${id}`,
    `title: "${title}"`,
    `publisher: ${publisher}`,
    `url: https://news.example.org/${p.name.toLowerCase()}/${id}`,
    `published: ${dated ? `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` : ""}`,
    "---",
    "",
  ].join("\n");

  const target = MIN_BYTES + Math.floor(rng.next() ** 1.6 * (MAX_BYTES - MIN_BYTES - 1400)) + 200;
  const factShare = 0.15 + rng.next() * 0.35;
  const blocks: string[] = [];
  if (rng.chance(0.3)) blocks.push(title);
  if (rng.chance(0.2)) blocks.push(`By ${person(rng)}`);
  blocks.push(dateline(x, publisher, month, day) + paragraph(x, factShare));
  let size = utf8Length(fm) + utf8Length(blocks.join("\n\n"));
  while (size < target) {
    const extra = rng.chance(0.12)
      ? rng.pick([`Photo credit: ${publisher}`, `Photo: ${rng.pick(PUBLISHERS)}`, `Read also: ${headline(x)}`])
      : paragraph(x, factShare);
    if (size + utf8Length(extra) + 2 > MAX_BYTES - 700) break;
    blocks.push(extra);
    size += utf8Length(extra) + 2;
  }
  while (size < MIN_BYTES) {
    const s = prose(x);
    blocks.push(s);
    size += utf8Length(s) + 2;
  }
  if (rng.chance(0.6)) {
    const tail = chromeTail(x);
    if (size + utf8Length(tail) + 2 <= MAX_BYTES) blocks.push(tail.trimEnd());
  }
  const text = `${fm}${blocks.join("\n\n")}\n`;
  return { name: `${id}.txt`, text };
}

/** Articles index `from` to `to - 1`, lazily. */
export function* generateArticles(seed: number, n: number, from = 0): Generator<GeneratedArticle> {
  for (let i = from; i < n; i++) yield generateArticle(seed, i);
}

/** Writes N articles into `dir` (created if missing); returns total bytes written. */
export async function generateCorpus(dir: string, n: number, seed: number): Promise<number> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const batch = 256;
  for (let i = 0; i < n; i += batch) {
    const arts = [...generateArticles(seed, Math.min(n, i + batch), i)];
    await Promise.all(arts.map((a) => writeFile(join(dir, a.name), a.text)));
    for (const a of arts) bytes += utf8Length(a.text);
  }
  return bytes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { articles: { type: "string" }, seed: { type: "string", default: "1" }, out: { type: "string" } }, strict: true });
  if (!values.articles || !values.out) {
    console.error("usage: tsx bench/generate.ts --articles N [--seed S] --out DIR");
    process.exit(2);
  }
  const n = Number(values.articles);
  const bytes = await generateCorpus(resolve(values.out), n, Number(values.seed));
  console.log(`wrote ${n} articles, ${(bytes / 1e6).toFixed(1)} MB, to ${values.out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
