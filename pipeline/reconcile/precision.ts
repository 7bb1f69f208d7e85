/** Half a unit of the last digit written: "$978.9 millions" → 50,000. What rounding alone can explain. */
export function halfUnit(valueText: string, value: number): number {
  const m = /\d[\d,]*(?:\.(\d+))?/.exec(valueText);
  if (!m) return 0;
  const core = Number(m[0].replace(/,/g, ""));
  if (!core) return 0;
  const decimals = m[1]?.length ?? 0;
  const scale = value / core;
  return 0.5 * 10 ** -decimals * scale;
}
