/**
 * Cue words: each decides one thing about a number from the words near it. The word lists are data in
 * sources/lexicon/cues_*.csv; what stays here is grammar that is not a word list.
 */
import { anyOf } from "./anyof.ts";
import { firstLetters, requiredWords, wordInitials } from "./initials.ts";
import { cuePattern, lexicon } from "./lexicon.ts";

export const TRADE_CUE = cuePattern("cues_trade", "trade");
/** Trade phrasing that keeps a sentence out of the aid story told just before it ("medical supplies" does not). */
export const TRADE_PHRASE = cuePattern("cues_trade", "trade_phrase");
export const STRONG_TRADE = cuePattern("cues_trade", "strong_trade");
export const TURNOVER_CUE = cuePattern("cues_trade", "turnover");
/** Money moved across a border that is not trade in goods between the pair: transit, investment, re-exports. */
export const NOT_TRADE = cuePattern("cues_trade", "not_trade");
export const EXPORT_CUE = cuePattern("cues_trade", "export");
export const IMPORT_CUE = cuePattern("cues_trade", "import");

export const AID_CUE = cuePattern("cues_aid", "aid");
/** Phrases that point back at a shipment just told; grammar with articles, so kept here. */
export const AID_ANAPHORA = /\b(?:the|that|this|a|one)\s(?:aid|shipment|cargo|consignment|convoy|assistance|train|humanitarian|supplies|delivery)\b|\btotal weight\b|\bweighing\b/i;
export const AID_NEW_SHIPMENT = cuePattern("cues_aid", "new_shipment");
export const AID_AGGREGATE = cuePattern("cues_aid", "aggregate");
export const AID_PLEDGE = cuePattern("cues_aid", "pledge");
export const NOT_AID = cuePattern("cues_aid", "not_aid");
/** Budgets, outlays and appeals: money that is aid only when the clause names who receives it. */
export const NOT_AID_FUNDS = cuePattern("cues_aid", "not_aid_funds");

export const POTENTIAL_CUE = cuePattern("cues_status", "potential");
/** Verbs of reporting: a day beside one is when the news was told, not when the deal was made or the aid sent. */
const REPORTING = cuePattern("cues_status", "reporting");
/** A day told with a reporting verb ("the ministry said on Monday"). */
export const REPORTED_BEFORE = new RegExp(String.raw`${REPORTING.source}(?:\s\w+)?\s(?:on\s)?$`, "i");
export const TARGET_CUE = cuePattern("cues_status", "target");
export const FORECAST_CUE = cuePattern("cues_status", "forecast");
/** "from X to Y": X is the current level, whatever target words surround it. */
export const FROM_BEFORE = /\bfrom\s$/i;

/** A change word, or a sign written right before the figure ("+12%", "-3%"). */
export const CHANGE_UP = new RegExp(`${cuePattern("cues_status", "change_up").source}|\\+`, "i");
export const CHANGE_DOWN = new RegExp(`${cuePattern("cues_status", "change_down").source}|[-−–]\\s?$`, "i");
export const DOUBLED = /\b(doubl(?:ed|ing)|tripl(?:ed|ing)|quadrupl(?:ed|ing))\b/i;

/** Countable things that are never facts in these tables: people, firms, days. */
export const NOT_COUNTED = new RegExp(`^(?:${cuePattern("cues_aid", "not_counted").source})$`, "i");

/** Item vocabulary for aid shipments, contracts and commodity flows (sources/lexicon/items.csv): surface pattern → normalized name. */
export const ITEMS: [RegExp, string][] = lexicon("items").map((r) => [new RegExp(r.pattern!, "i"), r.item!]);

const ITEMS_GLOBAL: [RegExp, string, number, string[] | null][] = ITEMS.map(([re, name]) => [new RegExp(re.source, `${re.flags}g`), name, firstLetters(re), requiredWords(re)]);
/** Most texts name no item. */
const ANY_ITEM = anyOf(ITEMS.map(([re]) => re));

function containsAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

/** Items found in a text, in order of appearance, without a shorter name inside a longer one ("oil" in "vegetable oil"). */
export function itemsIn(text: string): string[] {
  if (!ANY_ITEM.test(text)) return [];
  // An item whose first letters begin no word of the text, or whose words the text lacks, cannot match: most
  // of the list is skipped untried (a word is looked for natively, where each pattern was a scan of its own).
  const initials = wordInitials(text);
  const lower = text.toLowerCase();
  const found: { at: number; end: number; name: string }[] = [];
  for (const [g, name, letters, words] of ITEMS_GLOBAL) {
    if ((letters & initials) === 0 || (words !== null && !containsAny(lower, words))) continue;
    g.lastIndex = 0;
    for (let m = g.exec(text); m; m = g.exec(text)) {
      const at = m.index;
      const end = at + m[0].length;
      if (found.some((f) => at < f.end && end > f.at)) continue;
      found.push({ at, end, name });
    }
  }
  const names = found.sort((a, b) => a.at - b.at).map((f) => f.name);
  return [...new Set(names)];
}
