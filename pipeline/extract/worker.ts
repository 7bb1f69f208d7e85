/**
 * Entry of an extraction worker thread (see pool.ts): builds the gazetteer once from the reference data
 * it is started with, then answers each batch, in order, with its results (packed: packed.ts) or its
 * article lines.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Reference } from "../types.ts";
import { buildGazetteer } from "./entities.ts";
import { pack, transferables } from "./packed.ts";
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
        const answers = await runJob(msg.job, gazetteer, reference, (name) => (current = name));
        // Results are object graphs, which structured clone rebuilds slowly on the main thread; article lines
        // are strings, which it copies as fast as packing them would.
        reply = msg.job.form === "results" ? { id: msg.id, packed: pack(answers) } : { id: msg.id, results: answers };
      } catch (err) {
        reply = { id: msg.id, error: `extraction failed on article ${current}: ${(err as Error).stack ?? err}` };
      }
      port.postMessage(reply, "packed" in reply ? transferables(reply.packed) : []);
    });
  });
}
