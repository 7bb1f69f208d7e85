import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../pipeline/ops/store.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the staging store", () => {
  it(
    "reads every fact back in key order while the stage appends records, past its memory limit",
    async () => {
      // 400,000 facts of ~400 bytes sorted in 96 MB: the sort spills. Reading on the appending connection ended
      // the stream after 204,800 rows, silently.
      const n = 400_000;
      const store = await Store.open(await mkdtemp(join(dir, "s-")), 96);
      try {
        for (let i = 0; i < n; i++) await store.addFact(`k${String((i * 7919) % n).padStart(6, "0")}`, `{"i":${i},"pad":"${"x".repeat(400)}"}`);
        let read = 0;
        let last = "";
        let sorted = true;
        for await (const chunk of store.facts()) {
          for (const [key] of chunk) {
            sorted &&= key! >= last;
            last = key!;
            read++;
            await store.addRecord("group", key!, `{"pad":"${"y".repeat(300)}"}`);
          }
        }
        expect(read).toBe(n);
        expect(sorted).toBe(true);
        expect(last).toBe(`k${String(n - 1).padStart(6, "0")}`);
      } finally {
        store.close();
      }
    },
    180_000,
  );
});
