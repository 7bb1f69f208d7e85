/**
 * Entry of an extraction worker thread (see pool.ts): builds the gazetteer once from the reference data
 * it is started with, then answers each batch with its results (or article lines), in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Reference } from "../types.ts";
import { buildGazetteer } from "./entities.ts";
import { runJob, type WorkerRequest, type WorkerResponse } from "./pool.ts";

if (parentPort) {
  const port = parentPort;
  const { reference } = workerData as { reference: Reference };
  const gazetteer = buildGazetteer(reference);
  // One job at a time, in the order sent: a merge job awaits file I/O, and two interleaved would hold two parts at once.
  let queue = Promise.resolve();
  port.on("message", (msg: WorkerRequest) => {
    queue = queue.then(async () => {
      let reply: WorkerResponse;
      let current = "";
      try {
        reply = { id: msg.id, results: await runJob(msg.job, gazetteer, reference, (name) => (current = name)) };
      } catch (err) {
        reply = { id: msg.id, error: `extraction failed on article ${current}: ${(err as Error).stack ?? err}` };
      }
      port.postMessage(reply);
    });
  });
}
