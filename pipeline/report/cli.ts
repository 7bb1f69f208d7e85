import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommand, runCommand } from "../command.ts";
import { DEFAULT_OUTPUT } from "../paths.ts";
import { REPORT_DIR, writeReport } from "./build.ts";

const USAGE = `usage: npm run notebooks -- [--out DIR] [--if-published]
  --out DIR        published output folder to read and to write report/ into (default: output/)
  --if-published   do nothing (exit 0) when DIR holds no published dataset; used after \`npm run pipeline\``;

/** `npm run notebooks`: renders the notebooks over a published output folder into its report/. */
async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand({ args: argv, options: { out: { type: "string" }, "if-published": { type: "boolean" }, help: { type: "boolean", short: "h" } } }, USAGE);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const out = resolve(values.out ?? DEFAULT_OUTPUT);
  if (values["if-published"] && !existsSync(join(out, "dataset.duckdb"))) {
    process.stdout.write(`report: nothing published in ${out} yet; not built\n`);
    return 0;
  }
  const started = performance.now();
  const files = await writeReport(out);
  process.stdout.write(`report: ${files.length} pages in ${resolve(out, REPORT_DIR)} (${((performance.now() - started) / 1000).toFixed(2)} s)\n`);
  return 0;
}

runCommand("notebooks", main);
