interface Phrase<T> {
  lower: string;
  text: string;
  value: T;
}

/** Phrases sharing an ASCII first word, longest first. */
interface Bucket<T> {
  first: string;
  /** `wordHash` of `first`: compared before the characters, so a slot shared with other words costs one integer test. */
  hash: number;
  phrases: Phrase<T>[];
}

const WORD = /[\p{L}\p{N}]+/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const ASCII = /^[\x00-\x7f]*$/;

/** ASCII letters and digits (1) and upper-case letters (2, so that `c | 0x20` lower-cases them). */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 2;

/** Letters and digits of any script; ASCII decided by table, as nearly all text is ASCII. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_CLASS[c] !== 0;
  return WORD_CHAR.test(text[i]!);
}

/**
 * First-word table: an ASCII word's slot comes from a hash of all its characters lower-cased, computed while
 * the word is scanned, so nearly every word of a text that begins no phrase lands in an empty slot.
 */
const SLOTS = 16384;
function step(h: number, lowerChar: number): number {
  return (Math.imul(h, 31) + lowerChar) | 0;
}
function slotOf(h: number): number {
  return (h ^ (h >>> 14)) & (SLOTS - 1);
}
function wordHash(lower: string): number {
  let h = 0;
  for (let k = 0; k < lower.length; k++) h = step(h, lower.charCodeAt(k));
  return h;
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
 * ASCII words are looked up by their hash and compared in place: cutting and lower-casing every word
 * of every sentence for a map lookup was most of the cost.
 */
export class PhraseIndex<T> {
  private readonly byFirstWord = new Map<string, Phrase<T>[]>();
  private readonly buckets: Bucket<T>[][] = [[]];
  /** Slot → index into `buckets`; 0 = no first word hashes there. */
  private readonly slots = new Uint16Array(SLOTS);
  /** One bit per slot, set when taken: most words land in an empty slot, and 2 KB stay in cache where 32 KB did not. */
  private readonly taken = new Int32Array(SLOTS >>> 5);

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
      const hash = wordHash(first);
      const at = slotOf(hash);
      if (this.slots[at] === 0) {
        this.taken[at >>> 5]! |= 1 << (at & 31);
        this.slots[at] = this.buckets.length;
        this.buckets.push([]);
      }
      this.buckets[this.slots[at]!]!.push({ first, hash, phrases: list });
    }
  }

  /** The phrases whose first word is the ASCII word text[i..j), of hash `h`. */
  private asciiPhrasesAt(text: string, i: number, j: number, h: number): Phrase<T>[] | undefined {
    const at = slotOf(h);
    if ((this.taken[at >>> 5]! & (1 << (at & 31))) === 0) return undefined;
    const slot = this.slots[at]!;
    for (const b of this.buckets[slot]!) if (b.hash === h && b.first.length === j - i && startsWithLower(text, i, b.first)) return b.phrases;
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
      let c = text.charCodeAt(i);
      let cls = c < 128 ? ASCII_CLASS[c]! : 0;
      if (cls === 0 && (c < 128 || !WORD_CHAR.test(text[i]!))) {
        i++;
        continue;
      }
      // Hash the word while scanning it; a character beyond ASCII sends the word to the map instead.
      let ascii = cls !== 0;
      let h = ascii ? step(0, cls === 2 ? c | 0x20 : c) : 0;
      let j = i + 1;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c < 128) {
          cls = ASCII_CLASS[c]!;
          if (cls === 0) break;
          if (ascii) h = step(h, cls === 2 ? c | 0x20 : c);
        } else {
          if (!WORD_CHAR.test(text[j]!)) break;
          ascii = false;
        }
        j++;
      }
      // A word with other letters goes to the map: a few of them lower-case to ASCII (the Kelvin sign).
      const candidates = ascii ? this.asciiPhrasesAt(text, i, j, h) : this.byFirstWord.get(text.slice(i, j).toLowerCase());
      let next = j;
      if (candidates) {
        for (const p of candidates) {
          const end = i + p.lower.length;
          if (end > n || (end < n && isWordChar(text, end))) continue;
          if (!startsWithLower(text, i, p.lower)) continue;
          const made = make(i, end, text.slice(i, end), p.text, p.value);
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
