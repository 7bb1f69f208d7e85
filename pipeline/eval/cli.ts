import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Dataset } from "../schema/tables.ts";
import { buildDataset } from "../run.ts";
import { formatReport } from "./format.ts";
import { loadGold } from "./gold.ts";
import { scoreCorpus } from "./score.ts";

const USAGE = `usage: npm run eval -- --corpus DIR [--sources DIR] [--json]
  --corpus DIR   articles in DIR/articles/ (or directly in DIR), gold in DIR/gold/
  --sources DIR  source registry / reference folder handed to the pipeline
  --json         print the report as JSON`;

class UsageError extends Error {}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  if (opts === "help") {
    console.log(USAGE);
    return 0;
  }
  const gold = await loadGold(join(opts.corpus, "gold"));
  const articlesDir = isDir(join(opts.corpus, "articles")) ? join(opts.corpus, "articles") : opts.corpus;
  // The pipeline may log; keep stdout for the report alone (the JSON must parse, the tail must be the summary).
  const log = console.log;
  console.log = console.error;
  let dataset: Dataset;
  try {
    ({ dataset } = await buildDataset({ input: articlesDir, ...(opts.sources ? { sourcesDir: opts.sources } : {}) }));
  } finally {
    console.log = log;
  }
  const report = scoreCorpus(gold, dataset);
  console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return 0;
}

function parseOptions(argv: string[]): { corpus: string; sources?: string; json: boolean } | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { corpus: { type: "string" }, sources: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return "help";
  if (!values.corpus) throw new UsageError("--corpus DIR is required");
  const corpus = resolve(values.corpus);
  if (!isDir(corpus)) throw new UsageError(`corpus folder not found: ${corpus}`);
  if (!isDir(join(corpus, "gold"))) throw new UsageError(`no gold folder: ${join(corpus, "gold")}`);
  const sources = values.sources === undefined ? undefined : resolve(values.sources);
  if (sources !== undefined && !isDir(sources)) throw new UsageError(`sources folder not found: ${sources}`);
  return { corpus, sources, json: values.json ?? false };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`eval: ${err.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`eval failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.exitCode = 1;
    }
  },
);
