import { AID_RULES } from "./aid.ts";
import { CONTRACT_RULES } from "./contracts.ts";
import { GRANT_RULES } from "./grants.ts";
import type { Rule } from "./registry.ts";
import { TRADE_FIGURE_RULES, TRADE_RULES } from "./trade.ts";

/**
 * Every rule, in the order the extractor asks them: grant and contract words bind a number most tightly,
 * then trade figures whose role the sentence fixes (restated totals, base-period values), then aid, and
 * last the general trade figure.
 */
export const RULES: readonly Rule[] = [...GRANT_RULES, ...CONTRACT_RULES, ...TRADE_RULES, ...AID_RULES, ...TRADE_FIGURE_RULES];

/** The rules that place numbers, in order. */
export const PLACING_RULES = RULES.filter((r) => r.match && r.produce);
