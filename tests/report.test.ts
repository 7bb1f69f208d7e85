import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTEBOOKS } from "../notebooks/index.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { timeChart } from "../pipeline/report/blocks.ts";
import { buildReport, writeReport } from "../pipeline/report/build.ts";
import { countryColors, enumColors, enumValues } from "../pipeline/report/colors.ts";
import { change } from "../notebooks/format.ts";
import type { Dataset } from "../pipeline/schema/tables.ts";
import { emptyDataset, INFO, smallDataset } from "./fixtures/smallDataset.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`report.test.ts: browser checks skipped, ${CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)`);

const PAGES = ["index.html", ...NOTEBOOKS.map((nb) => `${nb.id}.html`)];

/** What the small dataset must draw: chart title → marks per Vega mark type (one per data row, plus spans, lines and a target's rule and label). */
const EXPECTED_MARKS: Record<string, Record<string, Record<string, number>>> = {
  "trade.html": {
    // turnover 2021 and 2022 (one line), export and import 2022; each a whole year, so each has a span
    "Annual trade with Afghanistan, US$ million": { symbol: 4, rule: 4, line: 3 },
    "Change on the same period a year before, %": { symbol: 1, rule: 1 }, // the one stated growth rate
  },
  "aid.html": {
    "Weight, tonnes": { symbol: 2, rule: 1 }, // a day (no span) and August 2022
    "Railway cars": { symbol: 1, rule: 0 },
    "Value, US$ million": { symbol: 1, rule: 1 }, // the 2021–2025 aggregate
  },
  "contracts_targets.html": {
    "Contract values, US$ million": { rect: 2, text: 2 },
    "Projected against latest actual (US$ series), US$ million": { rect: 2, text: 2 },
    // 2021 and 2022 drawn; the undated $1 billion is listed below the chart instead
    "AFG–KAZ turnover: reported against its projections, US$ million": { symbol: 2, rule: 3, line: 1, text: 1 },
  },
  "grants.html": {
    "Educational grants per year, current and planned": { rect: 2, text: 2 },
    Students: { rect: 1, text: 1 },
    "Host institutions": { rect: 1, text: 1 },
  },
};

const UNPLACED = "Kazakhstan's exports to the world reached $11 billion.";

/** The small dataset with something for the review page: a low-confidence grant, a conflict on a turnover, an unplaced number. */
function withReviewItems(): Dataset {
  const d = smallDataset();
  d.grants = d.grants.map((g) => (g.record_id === "g2" ? { ...g, confidence: 0.55, needs_review: true } : g));
  d.trade_flows = d.trade_flows.map((t) => (t.record_id === "t22" ? { ...t, needs_review: true } : t));
  d.qa_checks.push(
    { check_id: "q1", check: "conflict", severity: "warning", passed: false, table_name: "trade_flows", record_id: "t22", article_id: null, message: "different values for the same trade_flows fact: 987900000 (a1) vs 990000000 (a9); kept 987900000 (a1)" },
    { check_id: "q2", check: "unplaced_number", severity: "info", passed: null, table_name: null, record_id: null, article_id: "a2", message: `number seen but not placed in any table: "$11 billion" (a country's trade with the whole world (no partner)) in the sentence: "${UNPLACED}"` },
  );
  return d;
}

let dir: string;
let small: string;
let empty: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "report-test-"));
  small = join(dir, "small");
  empty = join(dir, "empty");
  await publish(withReviewItems(), small, INFO);
  await writeReport(small);
  await publish(emptyDataset(), empty, INFO);
  await writeReport(empty);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("review page", () => {
  it("lists the review queue with quotes and correction lines", async () => {
    const html = await readFile(join(small, "report", "review.html"), "utf8");
    expect(html).toContain("4 items: 1 conflict item (one per record and article), 2 records marked needs_review and 1 number no table took.");
    expect(html).toContain('<figure class="table" data-rows="4"><figcaption>Review queue</figcaption>');
    // Sentence-long columns wrap; the rest stay on one line and the table scrolls sideways.
    expect(html).toContain(`<td class="wrap">${UNPLACED.replaceAll("'", "&#39;")}</td>`);
    expect(html).toContain('<td class="wrap">confidence 0.55 below 0.7</td>');
    expect(html).toMatch(/<td class="wrap">[0-9a-f]{16},reject,a2,grants,plans to increase the quota to 60 grants per year,,,,,<\/td>/);
    // The id columns come last.
    expect(html).toContain("<th>correction</th><th>article_id</th><th>record_id</th></tr>");
    const index = await readFile(join(small, "report", "index.html"), "utf8");
    expect(index).toContain('<a href="review.html">Review queue</a>');
  });
});

