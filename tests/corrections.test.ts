import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArticles } from "../bench/generate.ts";
import { parseCorrections, type Correction } from "../pipeline/corrections/read.ts";
import type { RawFile } from "../pipeline/ingest/article.ts";
import { listInputs } from "../pipeline/ingest/read.ts";
import { loadReference } from "../pipeline/ingest/reference.ts";
import { ExtractCache } from "../pipeline/ops/cache.ts";
import type { Logger } from "../pipeline/ops/log.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { Store } from "../pipeline/ops/store.ts";
import { buildFromInputs, folderSource, runStages } from "../pipeline/run.ts";
import type { Dataset } from "../pipeline/schema/tables.ts";
import type { Reference } from "../pipeline/types.ts";
import { snapshot } from "./fixtures/snapshot.ts";

const HEADER = "id,action,article_id,table,quote,field,value,reason,reviewer,date";

let reference: Reference;
let work: string;
beforeAll(async () => {
  reference = await loadReference(new URL("../sources", import.meta.url).pathname);
  work = await mkdtemp(join(tmpdir(), "corrections-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function file(id: string, published: string, body: string): RawFile {
  return { source_file: `${id}.md`, bytes: new TextEncoder().encode(`---\nid: ${id}\npublished: ${published}\n---\n${body}\n`) };
}

const TRADE = file(
  "t1",
  "2024-03-10",
  "Trade between Kazakhstan and Afghanistan reached $545 million in 2023, the ministry said.\n\nThe two countries signed contracts worth $30 million in Kabul on Monday.",
);
const AID = file(
  "a1",
  "2024-03-04",
  "Kazakhstan sent 500 tons of humanitarian aid to Afghanistan by rail on March 2, 2024.\n\nOfficials in Astana said a further shipment is being prepared, and Uzbekistan has promised to send 40 railcars of flour.",
);
const QUARTER = file("q1", "2024-05-02", "In the first quarter of 2024, Kazakhstan exported goods worth $96 million to Afghanistan and imported goods worth $11 million from it.");

const corrections = (...rows: string[]): Correction[] => parseCorrections([HEADER, ...rows].join("\n"), "corrections/test.csv");
const build = (c: Correction[]): Promise<Dataset> => buildFromInputs([TRADE, AID, QUARTER], new Map(), reference, c);

describe("reading corrections", () => {
  it("reads one row per correction with its file and line, an add's JSON parsed", async () => {
    const [reject, add] = corrections('r1,reject,a1,aid_shipments,"promised to send 40 railcars",,,not delivered,ana,2026-12-01', 'a1,add,t1,grants,the ministry said,,"{""donor_iso3"": ""KAZ"", ""recipient_iso3"": ""AFG"", ""status"": ""current"", ""students"": 120}",,ana,');
    expect(reject).toMatchObject({ id: "r1", action: "reject", article_id: "a1", table: "aid_shipments", quote: "promised to send 40 railcars", field: null, value: null, add: null, date: "2026-12-01", file: "corrections/test.csv", line: 2 });
    expect(add).toMatchObject({ id: "a1", action: "add", add: { donor_iso3: "KAZ", recipient_iso3: "AFG", status: "current", students: 120 }, date: null, line: 3 });
  });

  it("names the file, line and column of a malformed cell", async () => {
    expect(() => corrections("x1,reject,a1,aid_shipments,some quote,,,,,", "x2,delete,a1,aid_shipments,some quote,,,,,")).toThrow('corrections/test.csv line 3, column 2 (action): expected one of reject, set, add');
    expect(() => corrections("x1,set,a1,trade_flows,some quote,,5,,,")).toThrow("corrections/test.csv line 2, column 6 (field): a set names the field it changes");
    expect(() => corrections("x1,add,a1,grants,some quote,,{not json},,,")).toThrow(/line 2, column 7 \(value\): an add's value is a JSON object/);
    expect(() => corrections("x1,reject,a1,trade_flows,exported 120,000 tons,,,,,")).toThrow("corrections/test.csv line 2, column 11: more cells than the header's 10 columns");
    expect(() => parseCorrections("id,action,article,table,quote,field,value,reason,reviewer,date\n", "c.csv")).toThrow('c.csv line 1, column 3: unknown column "article"');
  });
});

describe("applying corrections", () => {
  it("a reject removes the fact from every table and keeps its evidence, marked", async () => {
    const before = await build([]);
    expect(before.aid_shipments.map((r) => [r.donor_iso3, r.railcars])).toContainEqual(["UZB", 40]);
    const d = await build(corrections("r1,reject,a1,aid_shipments,promised to send 40 railcars,,,a promise,ana,2026-12-01"));
    expect(d.aid_shipments.map((r) => [r.donor_iso3, r.weight_tonnes, r.railcars, r.reviewed])).toEqual([["KAZ", 500, null, false]]);
    const marked = d.evidence.filter((e) => e.rule === "review:r1");
    expect(marked.map((e) => [e.article_id, e.field, e.value_text, e.stated_value])).toEqual([["a1", "railcars", "40 railcars", 40]]);
    expect(d.aid_shipments.some((r) => r.record_id === marked[0]!.record_id)).toBe(false);
    expect(d.corrections_unmatched).toEqual([]);
  });

  it("a set wins over the extracted value, adds a review evidence row on the quote, and marks the record reviewed", async () => {
    const d = await build(corrections("s1,set,t1,trade_flows,reached $545 million,value_usd,554000000,misread,ana,"));
    const turnover = d.trade_flows.find((r) => r.flow === "turnover")!;
    expect(turnover).toMatchObject({ reporter_iso3: "AFG", partner_iso3: "KAZ", value_usd: 554_000_000, reviewed: true });
    const review = d.evidence.find((e) => e.rule === "review:s1")!;
    const body = "Trade between Kazakhstan and Afghanistan reached $545 million in 2023, the ministry said.";
    expect(review).toMatchObject({ record_id: turnover.record_id, quote: "reached $545 million", char_start: body.indexOf("reached"), char_end: body.indexOf(" in 2023"), field: "value_usd", value_text: "554000000", stated_value: 554_000_000, confidence: 1 });
    expect(d.trade_flows.filter((r) => r.flow !== "turnover").every((r) => !r.reviewed)).toBe(true);
  });

  it("a set of a key field moves the record to its new id; an empty value clears a field", async () => {
    const before = (await build([])).trade_flows.find((r) => r.flow === "export")!;
    const d = await build(corrections("s1,set,q1,trade_flows,exported goods worth $96 million,commodity,goods,,ana,", "s2,set,t1,contracts,signed contracts worth $30 million,n_contracts,,,ana,"));
    const after = d.trade_flows.find((r) => r.flow === "export")!;
    expect(after).toMatchObject({ commodity: "goods", value_usd: 96_000_000, reviewed: true });
    expect(after.record_id).not.toBe(before.record_id);
    expect(d.contracts.map((r) => [r.value_usd, r.n_contracts, r.reviewed])).toEqual([[30_000_000, null, true]]);
  });

  it("an add enters reconciliation with evidence quoting the body, and merges with an extracted fact of the same key", async () => {
    const d = await build(corrections(
      'a1,add,a1,grants,Officials in Astana said,,"{""donor_iso3"": ""KAZ"", ""recipient_iso3"": ""AFG"", ""status"": ""planned"", ""grants_per_year"": 50}",,ana,',
      'a2,add,q1,trade_flows,imported goods worth $11 million,,"{""flow"": ""import"", ""reporter_iso3"": ""KAZ"", ""partner_iso3"": ""AFG"", ""period_start"": ""2024-01-01"", ""period_end"": ""2024-03-31"", ""status"": ""reported"", ""value_usd"": ""11000000""}",,ana,',
    ));
    expect(d.grants).toEqual([expect.objectContaining({ donor_iso3: "KAZ", recipient_iso3: "AFG", status: "planned", grants_per_year: 50, qualifier: "exact", n_sources: 1, as_of: "2024-03-04", reviewed: true })]);
    const ev = d.evidence.find((e) => e.rule === "review:a1")!;
    expect(ev).toMatchObject({ record_id: d.grants[0]!.record_id, article_id: "a1", field: "grants_per_year", stated_value: 50, quote: "Officials in Astana said" });
    const aidBody = "Kazakhstan sent 500 tons of humanitarian aid to Afghanistan by rail on March 2, 2024.\n\nOfficials in Astana said";
    expect([ev.char_start, ev.char_end]).toEqual([aidBody.indexOf("Officials"), aidBody.length]);
    // The same import as the extractor's: one record, two evidence rows, reviewed.
    const imports = d.trade_flows.filter((r) => r.flow === "import");
    expect(imports.map((r) => [r.value_usd, r.value_original, r.currency_original, r.n_sources, r.reviewed])).toEqual([[11_000_000, 11_000_000, "USD", 1, true]]);
    expect(d.evidence.filter((e) => e.record_id === imports[0]!.record_id).map((e) => e.rule).sort()).toEqual(["review:a2", "trade.value"]);
  });

  it("a correction that no longer applies is an unmatched row and a qa error, never dropped", async () => {
    const d = await build(corrections(
      "u1,reject,gone,trade_flows,anything,,,,,",
      "u2,reject,t1,trade_flows,reached $999 million,,,,,",
      "u3,set,t1,trade_flows,reached $545 million,tonnage,5,,,",
      "u4,reject,q1,trade_flows,In the first quarter of 2024,,,,,",
      "u5,set,t1,trade_flows,reached $545 million,flow,barter,,,",
      'u6,add,a1,grants,not in the article,,"{""status"": ""current"", ""students"": 3}",,,',
      'u7,add,a1,grants,Officials in Astana said,,"{""donor_iso3"": ""KAZ""}",,,',
      "ok1,reject,q1,trade_flows,imported goods worth $11 million,,,,,",
    ));
    expect(d.corrections_unmatched.map((u) => [u.correction_id, u.line, u.reason])).toEqual([
      ["u1", 2, "the article is not among the inputs"],
      ["u2", 3, "the quote is no longer in the evidence of any trade_flows fact of the article"],
      ["u3", 4, 'trade_flows has no column "tonnage" a correction can set'],
      ["u4", 5, "the quote matches 2 trade_flows facts of the article; quote the clause up to the number to pick one"],
      ["u5", 6, 'value "barter" does not fit trade_flows.flow (one of export, import, turnover, required)'],
      ["u6", 7, "the quote is not in the article body"],
      ["u7", 8, "the added fact lacks status"],
    ]);
    const errors = d.qa_checks.filter((q) => q.check === "correction_unmatched");
    expect(errors).toHaveLength(7);
    expect(errors.every((q) => q.severity === "error")).toBe(true);
    expect(errors.find((q) => q.article_id === "gone")!.message).toBe("correction u1 (reject, corrections/test.csv line 2) no longer applies: the article is not among the inputs");
    // The one that applied did: the quote taking in the number picks the import out of the sentence.
    expect(d.trade_flows.filter((r) => r.period_start === "2024-01-01").map((r) => r.flow)).toEqual(["export"]);
  });
});

describe("both paths", () => {
  it("a folder on the worker pool through the cache applies corrections as files held in memory do, byte for byte", async () => {
    const input = join(work, "in");
    await mkdir(input);
    // Enough articles that extraction runs on workers, which take the files' bytes: an add's body is read again.
    const filler = Array.from(generateArticles(11, 64), (a) => ({ source_file: a.name, bytes: new TextEncoder().encode(a.text) }));
    const files = [TRADE, AID, QUARTER, ...filler];
    for (const f of files) await writeFile(join(input, f.source_file), f.bytes);
    const c = corrections(
      "r1,reject,a1,aid_shipments,promised to send 40 railcars,,,,,",
      "s1,set,t1,trade_flows,reached $545 million,value_usd,554000000,,,",
      'a1,add,a1,grants,Officials in Astana said,,"{""donor_iso3"": ""KAZ"", ""recipient_iso3"": ""AFG"", ""status"": ""planned"", ""grants_per_year"": 50}",,,',
      "u1,reject,gone,trade_flows,anything,,,,,",
    );
    const quiet: Logger = { info() {}, warn() {}, progress() {} };
    const info = { name: "t", title: "t", version: "0.0.0", sources: [] };
    const scratch = await mkdtemp(join(work, "stage-"));
    const store = await Store.open(scratch);
    try {
      const built = await runStages({ source: folderSource(input, await listInputs(input)), registry: new Map(), reference, corrections: c, cache: new ExtractCache(join(work, "cache"), "test"), store, scratch, log: quiet });
      expect(built.unmatched.map((u) => u.correction_id)).toEqual(["u1"]);
      await publish(built.dataset, join(work, "folder"), info);
      expect(built.reextracted).toBe(files.length);
    } finally {
      store.close();
    }
    await publish(await buildFromInputs(files, new Map(), reference, c), join(work, "memory"), info);
    expect(await snapshot(join(work, "folder"))).toEqual(await snapshot(join(work, "memory")));
  }, 60_000);
});
