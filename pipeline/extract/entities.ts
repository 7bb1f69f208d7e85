import { createRequire } from "node:module";
import type { Country } from "world-countries";
import type { Reference } from "../types.ts";
import { PhraseIndex } from "./wordindex.ts";

export interface EntityMention {
  start: number;
  end: number;
  text: string;
  iso3: string;
  /** name/demonym/capital stand for the country; place is a location inside it. */
  kind: "name" | "demonym" | "capital" | "place";
  /** Canonical place name, for kind place. */
  place: string | null;
  /** Gazetteer kind of a place (border_crossing, station, city, province, ...), else null. */
  placeKind: string | null;
}

export interface ChannelMention {
  start: number;
  end: number;
  channel: string;
  iso3: string | null;
}

export interface Gazetteer {
  entities(text: string): EntityMention[];
  channels(text: string): ChannelMention[];
}

interface Alias {
  text: string;
  iso3: string;
  kind: EntityMention["kind"];
  place: string | null;
  placeKind: string | null;
}

/**
 * Required, not imported: tsx compiles an imported JSON file as a module, a cost every extraction worker
 * would pay for this large file, where require only parses it.
 */
function worldCountries(): Country[] {
  return createRequire(import.meta.url)("world-countries/countries.json") as Country[];
}

/** Short codes in world-countries' altSpellings ("KZ", "AF") would match ordinary capitals in text. */
const MIN_ALT_SPELLING = 4;

const ALL_CAPS = /^[\p{Lu}\p{N}.&-]+$/u;

const UPPER_START = /^\p{Lu}/u;

/**
 * Matching ignores case ("Mazar-I-Sharif"), but an alias written in capitals (WHO, US, UAE) must match
 * exactly (`exact`, decided once per alias), and a country name or demonym must be capitalised ("turkey"
 * the bird is not Türkiye).
 */
function accepts(alias: string, exact: boolean, matched: string, isPlace: boolean): boolean {
  if (exact) return matched === alias;
  if (isPlace) return true;
  const c = matched.charCodeAt(0);
  return c < 128 ? c >= 65 && c <= 90 : UPPER_START.test(matched);
}

function countryAliases(ref: Reference): Alias[] {
  const out: Alias[] = [];
  for (const c of worldCountries()) {
    const names = [c.name.common, c.name.official, ...c.altSpellings.filter((s) => s.length >= MIN_ALT_SPELLING && /^[A-Z][\p{L} .'-]+$/u.test(s))];
    for (const n of names) out.push({ text: n, iso3: c.cca3, kind: "name", place: null, placeKind: null });
    const dem = c.demonyms?.eng;
    if (dem) for (const d of new Set([dem.m, dem.f])) if (d) out.push({ text: d, iso3: c.cca3, kind: "demonym", place: null, placeKind: null });
  }
  for (const a of ref.countryAliases) out.push({ text: a.alias, iso3: a.iso3, kind: a.kind, place: null, placeKind: null });
  for (const p of ref.places) {
    for (const n of [p.place, ...p.aliases]) {
      out.push({ text: n, iso3: p.country_iso3, kind: p.kind === "capital" ? "capital" : "place", place: p.place, placeKind: p.kind });
    }
  }
  return out;
}

/** Builds the matcher once per run: countries (names, demonyms, capitals), places and agencies. */
export function buildGazetteer(ref: Reference): Gazetteer {
  const aliases = countryAliases(ref);
  const byText = new Map<string, Alias>();
  // Country readings win over place readings of the same word ("Kabul" the government vs the city).
  for (const a of aliases) {
    const key = a.text.toLowerCase();
    const prev = byText.get(key);
    if (!prev || (prev.kind === "place" && a.kind !== "place")) byText.set(key, { ...a, place: a.place ?? prev?.place ?? null, placeKind: a.placeKind ?? prev?.placeKind ?? null });
  }
  const entityIndex = new PhraseIndex([...byText.values()].map((a) => ({ text: a.text, value: { ...a, exact: ALL_CAPS.test(a.text) } })));
  const channelIndex = new PhraseIndex(
    ref.agencies.flatMap((a) => [a.channel, ...a.aliases].map((n) => ({ text: n, value: { channel: a.channel, iso3: a.country_iso3, exact: ALL_CAPS.test(n) } }))),
  );
  // Made once, not per text: tsx names every closure as it is made.
  const entity = (start: number, end: number, matched: string, alias: string, a: Alias & { exact: boolean }): EntityMention | null =>
    accepts(alias, a.exact, matched, a.kind === "place") ? { start, end, text: matched, iso3: a.iso3, kind: a.kind, place: a.place, placeKind: a.placeKind } : null;
  const channel = (start: number, end: number, matched: string, alias: string, c: { channel: string; iso3: string | null; exact: boolean }): ChannelMention | null =>
    accepts(alias, c.exact, matched, true) ? { start, end, channel: c.channel, iso3: c.iso3 } : null;

  return {
    entities: (text) => entityIndex.find(text, entity),
    channels: (text) => channelIndex.find(text, channel),
  };
}
