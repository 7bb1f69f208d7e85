/** Cue words: data, not code. Each decides one thing about a number from the words near it. */
import { anyOf } from "./anyof.ts";
import { firstLetters, requiredWords, wordInitials } from "./initials.ts";

export const TRADE_CUE = /\b(?:trade[ds]?|trading|turnover|two-way|exports?|exported|exporting|exporters?|suppliers?|imports?|imported|importing|importers?|shipped|sold|sales|purchas(?:e|es|ed|ing)|bought|supplied|supplies|deliveries|shipments|consumer|trading partners?|trade partners?|worth of goods)\b/i;
/** Trade phrasing that keeps a sentence out of the aid story told just before it ("medical supplies" does not). */
export const TRADE_PHRASE = /\b(?:trade[ds]?|trading|turnover|exports?|imports?|exported|imported|sold|purchased|(?:supplies|supply|deliveries|shipments) of)\b/i;
export const STRONG_TRADE = /\b(?:trade[ds]?|trading|turnover|exports?|imports?|exported|imported)\b/i;
export const TURNOVER_CUE = /\b(?:turnover|trade(?!\s(?:house|center|centre|route|corridor|mission|office|representative))|two-way|trading partners?|trade partners?)\b/i;
export const EXPORT_CUE = /\b(?:exports?|exported|exporting|exporters?|suppliers?|shipped|shipments|sold|sales|supplied|supplies|deliveries|supply)\b/i;
export const IMPORT_CUE = /\b(?:imports?|imported|importing|importers?|purchas(?:e|es|ed|ing)|bought|consumer)\b/i;

export const AID_CUE = /\b(?:humanitarian|aid|assistance|relief|donat(?:e|ed|es|ion|ions)|donors?|gifts?|consignments?|convoys?|WFP|World Food Program(?:me)?|UNICEF|UNHCR|OCHA|Red Crescent|Red Cross|KazAID|TIKA|USAID|(?:quake|earthquake|flood|disaster)[- ](?:hit|affected|stricken|victims|survivors)|victims|needy)\b/i;
export const AID_ANAPHORA = /\b(?:the|that|this|a|one)\s(?:aid|shipment|cargo|consignment|convoy|assistance|train|humanitarian|supplies|delivery)\b|\btotal weight\b|\bweighing\b/i;
export const AID_NEW_SHIPMENT = /\b(?:another|separate|second|next|further|new|additional|previous(?:ly)?|earlier|also)\b/i;
export const AID_AGGREGATE = /\b(?:in total|so far|to date|overall|bringing the total|total (?:support|aid|assistance|amount|value)|over the (?:past|last) \w+ years|since (?:19|20)\d{2}|in recent years|cumulative)\b/i;
export const AID_PLEDGE = /\b(?:allocat(?:e|ed|es|ing)|pledg(?:e|ed|es)|promis(?:e|ed)|commitment of|committed|earmark(?:ed)?|will (?:send|allocate|provide|donate)|decided to (?:send|allocate|provide)|as part of|package)\b/i;
export const NOT_AID = /\b(?:in need|need(?:s|ed)? (?:of )?(?:urgent )?(?:aid|assistance|help)|died|dead|killed|injured|wounded|homeless|displaced|refugees|budget|appeal)\b/i;

export const CONTRACT_NOUN = /\b(?:contracts?|agreements?|deals?|memorand(?:a|ums?)(?: of understanding)?|MoUs?)\b/i;
export const CONTRACT_CUE = /\b(?:sign(?:ed|ing|s)?|conclu(?:ded|des?|ding|sion)|reached|inked|clinched|worth|valued|for a total|totall?ing|amounting)\b/i;
export const CONTRACT_PLANNED = /\b(?:will sign|to be signed|plan(?:s|ned)? to sign|expected to (?:be )?sign|set to sign|prepar(?:e|es|ed|ing) to sign|intend(?:s|ed)? to sign|is being prepared)\b/i;
/** A road map has no value, and money invested is not a contract's price. */
export const NOT_CONTRACT = /\b(?:road ?map|invest(?:ed|ment|ments|ing|s)?)\b/i;

export const GRANT_CUE = /\b(?:grants?|scholarships?|quotas?|students?|universit(?:y|ies)|higher education|study|studying|educational)\b/i;
export const GRANT_PLANNED = /\b(?:plan(?:s|ned)?|propos(?:e|ed|es|al)|suggest(?:ed|s)?|offer(?:ed|s)? to|will|to increase|increase the|intend|aim|expand)\b/i;

