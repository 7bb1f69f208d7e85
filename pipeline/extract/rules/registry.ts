/**
 * The rule registry. A rule is an object: its id (written to evidence.rule), the table it fills, what it
 * does, example sentences it must and must not produce a fact from, and — for rules that place numbers —
 * `match` (asked about one still-open quantity of a sentence: the quantities it takes with it, or none) and
 * `produce` (the facts it makes of them). The extractor walks each sentence's quantities in order and asks
 * the placing rules in the order declared in RULES (rules/index.ts); a quantity taken by one is closed to
 * the rest. Rules without match/produce name evidence that a placing rule of the same family writes
 * (`partOf`), so every id that reaches evidence.rule is registered (a test checks it).
 */
import type { QaCheck } from "../../schema/tables.ts";
import type { ExtractedFact, FactNote } from "../../types.ts";
import type { ArticleContext, SentenceAnalysis } from "../analysis.ts";
import type { Quantity } from "../numbers.ts";

export interface RuleExample {
  text: string;
  /** Publication date the example is read against (default 2024-06-15). */
  published?: string;
  /** Fields the fact this rule produces must have (money as value_original/currency_original/value_usd). */
  expect?: Record<string, string | number | null>;
  /** For a must-not example: an amount (money as written, or tonnes) that no fact of the rule's table may carry. */
  notValue?: number;
}

/** What a placing rule sees: the sentence, the quantities no earlier rule took, and the article's running state. */
export interface RuleInput {
  ctx: ArticleContext;
  a: SentenceAnalysis;
  open: readonly Quantity[];
  /** The article's own USD conversions of amounts in this sentence ("6.4 billion tenge (about US$12.7 million)"). */
  rates: ReadonlyMap<Quantity, number>;
  state: ExtractState;
}

export interface Rule {
  id: string;
  table: "trade_flows" | "aid_shipments" | "contracts" | "grants";
  description: string;
  examples: { must: RuleExample[]; mustNot: RuleExample[] };
  /** The placing rule whose facts carry this rule's evidence, for rules that place nothing themselves. */
  partOf?: string;
  /** Asked about the open quantity `q`: the quantities this rule takes with it (q among them), or none. */
  match?(input: RuleInput, q: Quantity): Quantity[];
  /**
   * Facts made of what `match` took, added to `input.state`. `false` hands the quantities back, open to the
   * rules after it: for grammar that only the whole frame can judge (an itemized quantity with no shipment to join).
   */
  produce?(input: RuleInput, taken: Quantity[]): void | boolean;
  /** Runs once a sentence's quantities are placed (e.g. attaching stated changes to the figures just made). */
  afterSentence?(input: RuleInput): void;
  /** Runs once the article is read (e.g. completing facts assembled over several sentences). */
  finish?(ctx: ArticleContext, state: ExtractState): void;
}

/** Per-article state the rules share: the facts so far and what each family remembers between sentences. */
export interface ExtractState {
  facts: ExtractedFact[];
  qa: QaCheck[];
  /** Family-specific memory (trade memos, open aid frames), keyed by family. */
  memory: Map<string, unknown>;
}

/** A family's memory, made on first use. */
export function memoryOf<T>(state: ExtractState, family: string, make: () => T): T {
  let m = state.memory.get(family) as T | undefined;
  if (m === undefined) state.memory.set(family, (m = make()));
  return m;
}

export type { FactNote };
