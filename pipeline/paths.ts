import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Kept apart from run.ts so that the command line can start without loading the pipeline's stages.
export const PROJECT_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const DEFAULT_INPUT = join(PROJECT_ROOT, "seeds");
export const DEFAULT_SOURCES = join(PROJECT_ROOT, "sources");
export const DEFAULT_OUTPUT = join(PROJECT_ROOT, "output");
