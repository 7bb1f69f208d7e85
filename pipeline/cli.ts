import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { buildDataset, DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES } from "./run.ts";
import { publish } from "./publish/publish.ts";

/** Exit codes, documented in README.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejectedInputs: 3, locked: 4 } as const;

const USAGE = `usage: npm run pipeline -- [--input DIR] [--out DIR] [--sources DIR]
  --input DIR    folder of *.txt / *.md articles (default: seeds/)
  --out DIR      output folder, replaced atomically (default: output/)
  --sources DIR  source registry and reference data (default: sources/)`;

async function main(argv: string[]): Promise<number> {
  let values: { input?: string; out?: string; sources?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { input: { type: "string" }, out: { type: "string" }, sources: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const input = resolve(values.input ?? DEFAULT_INPUT);
  const out = resolve(values.out ?? DEFAULT_OUTPUT);
  const sourcesDir = resolve(values.sources ?? DEFAULT_SOURCES);
  const started = performance.now();
  const { dataset } = await buildDataset({ input, sourcesDir });
  const report = await publish(dataset, out, {
    name: "afghanistan-neighbours-trade-news",
    title: "Afghanistan and its neighbours: trade, aid, contracts and grants from news articles",
    version: "1.0.0",
    sources: [
      { title: "News articles (see the articles table for each one's publisher and url)" },
      { title: "Annual-average exchange rates (World Bank WDI PA.NUS.FCRF, FRED H.10, IRS fallback)", path: "sources/fx_annual_usd.csv" },
    ],
  });
  const counts = Object.entries(report.rowCounts).map(([t, n]) => `${t} ${n}`).join(", ");
  console.log(`published ${out} in ${((performance.now() - started) / 1000).toFixed(2)} s: ${counts}`);
  for (const r of dataset.rejected) console.error(`rejected ${r.source_file}: ${r.reason}`);
  return dataset.rejected.length > 0 ? EXIT.rejectedInputs : EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`pipeline failed: ${(err as Error).stack ?? err}`);
    process.exit(EXIT.failed);
  },
);
