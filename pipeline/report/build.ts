import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NOTEBOOKS } from "../../notebooks/index.ts";
import { openDataset, type Dataset, type TableName } from "../api/dataset.ts";
import { replaceDirAtomically } from "../publish/atomic.ts";
import { TABLES } from "../schema/tables.ts";
import { renderSvg } from "./chart.ts";
import { openReadOnly } from "./db.ts";
import { chartHtml, escapeHtml, pageHtml, tableHtml } from "./html.ts";
import { sourceLookup, type SourceLookup } from "./sources.ts";
import type { Block, Notebook, Section } from "./types.ts";

/** Report folder inside the output folder: publish carries it over, this stage replaces it. */
export const REPORT_DIR = "report";

export interface ReportPage {
  file: string;
  html: string;
}

async function blockHtml(block: Block, sources: SourceLookup): Promise<string> {
  switch (block.kind) {
    case "text":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "table":
      return tableHtml(block, sources(block.records));
    case "chart": {
      const empty = Object.values(block.marks).every((n) => n === 0);
      return chartHtml(block, empty ? null : await renderSvg(block), sources(block.records));
    }
  }
}

async function sectionHtml(section: Section, sources: SourceLookup): Promise<string> {
  const blocks = await Promise.all(section.blocks.map((b) => blockHtml(b, sources)));
  return `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${blocks.join("\n")}\n</section>`;
}

interface DatasetInfo {
  title: string;
  name: string;
  version: string;
  /** Of datapackage.json: names the exact publication the report was built from. */
  sha256: string;
}

async function datasetInfo(outDir: string): Promise<DatasetInfo> {
  const bytes = await readFile(join(outDir, "datapackage.json"));
  const pkg = JSON.parse(bytes.toString("utf8")) as { title: string; name: string; version: string };
  return { title: pkg.title, name: pkg.name, version: pkg.version, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function indexBody(ds: Dataset, info: DatasetInfo, notebooks: readonly Notebook[], sections: Section[][]): string {
  const counts = TABLES.map((t) => ds[t.name as TableName].numRows());
  const rows = TABLES.map((t, i) => `<tr><td><code>${t.name}</code></td><td class="num">${counts[i]}</td><td>${escapeHtml(t.description)}</td></tr>`);
  const list = notebooks.map(
    (nb, i) => `<li><a href="${nb.id}.html">${escapeHtml(nb.title)}</a>: ${escapeHtml(nb.summary)}
<ul>${sections[i]!.map((s) => `<li>${escapeHtml(s.title)}</li>`).join("")}</ul></li>`,
  );
  return `<h1>${escapeHtml(info.title)}</h1>
<p>Dataset <code>${escapeHtml(info.name)}</code>, version ${escapeHtml(info.version)}; built from the published
<code>datapackage.json</code> with SHA-256 <code>${info.sha256}</code>. Every chart and table lists the
record_ids and articles it comes from; the quotes behind each record are in <code>evidence</code>.</p>
<h2>Analyses</h2>
<ul>${list.join("\n")}</ul>
<h2>Tables</h2>
<table><thead><tr><th>Table</th><th>Rows</th><th>Description</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>`;
}

/** Runs every notebook against `outDir`'s published tables (and dataset.duckdb) and renders the pages in memory. */
export async function buildReport(outDir: string, notebooks: readonly Notebook[] = NOTEBOOKS): Promise<ReportPage[]> {
  const info = await datasetInfo(outDir);
  const db = await openReadOnly(join(outDir, "dataset.duckdb"));
  try {
    const ds = await openDataset(outDir);
    const sources = sourceLookup(ds);
    const sections: Section[][] = [];
    for (const nb of notebooks) sections.push(await nb.run(ds, db));
    const nav = (current: string) => [
      { href: "index.html", label: "Overview", current: current === "index" },
      ...notebooks.map((nb) => ({ href: `${nb.id}.html`, label: nb.title, current: current === nb.id })),
    ];
    const pages: ReportPage[] = [
      { file: "index.html", html: pageHtml({ title: info.title, nav: nav("index"), body: indexBody(ds, info, notebooks, sections) }) },
    ];
    for (const [i, nb] of notebooks.entries()) {
      const body = [`<h1>${escapeHtml(nb.title)}</h1>`, `<p>${escapeHtml(nb.summary)}</p>`];
      for (const section of sections[i]!) body.push(await sectionHtml(section, sources));
      pages.push({ file: `${nb.id}.html`, html: pageHtml({ title: `${nb.title} · ${info.title}`, nav: nav(nb.id), body: body.join("\n") }) });
    }
    return pages;
  } finally {
    db.close();
  }
}

/**
 * Builds the report and swaps it in as `outDir/report/` (temporary sibling + rename, like publish), so
 * a reader never sees half a report and a failed build leaves the previous one. Returns the page files.
 */
export async function writeReport(outDir: string, notebooks: readonly Notebook[] = NOTEBOOKS): Promise<string[]> {
  const pages = await buildReport(outDir, notebooks);
  await replaceDirAtomically(join(outDir, REPORT_DIR), async (dir) => {
    for (const page of pages) await writeFile(join(dir, page.file), page.html);
  });
  return pages.map((p) => p.file);
}
