import { resolve } from "node:path";
import { parseCommand, runCommand } from "./command.ts";
import { openReadOnly } from "./report/db.ts";
import { formatTextTable } from "./report/textTable.ts";
import { DEFAULT_OUTPUT } from "./paths.ts";

const USAGE = `usage: npm run query -- [--db PATH] "SQL"
  --db PATH  DuckDB file to open read-only (default: output/dataset.duckdb)
One SELECT (or EXPLAIN) statement on that file alone: no other file, no extension, no network, 1 GB of memory.
Tables and v_* views: see output/README.md.`;

/** `npm run query -- "SQL"`: runs one reading statement against the published database and prints a text table. */
async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand({ args: argv, options: { db: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true }, USAGE);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
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

runCommand("query", main);
