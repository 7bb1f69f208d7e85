/**
 * Adversarial article bodies of a chosen size, for the property test (never throws, evidence is exact) and
 * the bench's linearity check (time per KB must not grow with the input). Each kind aims at a weak spot of
 * a regex-and-scan extractor: long digit runs, repeated currency signs, one huge sentence, astral
 * characters (UTF-16 vs code-point offsets), unbalanced brackets, runs of punctuation, repeated scale words.
 */

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** A text of about `size` UTF-16 code units, cut at a code-point boundary. */
function cut(s: string, size: number): string {
  let end = Math.min(size, s.length);
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}

const SENTENCE_NO_PUNCT =
  "trade turnover between Kazakhstan and Afghanistan reached $987.9 million in 2022 and exports to Afghanistan of 1.3 million tons of wheat worth USD 1.2 billion " +
  "while Uzbek humanitarian aid of 272 tons and 728 kilograms arrived in 45 wagons and contracts signed worth 45 million US dollars with 610 Afghan students in January-March 2023 ";

export const ADVERSARIAL: Record<string, (size: number) => string> = {
  /** "1111…": one number of `size` digits. */
  digit_run: (size) => fill("1", size),
  /** Digit runs with separators that almost make thousands groups. */
  digit_groups: (size) => fill("1111111111,111,11,1.1.1.1,1111 ", size),
  /** "$ $ $ …": currency signs with no number. */
  dollars: (size) => fill("$ ", size),
  /** "US$ USD $ € …" currency tokens followed by scale words but no digits, then one number at the end. */
  currencies: (size) => cut(fill("US$ USD $ € tenge (approximately US$ million ", size - 20) + " $5 million.", size),
  /** One sentence of `size` characters without any punctuation, full of numbers, countries and cues. */
  no_punctuation: (size) => fill(SENTENCE_NO_PUNCT, size),
  /** Sentence-sized clauses in Cyrillic, Arabic, CJK and emoji around real figures. */
  mixed_scripts: (size) =>
    cut(fill("Товарооборот вырос до $5 million в 2022 году. التجارة بين كازاخستان وأفغانستان 💰📦🚂 reached USD 1.2 billion in 2023. 贸易额达到 45 million US dollars 👍🏽🇦🇫. Kazakhstan sent 300 tons of humanitarian aid to Afghanistan 😀. ", size), size),
  /** Astral characters only, no spaces: no place to cut a long sentence except inside the run. */
  emoji_run: (size) => cut(fill("😀🚂💰𝟙𝟚", size), size),
  /** Unbalanced quotes and brackets around figures. */
  brackets: (size) => fill('((( "$5 million (( «trade [[ exports 300 tons ) ) ) “ ” " \' ’ { 6.4 billion tenge (approximately ', size),
  /** "2,2,2,2,…": numbers that look like decimal commas and thousands groups at once. */
  commas: (size) => fill("2,2,", size),
  /** "million million …" after a money figure. */
  scales: (size) => `$5 ${fill("million ", size - 4)}`,
  /** Runs of sentence punctuation: "!!!!…" and "……" with spaces that lead nowhere. */
  punctuation_runs: (size) => fill(`${"!".repeat(500)}   ${"…".repeat(200)}  ${".".repeat(300)} x `, size),
  /** One run of sentence punctuation as long as the input, then a space and no capital. */
  punctuation_run: (size) => `${"!".repeat(Math.max(1, size - 2))} x`,
  /** A stated conversion whose parenthesis is followed by a very long gap before the next figure. */
  paren_gap: (size) => `Aid worth 6.4 billion tenge ( ${" ".repeat(Math.max(0, size - 60))}x US$12.7 million) was sent to Afghanistan.`,
  /** The same, repeated: each sentence a conversion with a long blank gap inside its parenthesis. */
  paren_gaps: (size) => fill(`Aid worth 6.4 billion tenge (${" ".repeat(1100)}x US$12.7 million) was sent to Afghanistan. `, size),
  /** Many short ordinary sentences: the reference for linear cost. */
  many_sentences: (size) =>
    fill("Trade between Tajikistan and Afghanistan reached $88.4 million in 2023. Uzbekistan has sent 320 tons of humanitarian aid to Afghanistan. Officials discussed transit routes. ", size),
};
