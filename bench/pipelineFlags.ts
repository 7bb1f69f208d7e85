import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The Node flags `npm run pipeline` starts the pipeline with (package.json; its main-thread heap size among
 * them), for running pipeline/cli.ts as users do without npm's and tsx's launcher processes around it.
 */
export async function pipelineNodeFlags(root: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return pkg.scripts.pipeline!.split(/\s+/).filter((t) => t.startsWith("--"));
}
