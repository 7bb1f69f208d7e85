interface Phrase<T> {
  lower: string;
  text: string;
  value: T;
}

/** Phrases sharing an ASCII first word, longest first. */
interface Bucket<T> {
  first: string;
  phrases: Phrase<T>[];
}

const WORD = /[\p{L}\p{N}]+/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const ASCII = /^[\x00-\x7f]*$/;

/** Letters and digits of any script; ASCII decided without a regex, as nearly all text is ASCII. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return WORD_CHAR.test(text[i]!);
}

/**
 * An ASCII word's slot in the first-word table, from its length and its first and last character lower-cased.
 * Words that share a slot share its bucket; the table is small enough to stay in cache.
 */
const SLOTS = 4096;
function sketch(length: number, first: number, last: number): number {
  return ((((first | 0x20) * 31 + (last | 0x20)) * 31 + length) >>> 0) & (SLOTS - 1);
}

/** Whether text[i..) lower-cases to `lower`: compared in place for ASCII, which is nearly all text. */
function startsWithLower(text: string, i: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    const c = text.charCodeAt(i + k);
    if (c >= 128) return text.slice(i, i + lower.length).toLowerCase() === lower;
    if (c !== lower.charCodeAt(k) && !(c >= 65 && c <= 90 && c + 32 === lower.charCodeAt(k))) return false;
  }
  return true;
}

/**
 * Finds dictionary phrases in a text, ignoring case, whole words only, longest first and left to right.
 * Indexed by each phrase's first word, so the cost is one pass over the words of the text whatever the
 * size of the dictionary (a single alternation of thousands of names was the extractor's slowest step).
 * ASCII words are looked up by their sketch and compared in place: cutting and lower-casing every word
 * of every sentence for a map lookup was most of the cost.
 */
export class PhraseIndex<T> {
  private readonly byFirstWord = new Map<string, Phrase<T>[]>();
  private readonly buckets: Bucket<T>[][] = [[]];
  /** Sketch → index into `buckets`; 0 = no first word has that sketch. */
  private readonly slots = new Uint16Array(SLOTS);

  constructor(phrases: { text: string; value: T }[]) {
    for (const p of phrases) {
      const lower = p.text.toLowerCase();
      const first = lower.match(WORD)?.[0];
      if (!first || lower.indexOf(first) !== 0) continue;
      const list = this.byFirstWord.get(first) ?? [];
      list.push({ lower, text: p.text, value: p.value });
      this.byFirstWord.set(first, list);
    }
    for (const [first, list] of this.byFirstWord) {
      list.sort((a, b) => b.lower.length - a.lower.length || (a.lower < b.lower ? -1 : 1));
      if (!ASCII.test(first)) continue;
      const at = sketch(first.length, first.charCodeAt(0), first.charCodeAt(first.length - 1));
      if (this.slots[at] === 0) {
        this.slots[at] = this.buckets.length;
        this.buckets.push([]);
      }
      this.buckets[this.slots[at]!]!.push({ first, phrases: list });
    }
  }

  /** The phrases whose first word is text[i..j), a whole word. */
  private phrasesAt(text: string, i: number, j: number, ascii: boolean): Phrase<T>[] | undefined {
    // A word with other letters goes to the map: a few of them lower-case to ASCII (the Kelvin sign).
    if (!ascii) return this.byFirstWord.get(text.slice(i, j).toLowerCase());
    const slot = this.slots[sketch(j - i, text.charCodeAt(i), text.charCodeAt(j - 1))]!;
    if (slot === 0) return undefined;
    for (const b of this.buckets[slot]!) if (b.first.length === j - i && startsWithLower(text, i, b.first)) return b.phrases;
    return undefined;
  }

  /**
   * `make` turns a match into the caller's record, or refuses it with null (e.g. for its capitalisation);
   * a refused match is skipped whole, as a regex alternation would.
   */
  find<R>(text: string, make: (start: number, end: number, matched: string, phrase: string, value: T) => R | null): R[] {
    const out: R[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (!isWordChar(text, i)) {
        i++;
        continue;
      }
      let j = i + 1;
      let ascii = text.charCodeAt(i) < 128;
      while (j < n && isWordChar(text, j)) {
        if (text.charCodeAt(j) >= 128) ascii = false;
        j++;
      }
      const candidates = this.phrasesAt(text, i, j, ascii);
      let next = j;
      if (candidates) {
        for (const c of candidates) {
          const end = i + c.lower.length;
          if (end > n || (end < n && isWordChar(text, end))) continue;
          if (!startsWithLower(text, i, c.lower)) continue;
          const made = make(i, end, text.slice(i, end), c.text, c.value);
          if (made !== null) out.push(made);
          next = end;
          break;
        }
      }
      i = next;
    }
    return out;
  }
}
