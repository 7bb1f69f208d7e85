import { stableId } from "../ids.ts";
import type { Articles, QaCheck } from "../schema/tables.ts";
import type { FxRate } from "../types.ts";

/** A link the report may make clickable: http or https only (a `javascript:` or `data:` url stays text). */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) && URL.canParse(url);
}

/**
 * The last day an article can have been published, as the reference data knows the world: the end of the
 * year after the newest exchange rate (annual averages appear the year after their own). Not the clock:
 * a check on today's date would make the same inputs give different data on different days. A later date
 * is a typo, or the reference data is out of date; either is worth a look.
 */
export function publicationHorizon(fx: readonly FxRate[]): string {
  return `${fx.reduce((max, r) => Math.max(max, r.year), 0) + 1}-12-31`;
}

function check(a: Articles, name: string, severity: QaCheck["severity"], passed: boolean | null, message: string): QaCheck {
  return { check_id: stableId("qa", name, a.article_id), check: name, severity, passed, table_name: "articles", record_id: null, article_id: a.article_id, message };
}

/** Checks of an article's metadata: no publication date, one past the reference data's horizon, a url that is not a web link. */
export function articleChecks(a: Articles, horizon: string): QaCheck[] {
  const out: QaCheck[] = [];
  if (a.published_date === null) out.push(check(a, "no_published_date", "info", null, "article has no publication date: relative dates in it stay unresolved"));
  else if (a.published_date > horizon) out.push(check(a, "published_in_future", "warning", false, `publication date ${a.published_date} is after ${horizon}, the last day the reference data covers: a typo, or the FX reference needs updating`));
  if (a.url !== null && !isWebUrl(a.url)) out.push(check(a, "url_not_web", "warning", false, `url ${JSON.stringify(a.url.slice(0, 80))} is not an http(s) link: kept as text, never made a link`));
  return out;
}
