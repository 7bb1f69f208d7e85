import { lexicon } from "./lexicon.ts";

const ONES: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

const ONE = Object.keys(ONES).join("|");
const TEN = Object.keys(TENS).join("|");
const UNDER_100 = `(?:(?:${TEN})(?:[- ](?:${ONE}))?|${ONE})`;
/** Scale words spelled in full ("a million"), from the scale lexicon. */
const SCALE_WORDS = lexicon("scales").filter((r) => r.after === "any" && /^[a-z]+$/.test(r.form!)).map((r) => r.form!).join("|");
/**
 * Spelled-out whole numbers below a thousand: "thirty six", "thirty-six", "two hundred and five", "two dozen",
 * and the "a" of "a million" (the scale word after it is read like any other).
 */
export const SPELLED = `(?:${UNDER_100}(?: hundred(?:(?: and)? ${UNDER_100})?)?(?: dozen)?|(?:a|one) hundred(?:(?: and)? ${UNDER_100})?|a dozen|a(?=[\\s-](?:${SCALE_WORDS})\\b))`;
/** How every spelled number begins. */
export const SPELLED_START = `(?:${TEN}|${ONE}|a\\b)`;

export function spelledValue(text: string): number | null {
  let current = 0;
  for (const w of text.toLowerCase().split(/[\s-]+/)) {
    if (w === "and") continue;
    if (w === "a") current = 1;
    else if (w in ONES) current += ONES[w]!;
    else if (w in TENS) current += TENS[w]!;
    else if (w === "hundred") current = (current || 1) * 100;
    else if (w === "dozen") current = (current || 1) * 12;
    else return null;
  }
  return current > 0 ? current : null;
}
