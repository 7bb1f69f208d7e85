import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTEBOOKS } from "../notebooks/index.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { writeReport } from "../pipeline/report/build.ts";
import { richDataset } from "./fixtures/richDataset.ts";
import { INFO } from "./fixtures/smallDataset.ts";

/**
 * The report as a reader sees it: every page at a 1280 px wide window, built from the seed articles
 * (through the CLI) and from a rich made-up dataset (many series, donors and dates; undated figures), and from
 * the articles in $REPORT_CORPUS when set (e.g. the development corpus). Screenshots of every page go
 * to test-artifacts/report-screenshots/<dataset>/<page>.png for a person to look at.
 */

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`report-layout.test.ts: skipped, ${CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)`);

const ROOT = resolve(import.meta.dirname, "..");
const SCREENSHOTS = join(ROOT, "test-artifacts", "report-screenshots");
const PAGES = ["index.html", ...NOTEBOOKS.map((nb) => `${nb.id}.html`)];
const VIEWPORT = { width: 1280, height: 900 };

const run = promisify(execFile);

/** `npm run pipeline` on a folder of articles; exit 3 (published, some inputs rejected) still publishes. */
async function buildWithCli(input: string, out: string, cache: string): Promise<void> {
  try {
    await run("npx", ["tsx", "pipeline/cli.ts", "--input", input, "--out", out, "--cache", cache, "--log-format", "json"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if ((error as { code?: number }).code !== 3) throw error;
  }
}

interface PageLayout {
  scrollWidth: number;
  clientWidth: number;
  /** Charts wider than the box they sit in, or drawn at another width than the one they were rendered at. */
  svgs: { figure: string; width: number; attribute: number; parent: number }[];
  /** Every table's scrolling box: its right edge, and whether its table is wider than it. */
  boxes: { figure: string; right: number; scrolls: boolean }[];
  contentRight: number;
  /** The header row of every table. */
  headers: string[][];
  /** Text drawn inside the charts (axis labels, legends, value labels). */
  chartText: string;
}

describe.skipIf(!HAS_CHROMIUM)("report layout at 1280 px in Chromium", () => {
  let dir: string;
  let browser: Browser;
  const layouts = new Map<string, PageLayout>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "report-layout-"));
    await rm(SCREENSHOTS, { recursive: true, force: true });
    const datasets: [string, string][] = [];
    await buildWithCli(join(ROOT, "seeds"), join(dir, "seeds"), join(dir, "cache"));
    datasets.push(["seeds", join(dir, "seeds")]);
    await publish(richDataset(), join(dir, "rich"), INFO);
    await writeReport(join(dir, "rich"));
    datasets.push(["rich", join(dir, "rich")]);
    const corpus = process.env.REPORT_CORPUS;
    if (corpus) {
      await buildWithCli(resolve(corpus), join(dir, "corpus"), join(dir, "cache"));
      datasets.push(["corpus", join(dir, "corpus")]);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    const page = await browser.newPage({ viewport: VIEWPORT });
    for (const [name, out] of datasets) {
      await mkdir(join(SCREENSHOTS, name), { recursive: true });
      for (const file of PAGES) {
        await page.goto(pathToFileURL(join(out, "report", file)).href);
        layouts.set(
          `${name}/${file}`,
          await page.evaluate(() => {
            const title = (el: Element) => el.closest("figure")?.querySelector("figcaption")?.textContent ?? "";
            const main = document.querySelector("main")!;
            const padding = parseFloat(getComputedStyle(main).paddingRight);
            return {
              scrollWidth: document.scrollingElement!.scrollWidth,
              clientWidth: document.scrollingElement!.clientWidth,
              svgs: [...document.querySelectorAll("svg")].map((svg) => ({
                figure: title(svg),
                width: svg.getBoundingClientRect().width,
                attribute: Number(svg.getAttribute("width")),
                parent: svg.parentElement!.getBoundingClientRect().width,
              })),
              boxes: [...document.querySelectorAll(".scroll")].map((box) => ({ figure: title(box), right: box.getBoundingClientRect().right, scrolls: box.scrollWidth > box.clientWidth })),
              contentRight: main.getBoundingClientRect().right - padding,
              headers: [...document.querySelectorAll("table")].map((t) => [...t.querySelectorAll("thead th")].map((th) => th.textContent!)),
              chartText: [...document.querySelectorAll("svg text")].map((t) => t.textContent).join("\n"),
            };
          }),
        );
        await page.screenshot({ path: join(SCREENSHOTS, name, file.replace(".html", ".png")), fullPage: true });
      }
    }
    await page.close();
    console.log(`report screenshots: ${SCREENSHOTS}`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders every page of every dataset", () => {
    expect([...layouts.keys()].filter((k) => k.startsWith("seeds/") || k.startsWith("rich/")).length).toBe(PAGES.length * 2);
    // The seed articles do draw charts, so the checks below are not vacuous.
    expect(layouts.get("seeds/trade.html")!.svgs.length).toBeGreaterThan(0);
  });

  it("never scrolls a page sideways", () => {
    for (const [page, l] of layouts) expect({ page, scrollWidth: l.scrollWidth }).toEqual({ page, scrollWidth: l.clientWidth });
  });

  it("fits every chart in its box, drawn at the width it was rendered at", () => {
    for (const [page, l] of layouts) {
      for (const svg of l.svgs) {
        expect({ page, figure: svg.figure, fits: svg.width <= svg.parent + 0.5 }).toEqual({ page, figure: svg.figure, fits: true });
        expect({ page, figure: svg.figure, width: svg.width }).toEqual({ page, figure: svg.figure, width: svg.attribute });
      }
    }
  });

  it("keeps wide tables inside a sideways-scrolling box within the page", () => {
    for (const [page, l] of layouts) {
      for (const box of l.boxes) expect({ page, figure: box.figure, inside: box.right <= l.contentRight + 0.5 }).toEqual({ page, figure: box.figure, inside: true });
    }
    // The aid shipments table (19 columns, long places and items) is wider than the page: its box scrolls, the page does not.
    expect(layouts.get("rich/aid.html")!.boxes.find((b) => b.figure === "Aid shipments")).toMatchObject({ scrolls: true });
  });

  it("puts the id columns of every table last", () => {
    const isId = (h: string) => /(^|_)(record|article)_id$/.test(h);
    for (const [page, l] of layouts) {
      for (const header of l.headers) {
        const first = header.findIndex(isId);
        if (first >= 0) expect({ page, header, tail: header.slice(first).every(isId) }).toEqual({ page, header, tail: true });
      }
    }
  });

  it("plots no undated figure as a category", () => {
    for (const [page, l] of layouts) expect({ page, found: l.chartText.match(/undated|null/g) }).toEqual({ page, found: null });
  });
});
