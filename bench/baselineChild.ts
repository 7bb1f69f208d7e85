/**
 * The bench's baseline process (bench.ts): wink-nlp `readDoc` + `doc.entities()`, and our extractor on one
 * thread, over the sample it is sent. It warms both up, then times one pass of each whenever asked, so that
 * the bench can interleave these passes with the pool's timed chunks: the two sides then run under the same
 * state of this shared machine, whose speed drifts by up to 2× within an hour. A process of its own, so
 * that the pool's heap and workers share nothing with it (wink-nlp measured in the pool's process, after
 * extraction, ran up to 40% slower).
 *
 * Messages in: `{ setup: Article[], warmPasses }`, then `{ pass: true }` any number of times.
 * Messages out: `{ ready: true }`, then `{ wink_s, ours_s, wink_entities }` for each pass.
 */
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { DEFAULT_SOURCES } from "../pipeline/paths.ts";
import type { Article } from "../pipeline/types.ts";

export type BaselineRequest = { setup: Article[]; warmPasses: number } | { pass: true };
export type BaselineReply = { ready: true } | { wink_s: number; ours_s: number; wink_entities: number };

function seconds(work: () => void): number {
  const t = performance.now();
  work();
  return (performance.now() - t) / 1000;
}

async function serve(): Promise<void> {
  const { default: winkNLP } = await import("wink-nlp");
  const { default: model } = await import("wink-eng-lite-web-model");
  const nlp = winkNLP(model);
  const gazetteer = buildGazetteer(await loadReference(DEFAULT_SOURCES));
  let sample: Article[] = [];
  let entities = 0;
  const wink = () => {
    entities = 0;
    for (const a of sample) entities += nlp.readDoc(a.body).entities().out().length;
  };
  const ours = () => {
    for (const a of sample) extractArticle(a, gazetteer);
  };
  const reply = (r: BaselineReply) => process.send!(r);
  process.on("message", (msg: BaselineRequest) => {
    if ("setup" in msg) {
      sample = msg.setup;
      for (let p = 0; p < msg.warmPasses; p++) {
        wink();
        ours();
      }
      reply({ ready: true });
    } else {
      const wink_s = seconds(wink);
      reply({ wink_s, ours_s: seconds(ours), wink_entities: entities });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.send) {
  serve().catch((err) => {
    console.error(`baseline process failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
}
