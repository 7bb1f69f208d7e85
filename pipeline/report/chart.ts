import { parse, View } from "vega";
import { compile } from "vega-lite";
import type { ChartBlock } from "./types.ts";

/**
 * Renders a Vega-Lite spec to an SVG string in Node: no browser, no canvas, no network (the data
 * is inline), so the report works offline and the pages carry no script.
 */
export async function renderSvg(block: ChartBlock): Promise<string> {
  const view = new View(parse(compile(block.spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
