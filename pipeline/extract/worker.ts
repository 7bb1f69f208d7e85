/**
 * Entry of an extraction worker thread (see pool.ts): builds the gazetteer once from the reference data
 * it is started with, then answers each batch of articles with their extraction results, in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Reference } from "../types.ts";
import { buildGazetteer } from "./entities.ts";
import { extractArticle } from "./extract.ts";
import type { WorkerRequest, WorkerResponse } from "./pool.ts";

if (parentPort) {
  const port = parentPort;
  const gazetteer = buildGazetteer((workerData as { reference: Reference }).reference);
  port.on("message", (msg: WorkerRequest) => {
    let reply: WorkerResponse;
    let current = "";
    try {
      reply = {
        id: msg.id,
        results: msg.articles.map((a) => {
          current = a.meta.article_id;
          return extractArticle(a, gazetteer);
        }),
      };
    } catch (err) {
      reply = { id: msg.id, error: `extraction failed on article ${current}: ${(err as Error).stack ?? err}` };
    }
    port.postMessage(reply);
  });
}
