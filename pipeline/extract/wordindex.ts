/** A match of a dictionary phrase in a text. */
export interface PhraseMatch<T> {
  start: number;
  end: number;
  text: string;
  value: T;
}

const WORD = /[\p{L}\p{N}]+/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Letters and digits of any script; ASCII decided without a regex, as nearly all text is ASCII. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return WORD_CHAR.test(text[i]!);
}

/**
 * Finds dictionary phrases in a text, ignoring case, whole words only, longest first and left to right.
 * Indexed by each phrase's first word, so the cost is one pass over the words of the text whatever the
 * size of the dictionary (a single alternation of thousands of names was the extractor's slowest step).
 */
export class PhraseIndex<T> {
  private readonly byFirstWord = new Map<string, { lower: string; text: string; value: T }[]>();

  constructor(phrases: { text: string; value: T }[]) {
    for (const p of phrases) {
      const lower = p.text.toLowerCase();
      const first = lower.match(WORD)?.[0];
      if (!first || lower.indexOf(first) !== 0) continue;
      const list = this.byFirstWord.get(first) ?? [];
      list.push({ lower, text: p.text, value: p.value });
      this.byFirstWord.set(first, list);
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.lower.length - a.lower.length || (a.lower < b.lower ? -1 : 1));
  }

  /** `accept` vets a match (e.g. capitalisation); a refused match is skipped whole, as a regex alternation would. */
  find(text: string, accept: (phrase: string, matched: string, value: T) => boolean): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (!isWordChar(text, i)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && isWordChar(text, j)) j++;
      const candidates = this.byFirstWord.get(text.slice(i, j).toLowerCase());
      let next = j;
      if (candidates) {
        for (const c of candidates) {
          const end = i + c.lower.length;
          if (end > n || (end < n && isWordChar(text, end))) continue;
          const matched = text.slice(i, end);
          if (matched.toLowerCase() !== c.lower) continue;
          if (accept(c.text, matched, c.value)) out.push({ start: i, end, text: matched, value: c.value });
          next = end;
          break;
        }
      }
      i = next;
    }
    return out;
  }
}
