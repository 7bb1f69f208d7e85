/** Character classes tested by code, without a regex for ASCII: scanners ask them once per character or number. */

const SPACE = /\s/;

/** Whether character code `c` is white space as `\s` (and `trim`) has it. */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(String.fromCharCode(c));
}

/** Whether character code `c` is an ASCII letter, either case. */
export function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 97 && (c | 0x20) <= 122;
}

/** Whether character code `c` is an ASCII digit. */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
