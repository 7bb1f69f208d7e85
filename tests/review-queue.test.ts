import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORRECTION_COLUMNS, parseCorrections } from "../pipeline/corrections/read.ts";
import { buildGazetteer } from "../pipeline/extract/entities.ts";
import { extractArticle } from "../pipeline/extract/extract.ts";
import { articleFromText } from "../pipeline/ingest/article.ts";
import { parseCsv } from "../pipeline/ingest/csv.ts";
import { publish } from "../pipeline/publish/publish.ts";
import { reviewItems, reviewQueue, shortSpan, type QueueDb, type ReviewItem } from "../pipeline/publish/reviewQueue.ts";
import { openReadOnly } from "../pipeline/report/db.ts";
import { FACT_TABLES } from "../pipeline/schema/tables.ts";
import { FORMULA_SENTENCE, reviewDataset, SHIP_A, SHIP_B, UNPLACED_SENTENCE } from "./fixtures/reviewDataset.ts";
import { reference } from "./fixtures/extract.ts";
import { emptyDataset, INFO } from "./fixtures/smallDataset.ts";

let dir: string;
let queue: Record<string, string>[];
let csvText: string;

/** A queue line's correction as the corrections reader reads it. */
const asCorrection = (line: string) => parseCorrections(`${CORRECTION_COLUMNS.join(",")}\r\n${line}\r\n`, "pasted.csv")[0]!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "review-queue-"));
  await publish(reviewDataset(), join(dir, "out"), INFO);
  csvText = await readFile(join(dir, "out", "review_queue.csv"), "utf8");
  queue = parseCsv(csvText);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("review_queue.csv", () => {
  it("lists every needs_review record exactly once", () => {
    const d = reviewDataset();
    const flagged = FACT_TABLES.flatMap((t) => (d[t] as { record_id: string; needs_review: boolean }[]).filter((r) => r.needs_review).map((r) => `${t} ${r.record_id}`)).sort();
    expect(flagged).toHaveLength(5);
    const listed = queue.filter((q) => q.kind === "needs_review").map((q) => `${q.table_name} ${q.record_id}`).sort();
    expect(listed).toEqual(flagged);
  });

  it("gives a low-confidence record its quote and a reject row the corrections reader accepts", () => {
    const g2 = queue.find((q) => q.kind === "needs_review" && q.record_id === "g2")!;
    expect(g2).toMatchObject({ article_id: "a2", quote: "plans to increase the quota to 60 grants per year", value_text: "60 grants", confidence: "0.55", reason: "confidence 0.55 below 0.7" });
    expect(asCorrection(g2.correction!)).toMatchObject({ id: g2.queue_id, action: "reject", article_id: "a2", table: "grants", quote: "plans to increase the quota to 60 grants per year", field: null, value: null });
  });

  it("lists each conflict once per record and article, with that article's figure in a set row", () => {
    const t22 = queue.filter((q) => q.kind === "conflict" && q.record_id === "t22");
    expect(t22.map((q) => [q.article_id, q.stated_value])).toEqual([["a1", "987900000"], ["a2", "990000000"]]);
    expect(asCorrection(t22[1]!.correction!)).toMatchObject({ action: "set", article_id: "a2", table: "trade_flows", quote: "Trade between the two countries reached $990 million last year.", field: "value_usd", value: "990000000" });
    // Both records of a pair kept apart, the second named only in the message.
    const ships = queue.filter((q) => q.check_id === "q-conflict-ship").map((q) => [q.record_id, q.article_id, q.value_text]);
    expect(ships).toEqual([[SHIP_A, "a1", "500 tons"], [SHIP_B, "a3", "800 tons"]]);
    // The record in conflict is also a needs_review item, saying why.
    expect(queue.find((q) => q.kind === "needs_review" && q.record_id === "t22")!.reason).toBe("its articles disagree (see its conflict items)");
  });

  it("shows an unplaced number's sentence with an add template", () => {
    const [first, second] = queue.filter((q) => q.kind === "unplaced_number");
    expect(first).toMatchObject({ article_id: "a1", value_text: "1,000 tons", quote: `'${FORMULA_SENTENCE}`, reason: "no trade, aid, contract or grant rule took it", record_id: "" });
    expect(second).toMatchObject({ article_id: "a2", value_text: "$31 billion", quote: UNPLACED_SENTENCE, reason: "a country's trade with the whole world (no partner)" });
    // The correction keeps the quote verbatim (no formula guard inside the line), so it matches the article.
    const add = asCorrection(first!.correction!);
    expect(add).toMatchObject({ action: "add", article_id: "a1", table: "trade_flows", quote: FORMULA_SENTENCE });
    expect(add.add).toMatchObject({ flow: "", status: "reported", value_usd: "", quantity_tonnes: "" });
  });

  it("is sorted by kind, then article and position, and has only queue items", () => {
    expect(queue.map((q) => q.kind)).toEqual([...Array(4).fill("conflict"), ...Array(5).fill("needs_review"), "unplaced_number", "unplaced_number"]);
    // By article, then where the quote starts: t22's item shows its least confident source (a2, at 40).
    expect(queue.filter((q) => q.kind === "needs_review").map((q) => [q.article_id, q.record_id])).toEqual([["a1", SHIP_A], ["a2", "g2"], ["a2", "t22"], ["a3", "c1"], ["a3", SHIP_B]]);
    expect(queue.filter((q) => q.kind === "conflict").map((q) => [q.article_id, q.record_id])).toEqual([["a1", "t22"], ["a1", SHIP_A], ["a2", "t22"], ["a3", SHIP_B]]);
    expect(queue.some((q) => q.check_id === "q-other")).toBe(false);
  });

  it("is byte-identical on a rerun", async () => {
    await publish(reviewDataset(), join(dir, "again"), INFO);
    expect(await readFile(join(dir, "again", "review_queue.csv"), "utf8")).toBe(csvText);
    expect(csvText.split("\r\n")[0]).toBe("queue_id,kind,table_name,record_id,check_id,article_id,char_start,char_end,quote,value_text,field,stated_value,confidence,reason,correction");
  });

  it("is documented in the output README", async () => {
    const readme = await readFile(join(dir, "out", "README.md"), "utf8");
    expect(readme).toContain("## Review queue");
    expect(readme).toContain("| `correction` | VARCHAR, required |");
  });

  it("is a header only for a dataset with nothing to review", async () => {
    await publish(emptyDataset(), join(dir, "empty"), INFO);
    expect(parseCsv(await readFile(join(dir, "empty", "review_queue.csv"), "utf8"))).toEqual([]);
  });
});

