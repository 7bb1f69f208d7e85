/**
 * Entry of an extraction worker thread (see pool.ts): builds the gazetteer once from the reference data
 * it is started with, then answers each batch, in order, with its article lines.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Reference } from "../types.ts";
import { buildGazetteer } from "./entities.ts";
import { runJob, type WorkerRequest, type WorkerResponse } from "./pool.ts";

if (parentPort) {
  const port = parentPort;
  const { reference } = workerData as { reference: Reference };
  const gazetteer = buildGazetteer(reference);
  // Jobs are synchronous, so each runs to its end, in the order sent, before the next message is taken.
  port.on("message", (msg: WorkerRequest) => {
    let reply: WorkerResponse;
    let current = "";
    try {
      reply = { id: msg.id, results: runJob(msg.job, gazetteer, reference, (name) => (current = name)) };
    } catch (err) {
      reply = { id: msg.id, error: `extraction failed on article ${current}: ${(err as Error).stack ?? err}` };
    }
    port.postMessage(reply);
  });
}
