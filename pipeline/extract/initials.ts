/**
 * A cheap test that a pattern cannot match a text: the letters its matches can begin with against the
 * letters that begin the words of the text. Letters are ASCII, lower-cased, as bits (a = bit 0).
 */

export const ANY_LETTER = (1 << 26) - 1;

function bit(letter: string): number {
  return 1 << (letter.toLowerCase().charCodeAt(0) - 97);
}

/** The index of the parenthesis closing the one at `open`, or -1. */
function closing(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/** A pattern source split at its bars outside groups and classes. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "|" && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

/** First letters of a sequence that starts with a letter or a non-capturing group of such, neither optional; else any. */
function leading(seq: string): number {
  if (/^[a-z](?![?*{])/i.test(seq)) return bit(seq[0]!);
  if (!seq.startsWith("(?:")) return ANY_LETTER;
  const close = closing(seq, 0);
  if (close < 0 || /^[?*{]/.test(seq.slice(close + 1))) return ANY_LETTER;
  let mask = 0;
  for (const alt of alternatives(seq.slice(3, close))) mask |= leading(alt);
  return mask;
}

/**
 * The letters a match of `re` can begin with: each of its alternatives must start with \b and then a letter
 * (or a group of them), else it can begin with any. With the u flag, case folding reaches beyond ASCII.
 */
export function firstLetters(re: RegExp): number {
  if (re.unicode) return ANY_LETTER;
  let mask = 0;
  for (const alt of alternatives(re.source)) mask |= alt.startsWith("\\b") ? leading(alt.slice(2)) : ANY_LETTER;
  return mask;
}

/** The ASCII letters that begin a word of the text: the only places a match starting with \b and a letter can start. */
export function wordInitials(text: string): number {
  let mask = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    const letter = lower >= 97 && lower <= 122 && (c <= 90 || c >= 97);
    if (letter && !inWord) mask |= 1 << (lower - 97);
    inWord = letter || (c >= 48 && c <= 57) || c === 95;
  }
  return mask;
}

/**
 * Lower-case words of which every match of `re` contains one: the plain letters and spaces each alternative
 * starts with after \b (less a last letter made optional); null when an alternative starts otherwise.
 */
export function requiredWords(re: RegExp): string[] | null {
  const out: string[] = [];
  for (const alt of alternatives(re.source)) {
    const body = alt.startsWith("\\b") ? alt.slice(2) : alt;
    let n = 0;
    while (n < body.length && /[a-z ]/i.test(body[n]!)) n++;
    if (n < body.length && /[?*{]/.test(body[n]!)) n--;
    if (n <= 0) return null;
    out.push(body.slice(0, n).toLowerCase());
  }
  return out;
}
