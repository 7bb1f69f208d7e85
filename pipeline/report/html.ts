import type { Value } from "./db.ts";
import type { Sources } from "./sources.ts";
import type { ChartBlock, TableBlock } from "./types.ts";

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

function formatValue(value: Value): string {
  if (value === null) return "";
  if (typeof value === "number") return NUMBER.format(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const NO_DATA = '<p class="no-data">No data: the published dataset has no rows for this.</p>';

function sourcesHtml({ records, articles }: Sources): string {
  const items = articles.map((a) => {
    const title = escapeHtml(a.title ?? "(untitled)");
    const link = a.url ? `<a href="${escapeHtml(a.url)}">${title}</a>` : title;
    const meta = [a.publisher, a.published_date].filter((x) => x).map((x) => escapeHtml(x!)).join(", ");
    return `<li><code>${escapeHtml(a.article_id)}</code> ${link}${meta ? ` (${meta})` : ""}</li>`;
  });
  return `<div class="sources" data-records="${escapeHtml(records.join(" "))}" data-articles="${escapeHtml(articles.map((a) => a.article_id).join(" "))}">
<strong>Sources</strong>: records ${records.map((r) => `<code>${escapeHtml(r)}</code>`).join(", ")}
<ul>${items.join("")}</ul></div>`;
}

/** Cells stay on one line (the table scrolls sideways instead) unless a column holds sentences. */
const WRAP_AT = 40;

export function tableHtml(block: TableBlock, sources: Sources): string {
  if (block.rows.length === 0) return `<figure class="table"><figcaption>${escapeHtml(block.title)}</figcaption>${NO_DATA}</figure>`;
  const head = block.columns.map((c) => `<th>${escapeHtml(c.label ?? c.name)}</th>`).join("");
  const wraps = new Set(block.columns.filter((c) => block.rows.some((r) => formatValue(r[c.name] ?? null).length > WRAP_AT)).map((c) => c.name));
  const cell = (r: TableBlock["rows"][number], name: string) => {
    const classes = [typeof r[name] === "number" ? "num" : null, wraps.has(name) ? "wrap" : null].filter((c) => c !== null);
    return `<td${classes.length > 0 ? ` class="${classes.join(" ")}"` : ""}>${escapeHtml(formatValue(r[name] ?? null))}</td>`;
  };
  const body = block.rows.map((r) => `<tr>${block.columns.map((c) => cell(r, c.name)).join("")}</tr>`).join("\n");
  return `<figure class="table" data-rows="${block.rows.length}"><figcaption>${escapeHtml(block.title)}</figcaption>
<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>
${sourcesHtml(sources)}</figure>`;
}

export function chartHtml(block: ChartBlock, svg: string | null, sources: Sources): string {
  if (svg === null) return `<figure class="chart"><figcaption>${escapeHtml(block.title)}</figcaption>${NO_DATA}</figure>`;
  return `<figure class="chart" data-marks="${escapeHtml(JSON.stringify(block.marks))}"><figcaption>${escapeHtml(block.title)}</figcaption>
${svg}
${sourcesHtml(sources)}</figure>`;
}

/** Width of the page's content column in CSS pixels: charts are rendered to exactly this width. */
export const CONTENT_WIDTH = 980;

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #222; margin: 0; }
nav { background: #1f3b57; padding: .6rem 1.5rem; }
nav a { color: #fff; margin-right: 1.2rem; text-decoration: none; }
nav a[aria-current] { font-weight: bold; text-decoration: underline; }
main { max-width: ${CONTENT_WIDTH}px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; }
figure { margin: 1.2rem 0; }
figcaption { font-weight: 600; margin-bottom: .4rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; min-width: 24rem; max-width: 32rem; overflow-wrap: anywhere; }
th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sources { font-size: 12px; color: #555; margin-top: .4rem; }
.sources ul { margin: .2rem 0 0; padding-left: 1.2rem; }
.no-data { color: #8a5a00; background: #fff6e0; padding: .4rem .6rem; }
code { font-size: 12px; }
`;

export function pageHtml(o: { title: string; nav: { href: string; label: string; current: boolean }[]; body: string }): string {
  const nav = o.nav.map((n) => `<a href="${escapeHtml(n.href)}"${n.current ? ' aria-current="page"' : ""}>${escapeHtml(n.label)}</a>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<nav>${nav}</nav>
<main>
${o.body}
</main>
</body>
</html>
`;
}
