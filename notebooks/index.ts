import type { Notebook } from "../pipeline/report/types.ts";
import { aid } from "./aid.ts";
import { contractsTargets } from "./contracts_targets.ts";
import { grants } from "./grants.ts";
import { review } from "./review.ts";
import { trade } from "./trade.ts";

/** The report's pages, in navigation order. */
export const NOTEBOOKS: readonly Notebook[] = [trade, aid, contractsTargets, grants, review];