describe("shortSpan", () => {
  it("keeps whole words around the number, within 80 characters, on one line", () => {
    const quote = "In a long statement issued on Tuesday the ministry said that Kazakhstan had exported 1.3 million tons of flour to Afghanistan in 2022, more than ever before in the history of the two countries.";
    const span = shortSpan(quote, "1.3 million tons");
    expect(quote).toContain(span);
    expect(span).toContain("1.3 million tons");
    expect(span.length).toBeLessThanOrEqual(80);
    expect(span).toMatch(/^\S.*\S$/);
    expect(shortSpan("Short quote, $5 million.", "$5 million")).toBe("Short quote, $5 million.");
    expect(shortSpan(`Header line:\n${"x".repeat(90)} 20 tons of rice`, "20 tons")).not.toContain("\n");
  });

  it("takes in no other fact's number, not even part of it, so the quote picks one fact", () => {
    const quote = "Minister Azizi stated that the two countries have committed to expanding their annual trade volume from $1 billion to $3 billion.";
    expect(shortSpan(quote, "$3 billion", ["$1 billion"])).toBe("to $3 billion.");
    expect(shortSpan(quote, "$1 billion", ["$3 billion"])).toBe("have committed to expanding their annual trade volume from $1 billion to");
    expect(shortSpan("Exports rose from $1 billion to $3 billion.", "$3 billion", ["$1 billion"])).toBe("to $3 billion.");
  });
});

describe("unplaced numbers in qa_checks", () => {
  it("carry their sentence, in the form the queue reads", () => {
    const sentence = "Pakistan's exports to the world reached $31 billion last year.";
    const { qa } = extractArticle(articleFromText("t", `Trade news.\n\n${sentence}`, "2024-06-15"), buildGazetteer(reference));
    const row = qa.find((q) => q.check === "unplaced_number")!;
    expect(row.message).toBe(`number seen but not placed in any table: "$31 billion" (a country's trade with the whole world (no partner)) in the sentence: "${sentence}"`);
  });
});

describe("reviewQueue read a range of articles at a time", () => {
  it("gives the same items in the same order however small the ranges, and the order the CSV has", async () => {
    const db = await openReadOnly(join(dir, "out", "dataset.duckdb"));
    try {
      const whole = await reviewItems(db);
      const oneArticleAtATime: ReviewItem[] = [];
      for await (const batch of reviewQueue(db, 1)) oneArticleAtATime.push(...batch);
      expect(new Set(whole.map((i) => i.article_id)).size).toBeGreaterThanOrEqual(3);
      expect(new Set(whole.map((i) => i.kind))).toEqual(new Set(["conflict", "needs_review", "unplaced_number"]));
      expect(oneArticleAtATime).toEqual(whole);
      expect(whole.map((i) => i.queue_id)).toEqual(queue.map((q) => q.queue_id));
    } finally {
      db.close();
    }
  });
});

describe("a conflict item's reason", () => {
  it("is the start of the conflict's message, the whole being its qa_checks row", async () => {
    const message = `different values for the same trade_flows fact: ${Array.from({ length: 40 }, (_, i) => `${i + 1}000000 usd (a${i}: "$${i + 1} million")`).join(" vs ")}`;
    let part = "";
    // Answers as DuckDB would for one conflict of one record stated in article a1; the other kinds have no rows.
    const db: QueueDb = {
      run: async (sql) => {
        if (sql.startsWith("CREATE")) part = sql.includes("LEFT JOIN matched") ? "conflict" : "other";
      },
      async *stream(sql) {
        if (part !== "conflict") return;
        if (sql.includes("GROUP BY article_id")) yield [{ article_id: "a1", n: 1 }];
        else yield [{ check_id: "c1", table_name: "trade_flows", message, found: true, record_id: "r1", confidence: 0.5, article_id: "a1", char_start: 0, char_end: 27, quote: "Exports rose to $1 million.", value_text: "$1 million", field: "value_usd", stated_value: 1000000, avoid: [] }];
      },
    };
    const items = await reviewItems(db);
    expect(message.length).toBeGreaterThan(1000);
    expect(items.map((i) => [i.kind, i.check_id, i.record_id, i.reason])).toEqual([["conflict", "c1", "r1", `${message.slice(0, 399)}…`]]);
    expect(items[0]!.reason).toHaveLength(400);
  });
});
