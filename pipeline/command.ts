import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * The arguments of a command-line script, or the exit code it ends with: 2 after a usage error (message and usage
 * on stderr), 0 after `--help` (usage on stdout). `config` must declare the `help` option.
 */
export function parseCommand<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return parsed;
}

/** Runs a script's main on its arguments and exits with its code, or with 1 and "<name> failed: ..." on an error. */
export function runCommand(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