export const POTENTIAL_CUE = /\bpotential\b/i;
export const TARGET_CUE = /\b(?:plan(?:s|ned)?|aim(?:s|ed|ing)?|target(?:s|ed)?|goal|task|intend(?:s|ed)?|seek(?:s)?|committed to|agreed to|could (?:increase|reach|raise|grow)|can (?:increase|reach|grow)|to (?:increase|raise|bring|boost|expand|reach|double|triple|grow)|increasing|raising|bringing|boosting|expanding|doubling|tripling)\b/i;
export const FORECAST_CUE = /\b(?:expected|forecast(?:ed)?|projected|anticipated|predicted|likely to|will (?:reach|amount|exceed|total|grow|increase)|to be (?:traded|exported|imported|supplied|delivered))\b/i;
/** "from X to Y": X is the current level, whatever target words surround it. */
export const FROM_BEFORE = /\bfrom\s$/i;

export const CHANGE_UP = /\b(?:increase[ds]?|increasing|grew|grow(?:n|s|th)?|rose|rise[ns]?|up|higher|more|jump(?:ed)?|surged?|gain(?:ed)?|expanded|boost(?:ed)?)\b|\+/i;
export const CHANGE_DOWN = /\b(?:decrease[ds]?|declin(?:e|ed|es)|drop(?:ped|s)?|fell|fall(?:en|s)?|down|lower|less|reduc(?:ed|tion)|shr[au]nk|contract(?:ed|ion))\b|[-−–]\s?$/i;
export const DOUBLED = /\b(doubl(?:ed|ing)|tripl(?:ed|ing)|quadrupl(?:ed|ing))\b/i;

/** Countable things that are never facts in these tables: people, firms, days. */
export const NOT_COUNTED = /^(?:people|persons?|participants?|entrepreneurs?|businessmen|companies|firms|exporters?|importers?|members?|children|days?|hours?|years?|months?|weeks?|times|officials?|delegates?|dead|deaths?|families|households|jobs|projects?|ventures?|villages?|provinces?|countries|kilometers?|km|miles?|percent|afghans?|items?)$/i;

/** Item vocabulary for aid shipments, contracts and commodity flows: surface pattern → normalized name. */
export const ITEMS: [RegExp, string][] = [
  [/\bwheat flour\b/i, "wheat flour"],
  [/\bflour\b/i, "flour"],
  [/\bwheat\b/i, "wheat"],
  [/\bgrains?\b/i, "grains"],
  [/\brice\b/i, "rice"],
  [/\bbuckwheat\b/i, "buckwheat"],
  [/\bcereal products\b/i, "cereal products"],
  [/\bpasta\b/i, "pasta"],
  [/\binstant noodles\b/i, "instant noodles"],
  [/\bsunflower oil\b/i, "sunflower oil"],
  [/\bvegetable oil\b/i, "vegetable oil"],
  [/\bcooking oil\b/i, "cooking oil"],
  [/\bmotor oil\b/i, "motor oil"],
  [/\boil products\b/i, "oil products"],
  [/\b(?:oil)\b(?! products)/i, "oil"],
  [/\bsugar\b/i, "sugar"],
  [/\bsalt\b/i, "salt"],
  [/\blegumes\b/i, "legumes"],
  [/\bcanned milk\b/i, "canned milk"],
  [/\bmilk\b/i, "milk"],
  [/\bcanned meat\b/i, "canned meat"],
  [/\bcanned food\b/i, "canned food"],
  [/\bfood products\b/i, "food products"],
  [/\bfoodstuffs?\b/i, "food"],
  [/\bfood\b(?! products| supplier)/i, "food"],
  [/\bdried fruits?\b/i, "dried fruit"],
  [/\bfresh fruits?\b/i, "fresh fruit"],
  [/\bpomegranates?\b/i, "pomegranates"],
  [/\bcotton\b/i, "cotton"],
  [/\belectricity\b/i, "electricity"],
  [/\bfuel\b/i, "fuel"],
  [/\bliquefied gas\b/i, "liquefied gas"],
  [/\bcoal\b/i, "coal"],
  [/\bfertili[sz]ers?\b/i, "fertilizers"],
  [/\bmedical supplies\b/i, "medical supplies"],
  [/\bmedicines?\b|\bmedicaments?\b|\bdrugs\b/i, "medicines"],
  [/\bpersonal protective equipment\b/i, "personal protective equipment"],
  [/\btents?\b/i, "tents"],
  [/\bblankets?\b/i, "blankets"],
  [/\bmattress(?:es)?\b/i, "mattresses"],
  [/\bbeds\b/i, "beds"],
  [/\bclothing\b|\bclothes\b/i, "clothing"],
  [/\bcoats\b/i, "coats"],
  [/\bpants\b/i, "pants"],
  [/\bsheets\b/i, "sheets"],
  [/\btextile products\b/i, "textile products"],
  [/\bhousehold goods\b/i, "household goods"],
  [/\bhygiene kits?\b/i, "hygiene kits"],
  [/\bcement\b/i, "cement"],
  [/\bmetal products\b|\brolled (?:metal )?products\b/i, "metal products"],
  [/\bcars\b|\bvehicles\b/i, "vehicles"],
];

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
