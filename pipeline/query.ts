import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openReadOnly } from "./report/db.ts";
import { formatTextTable } from "./report/textTable.ts";
import { DEFAULT_OUTPUT } from "./paths.ts";

const USAGE = `usage: npm run query -- [--db PATH] "SQL"
  --db PATH  DuckDB file to open read-only (default: output/dataset.duckdb)
One SELECT (or EXPLAIN) statement on that file alone: no other file, no extension, no network, 1 GB of memory.
Tables and v_* views: see output/README.md.`;

/** `npm run query -- "SQL"`: runs one reading statement against the published database and prints a text table. */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { db: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`expected one SQL statement, got ${positionals.length}\n${USAGE}\n`);
    return 2;
  }
  const db = await openReadOnly(resolve(values.db ?? `${DEFAULT_OUTPUT}/dataset.duckdb`));
  try {
    process.stdout.write(formatTextTable(await db.queryOne(positionals[0]!)));
    return 0;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`query failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
