/**
 * One pattern that matches wherever any of `patterns` does: most texts match none of a list, and one test
 * rules them all out before they are tried one by one. The patterns must share their flags (and have no
 * back-references), so that the union means what each of them means.
 */
export function anyOf(patterns: readonly RegExp[]): RegExp {
  const flags = patterns[0]?.flags ?? "";
  if (patterns.some((re) => re.flags !== flags || re.global || re.sticky)) throw new Error("anyOf: patterns must share flags, without g or y");
  return new RegExp(patterns.map((re) => `(?:${re.source})`).join("|"), flags);
}
