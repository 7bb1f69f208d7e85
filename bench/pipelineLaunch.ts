import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** How `npm run pipeline` starts the pipeline: the environment it sets and the Node flags it passes. */
export interface PipelineLaunch {
  env: Record<string, string>;
  flags: string[];
}

/**
 * The environment and Node flags of `npm run pipeline` (package.json: `NAME=value` words before the command,
 * `--` words after it), for running pipeline/cli.ts as users do without npm's and tsx's launcher processes around it.
 */
export async function pipelineLaunch(root: string): Promise<PipelineLaunch> {
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const words = pkg.scripts.pipeline!.split(/\s+/);
  const env = Object.fromEntries(words.flatMap((w) => (/^[A-Z_][A-Z0-9_]*=/.test(w) ? [[w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]] : [])));
  return { env, flags: words.filter((w) => w.startsWith("--")) };
}
