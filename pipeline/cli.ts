import { statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createLogger, type LogFormat } from "./ops/log.ts";
import { OutputStateError, refuseOut } from "./ops/publication.ts";
import { EXIT, runPipeline } from "./ops/runner.ts";
import { DEFAULT_INPUT, DEFAULT_OUTPUT, DEFAULT_SOURCES, PROJECT_ROOT } from "./paths.ts";

const USAGE = `usage: npm run pipeline -- [--input DIR] [--out DIR] [--sources DIR] [--cache DIR] [--wait [SECONDS]] [--log-format text|json]
  --input DIR        folder of *.txt / *.md articles (default: seeds/)
  --out DIR          output: a link to the latest publication, replaced atomically (default: output/);
                     refused if it exists and is not an output of this pipeline
  --sources DIR      source registry, reference data and corrections/ (default: sources/)
  --cache DIR        per-article extraction cache (default: .cache/extract/)
  --wait [SECONDS]   if another run holds the lock, wait for it (default 600 s) instead of exiting with 4
  --log-format F     text (default; a progress bar on a terminal) or json (one JSON object per line)
  --no-report        skip rendering output/report/ (render it later with npm run notebooks)
exit codes: 0 published; 1 failed; 2 usage error; 3 published but some inputs rejected or corrections unmatched; 4 locked by another run`;

function usage(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return EXIT.usage;
}

async function main(argv: string[]): Promise<number> {
  const waitIdx = argv.indexOf("--wait");
  const waitArg = waitIdx >= 0 && argv[waitIdx + 1] && /^\d+$/.test(argv[waitIdx + 1]!) ? Number(argv.splice(waitIdx + 1, 1)[0]) : 600;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { input: { type: "string" }, out: { type: "string" }, sources: { type: "string" }, cache: { type: "string" }, wait: { type: "boolean" }, "log-format": { type: "string" }, "no-report": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const format = (values["log-format"] ?? "text") as string;
  if (format !== "text" && format !== "json") return usage(`unknown --log-format '${format}'`);
  const log = createLogger(format as LogFormat);
  // An error no caller awaits (a stream's, a worker's) must still end the run as a failure the log says.
  const died = (err: unknown) => {
    log.warn("run failed; the previous output is untouched", { error: (err as Error)?.stack ?? String(err) });
    process.exit(EXIT.failed);
  };
  process.on("uncaughtException", died).on("unhandledRejection", died);
  const input = resolve((values.input as string | undefined) ?? DEFAULT_INPUT);
  const stat = statSync(input, { throwIfNoEntry: false });
  if (!stat) return usage(`--input ${input} does not exist`);
  if (!stat.isDirectory()) return usage(`--input ${input} is not a folder`);
  const out = resolve((values.out as string | undefined) ?? DEFAULT_OUTPUT);
  const refused = await refuseOut(input, out).catch((err: Error) => `cannot tell what --out ${out} is: ${err.message}`);
  if (refused) return usage(refused);
  try {
    await mkdir(dirname(out), { recursive: true });
  } catch (err) {
    return usage(`cannot create ${dirname(out)}, the folder of --out: ${(err as Error).message}`);
  }
  try {
    return await runPipeline({
      input,
      out,
      sourcesDir: resolve((values.sources as string | undefined) ?? DEFAULT_SOURCES),
      cacheDir: resolve((values.cache as string | undefined) ?? `${PROJECT_ROOT}/.cache/extract`),
      waitMs: values.wait ? waitArg * 1000 : 0,
      report: !values["no-report"],
      log,
    });
  } catch (err) {
    const state = err instanceof OutputStateError ? err.state : "the previous output is untouched";
    log.warn(`run failed; ${state}`, { error: (err as Error).stack ?? String(err) });
    return EXIT.failed;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