describe("report files", () => {
  it("writes one page per notebook plus the index, and nothing else", async () => {
    expect((await readdir(join(small, "report"))).sort()).toEqual([...PAGES].sort());
    expect((await readdir(dir)).sort()).toEqual(["empty", "small"]); // no temporary folders left
  });

  it("is reproducible and survives the next publish", async () => {
    const before = await readFile(join(small, "report", "trade.html"), "utf8");
    expect((await buildReport(small)).find((p) => p.file === "trade.html")!.html).toBe(before);
    await publish(withReviewItems(), small, INFO);
    expect(await readFile(join(small, "report", "trade.html"), "utf8")).toBe(before);
  }, 60_000);

  it("draws the same time axes in any time zone", async () => {
    const pages = async () => (await buildReport(small)).map((p) => p.html);
    const here = await pages();
    const zone = process.env.TZ;
    try {
      for (const tz of ["Pacific/Kiritimati", "America/Adak"]) {
        process.env.TZ = tz;
        expect(await pages()).toEqual(here);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  }, 60_000);

  it("names the publication it was built from", async () => {
    const index = await readFile(join(small, "report", "index.html"), "utf8");
    expect(index).toContain("Dataset <code>small-test</code>, version 0.0.1");
    expect(index).toMatch(/SHA-256 <code>[0-9a-f]{64}<\/code>/);
  });

  it("keeps the previous report when a build fails", async () => {
    await expect(writeReport(join(dir, "missing"))).rejects.toThrow(/datapackage\.json|no published/);
    expect(existsSync(join(small, "report", "index.html"))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(["empty", "small"]);
  });

  it("says 'no data' for every chart and table of an empty dataset", async () => {
    for (const nb of NOTEBOOKS) {
      const html = await readFile(join(empty, "report", `${nb.id}.html`), "utf8");
      expect(html).not.toContain("<svg");
      const figures = html.match(/<figure /g)!.length;
      expect(html.match(/class="no-data"/g)!.length).toBe(figures);
    }
    expect(await readFile(join(empty, "report", "trade.html"), "utf8")).toContain("No series has two consecutive reported years");
    expect(await readFile(join(empty, "report", "grants.html"), "utf8")).toContain("No grants or student numbers in the dataset.");
    expect(await readFile(join(empty, "report", "review.html"), "utf8")).toContain("Nothing to review");
  });

  it("states the figures in the text", async () => {
    const trade = await readFile(join(small, "report", "trade.html"), "utf8");
    expect(trade).toContain("AFG–KAZ turnover grew 108.3% in 2022 ($474.3 million → $987.9 million); the article says it grew 110%.");
    const targets = await readFile(join(small, "report", "contracts_targets.html"), "utf8");
    expect(targets).toContain("AFG–KAZ turnover target: $3 billion (no stated period); latest actual $1 billion (no stated period, reported 2025-04-24) = 33.3% of it.");
  });
});

describe("report building blocks", () => {
  it("words a change so that it reads right, to one decimal", () => {
    expect([change(108.29), change(-45.48), change(0.04), change(-3)]).toEqual(["grew 108.3%", "fell 45.5%", "did not change", "fell 3%"]);
  });

  it("gives a category the same colour whatever else is drawn and in whatever order", () => {
    const methods = enumValues("growth_rates", "method");
    const colourOf = (scale: { domain: string[]; range: string[] }, value: string) => scale.range[scale.domain.indexOf(value)];
    expect(colourOf(enumColors(methods, ["stated"]), "stated")).toBe(colourOf(enumColors(methods, ["stated", "computed"]), "stated"));
    expect(colourOf(enumColors(methods, ["computed", "stated"]), "computed")).not.toBe(colourOf(enumColors(methods, ["computed", "stated"]), "stated"));
    const kaz = colourOf(countryColors([["Kazakhstan", "KAZ"]]), "Kazakhstan");
    expect(colourOf(countryColors([["Uzbekistan", "UZB"], ["Malaysia", "MYS"], ["Kazakhstan", "KAZ"]]), "Kazakhstan")).toBe(kaz);
    expect(countryColors([["Uzbekistan", "UZB"], ["Kazakhstan", "KAZ"]]).domain).toEqual(["Kazakhstan", "Uzbekistan"]);
  });

  it("draws dated rows on a time axis and lists undated ones in a table", () => {
    const rows = [
      { record_id: "r1", period_start: "2022-01-01", period_end: "2022-12-31", v: 5, who: "Kazakhstan" },
      { record_id: "r2", period_start: null, period_end: null, v: 7, who: "Kazakhstan" },
    ];
    const [chart, undated] = timeChart("T", rows, {
      y: "v",
      yTitle: "tonnes",
      color: { field: "who", title: "Donor", scale: countryColors([["Kazakhstan", "KAZ"]]) },
      describe: (r) => `${r.who}: ${r.v}`,
      undated: { title: "T: no stated period", columns: ["record_id", "v", "who"] },
    });
    expect(chart).toMatchObject({ kind: "chart", marks: { symbol: 1, rule: 1 }, records: ["r1"] });
    const spec = JSON.stringify(chart?.kind === "chart" && chart.spec);
    expect(spec).toContain('"type":"temporal"');
    expect(spec).toContain('"values":[{"record_id":"r1"');
    expect(spec).not.toContain("r2");
    expect(undated).toMatchObject({ kind: "table", title: "T: no stated period", records: ["r2"], columns: [{ name: "v" }, { name: "who" }, { name: "record_id" }] });
  });
});

interface FigureInfo {
  kind: string;
  title: string;
  expected: Record<string, number> | null;
  marks: Record<string, number>;
  /** The accessible labels of the bars and points, in drawing order. */
  markLabels: string[];
  tableRows: number;
  records: string[];
  articles: string[];
}

/** Opens a page and reads every figure: declared and drawn marks, bar labels, table rows, sources; optionally a screenshot. */
async function figures(context: BrowserContext, url: string, problems: string[], shoot: boolean): Promise<{ figures: FigureInfo[]; screenshot: Buffer | null }> {
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // The report must be self-contained: any request that is not a local file is a failure.
  await page.route(/^(?!file:)/, (route) => {
    problems.push(`network request: ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(url);
  const found = await page.$$eval("figure", (nodes) =>
    nodes.map((f) => {
      const marks: Record<string, number> = {};
      for (const g of f.querySelectorAll("svg g.role-mark")) {
        const type = [...g.classList].find((c) => c.startsWith("mark-"))!.slice(5);
        marks[type] = (marks[type] ?? 0) + g.children.length;
      }
      const sources = f.querySelector(".sources");
      return {
        kind: f.classList.contains("chart") ? "chart" : "table",
        title: f.querySelector("figcaption")!.textContent!,
        expected: f.getAttribute("data-marks") ? (JSON.parse(f.getAttribute("data-marks")!) as Record<string, number>) : null,
        marks,
        markLabels: [...f.querySelectorAll('svg [aria-roledescription="bar"], svg [aria-roledescription="point"]')].map((b) => b.getAttribute("aria-label")!),
        tableRows: f.querySelectorAll("tbody tr").length,
        records: (sources?.getAttribute("data-records") ?? "").split(" ").filter(Boolean),
        articles: (sources?.getAttribute("data-articles") ?? "").split(" ").filter(Boolean),
      };
    }),
  );
  const screenshot = shoot ? await page.screenshot({ fullPage: true }) : null;
  await page.close();
  return { figures: found, screenshot };
}

describe.skipIf(!HAS_CHROMIUM)("report in Chromium", () => {
  let context: BrowserContext;
  let shots: string;
  const seen = new Map<string, FigureInfo[]>();
  const problems: string[] = [];

  beforeAll(async () => {
    shots = await mkdtemp(join(tmpdir(), "report-screenshots-"));
    context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), "chromium-profile-")), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1100, height: 900 },
    });
    for (const [name, root] of [["small", small], ["empty", empty]] as const) {
      for (const file of PAGES) {
        const { figures: found, screenshot } = await figures(context, pathToFileURL(join(root, "report", file)).href, problems, name === "small");
        seen.set(`${name}/${file}`, found);
        if (screenshot) await writeFile(join(shots, file.replace(".html", ".png")), screenshot);
      }
    }
    console.log(`report screenshots: ${shots}`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it("loads every page with no console error and no network request", () => {
    expect(seen.size).toBe(PAGES.length * 2);
    expect(problems).toEqual([]);
  });

  it("draws one mark per data row in every chart", () => {
    for (const [page, found] of seen) {
      for (const f of found.filter((x) => x.kind === "chart" && x.expected)) {
        expect({ page, title: f.title, marks: f.marks }).toEqual({ page, title: f.title, marks: f.expected });
      }
    }
  });

  it("draws the expected bars for the small dataset", () => {
    for (const [file, charts] of Object.entries(EXPECTED_MARKS)) {
      const found = seen.get(`small/${file}`)!.filter((f) => f.kind === "chart");
      expect(Object.fromEntries(found.map((f) => [f.title, f.marks]))).toEqual(charts);
    }
    const annual = seen.get("small/trade.html")!.find((f) => f.title === "Annual trade with Afghanistan, US$ million")!;
    expect(annual.markLabels).toEqual([
      "AFG–KAZ turnover 2021: $474.3 million",
      "KAZ→AFG export 2022: $978.9 million",
      "KAZ→AFG import 2022: $9.1 million",
      "AFG–KAZ turnover 2022: $987.9 million",
    ]);
    const history = seen.get("small/contracts_targets.html")!.filter((f) => f.title.startsWith("AFG–KAZ turnover: reported"));
    expect(history.map((f) => [f.title, f.markLabels, f.tableRows, f.records])).toEqual([
      ["AFG–KAZ turnover: reported against its projections, US$ million", ["AFG–KAZ turnover 2021: $474.3 million", "AFG–KAZ turnover 2022: $987.9 million"], 0, ["t21", "t22", "tgt"]],
      ["AFG–KAZ turnover: reported with no stated period (not drawn)", [], 1, ["now"]],
    ]);
  });

  it("lists the records and articles under every chart and table", () => {
    for (const [page, found] of seen) {
      if (page.startsWith("empty/") || page.endsWith("index.html")) continue;
      for (const f of found) {
        expect({ page, title: f.title, hasRecords: f.records.length > 0, hasArticles: f.articles.length > 0 }).toEqual({ page, title: f.title, hasRecords: true, hasArticles: true });
      }
    }
    const trade = seen.get("small/trade.html")!;
    expect(trade.find((f) => f.title === "Annual trade with Afghanistan, US$ million")).toMatchObject({ records: ["m22", "t21", "t22", "x22"], articles: ["a1"] });
    expect(trade.find((f) => f.title === "Annual trade")).toMatchObject({ tableRows: 4, records: ["m22", "t21", "t22", "x22"], articles: ["a1"] });
    const history = seen.get("small/contracts_targets.html")!.find((f) => f.title.includes("reported against its projections"))!;
    expect(history).toMatchObject({ records: ["t21", "t22", "tgt"], articles: ["a1", "a2"] });
    const aid = seen.get("small/aid.html")!.find((f) => f.title === "Weight, tonnes")!;
    expect(aid).toMatchObject({ records: ["s1", "s2"], articles: ["a1", "a3"] });
    const queue = seen.get("small/review.html")!.find((f) => f.title === "Review queue")!;
    expect(queue).toMatchObject({ tableRows: 4, records: ["g2", "t22"], articles: ["a1", "a2"] });
  });

  it("draws no chart for an empty dataset", () => {
    for (const nb of NOTEBOOKS) {
      const found = seen.get(`empty/${nb.id}.html`)!;
      expect(found.every((f) => Object.keys(f.marks).length === 0 && f.records.length === 0)).toBe(true);
    }
  });
});
