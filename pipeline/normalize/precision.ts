/**
 * Rounding of derived numbers (a rate implied by two stated figures, a base back-computed from a stated
 * change, a computed ratio) to the precision their inputs had, so that no digit is published that the
 * sources never gave. Pure.
 */

/** Digits kept when the inputs are exact: enough for any figure, few enough to drop binary noise (0.1 + 0.2). */
export const EXACT_DIGITS = 10;

/** Half a unit of the last non-zero digit of a number as given: 6400000000 → 50000000, 9.1 → 0.05, 0 → 0. */
export function lastDigitHalfUnit(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e") as [string, string];
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1]!.length : 0;
  return 0.5 * 10 ** (Number(exponent) - decimals);
}

/**
 * `value` rounded to the coarsest power of ten whose half does not exceed `halfWidth`, the uncertainty its
 * inputs leave (4983571 ± 28800 → 4980000): never finer than EXACT_DIGITS significant digits (what an exact
 * input, halfWidth 0, keeps), never coarser than the leading digit.
 */
export function roundToUncertainty(value: number, halfWidth: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const leading = Math.floor(Math.log10(Math.abs(value)));
  const uncertain = halfWidth > 0 ? Math.floor(Math.log10(2 * halfWidth)) : -Infinity;
  const exponent = Math.min(Math.max(uncertain, leading - (EXACT_DIGITS - 1)), leading);
  // Integers times a power of ten are exact in binary; decimals go through toFixed, which rounds in decimal.
  return exponent >= 0 ? Math.round(value / 10 ** exponent) * 10 ** exponent : Number(value.toFixed(Math.min(-exponent, 100)));
}
