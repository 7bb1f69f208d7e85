/**
 * Every cap on the work one input file may cost, in one place: memory is bounded by design, not by luck, so
 * no file within these limits can exhaust a worker's or the main thread's heap. A file past a limit becomes
 * a `rejected` row saying which limit, never a partial article.
 */

/** Bytes of one article file, ample for any news article: checked with fstat before a byte is read, so a larger file is never read. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/**
 * Digit groups in one article's body: extraction holds every sentence's analysis at once, and 5 MB of dense
 * trade sentences (260,000 numbers) overran a worker's 512 MB heap, while 19,000 fit in 64 MB; 50,000 keeps
 * an article well inside a worker's heap and is hundreds of times the densest seed article (55).
 */
export const MAX_NUMBERS_PER_ARTICLE = 50_000;

/** Facts one article may yield: their lines travel to the main thread and the store whole, so they are capped too (numbers written out in words escape the digit count). */
export const MAX_FACTS_PER_ARTICLE = 10_000;
