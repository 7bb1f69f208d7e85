/**
 * The staging store of a run: a DuckDB database in a scratch folder, with a memory limit, that holds what
 * the stages hand each other at archive size (facts, merged records, the rows of every published table) as
 * JSON text beside the columns they are read back in order by. DuckDB appends, sorts beyond memory and
 * streams the rows back, so no stage holds a table whole.
 */
import { join } from "node:path";
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import type { ChunkedRows } from "../publish/chunks.ts";
import { quoteIdent } from "../publish/duckdb.ts";
import { TABLES, type Dataset } from "../schema/tables.ts";
import { asciiJson } from "./asciiJson.ts";

/** DuckDB's memory for staging, beyond which it spills to the scratch folder; at 128 MB, sorting 100,000 articles' facts failed to pin a block. */
export const STORE_MEMORY_MB = 384;
/** Rows per chunk read back. */
const CHUNK_ROWS = 8192;

/** The tables the stages stage, as published (rejected and corrections_unmatched stay small, in memory). */
export type StagedTable = Exclude<keyof Dataset, "rejected" | "corrections_unmatched">;
const UNSTAGED = new Set(["rejected", "corrections_unmatched", "countries"]);
/** Every published table but the small ones held in memory, in the registry's order. */
export const STAGED_TABLES = TABLES.map((t) => t.name).filter((n) => !UNSTAGED.has(n)) as StagedTable[];

/** Where a QA row comes from: rows of one check id are read back in this order, and the first is kept. */
export const QA_STAGE = { extract: 0, corrections: 1, merge: 2, derive: 3, articles: 4 } as const;

const primaryKey = (table: StagedTable) => TABLES.find((t) => t.name === table)!.primaryKey;

export class Store {
  private readonly appenders = new Map<string, DuckDBAppender>();
  private seq = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /**
     * Reads stream on a connection of their own: the stages append while they read, and an appender flushing on the
     * reading connection ended its stream early without an error (after 204,800 of 1,400,000 sorted rows).
     */
    private readonly reader: DuckDBConnection,
  ) {}

  /**
   * A new store in `dir` (an empty folder the caller removes). One thread: each sorting thread takes buffers
   * of its own, and with two, sorting 10,000 articles' facts ran out of the memory limit.
   */
  static async open(dir: string, memoryMb = STORE_MEMORY_MB): Promise<Store> {
    const instance = await DuckDBInstance.create(join(dir, "stage.duckdb"), { threads: "1", memory_limit: `${memoryMb}MB`, temp_directory: join(dir, "spill"), preserve_insertion_order: "false" });
    const connection = await instance.connect();
    await connection.run("CREATE TABLE facts (key VARCHAR, seq BIGINT, json VARCHAR)");
    await connection.run("CREATE TABLE records (grp VARCHAR, record_id VARCHAR, json VARCHAR)");
    for (const t of STAGED_TABLES) {
      const keys = primaryKey(t).map((k) => `${quoteIdent(k)} VARCHAR`);
      await connection.run(`CREATE TABLE ${quoteIdent(`out_${t}`)} (${keys.join(", ")}, stage INTEGER, seq BIGINT, json VARCHAR)`);
    }
    return new Store(instance, connection, await instance.connect());
  }

  private async appender(table: string): Promise<DuckDBAppender> {
    let a = this.appenders.get(table);
    if (!a) this.appenders.set(table, (a = await this.connection.createAppender(table)));
    return a;
  }

  /** A normalized fact, as JSON, under its merge key; facts of a key are read back in the order added. */
  async addFact(key: string, json: string): Promise<void> {
    const a = await this.appender("facts");
    a.appendVarchar(key);
    a.appendBigInt(BigInt(this.seq++));
    a.appendVarchar(json);
    a.endRow();
  }

  /** A merged record, as JSON, under its derivation group. */
  async addRecord(group: string, record_id: string, json: string): Promise<void> {
    const a = await this.appender("records");
    a.appendVarchar(group);
    a.appendVarchar(record_id);
    a.appendVarchar(json);
    a.endRow();
  }

  /** A row of a published table; `stage` orders rows of one key (QA_STAGE), else rows of a key keep the order added. */
  async addRow(table: StagedTable, row: object, stage = 0): Promise<void> {
    const a = await this.appender(`out_${table}`);
    for (const k of primaryKey(table)) {
      const v = (row as Record<string, unknown>)[k];
      if (v === null || v === undefined) a.appendNull();
      else a.appendVarchar(String(v));
    }
    a.appendInteger(stage);
    a.appendBigInt(BigInt(this.seq++));
    a.appendVarchar(asciiJson(row));
    a.endRow();
  }

  /** Makes every row added so far readable. */
  flush(): void {
    for (const a of this.appenders.values()) a.closeSync();
    this.appenders.clear();
  }

  /** The text columns of a query's rows over `table`, in its order, a chunk at a time; all of them or an error. */
  private async *texts(table: string, sql: string): AsyncGenerator<string[][]> {
    this.flush();
    const expected = Number((await this.reader.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(table)}`)).getRows()[0]![0]);
    const result = await this.reader.stream(sql);
    let read = 0;
    let out: string[][] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const columns = Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c));
      for (let i = 0; i < chunk.rowCount; i++) out.push(columns.map((v) => v.getItem(i) as string));
      read += chunk.rowCount;
      if (out.length >= CHUNK_ROWS) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
    if (read !== expected) throw new Error(`staging store: read ${read} of the ${expected} rows of ${table}`);
  }

  /** Every fact's merge key and JSON, by key, then in the order added. */
  facts(): AsyncGenerator<string[][]> {
    return this.texts("facts", "SELECT key, json FROM facts ORDER BY key, seq");
  }

  /** Every record's derivation group and JSON, by group, then record id. */
  records(): AsyncGenerator<string[][]> {
    return this.texts("records", "SELECT grp, json FROM records ORDER BY grp, record_id");
  }

  /** A published table in primary-key order, rows of one key by stage and then in the order added. */
  table(table: StagedTable): ChunkedRows {
    const order = [...primaryKey(table).map((k) => `${quoteIdent(k)} NULLS FIRST`), "stage", "seq"].join(", ");
    const sql = `SELECT json FROM ${quoteIdent(`out_${table}`)} ORDER BY ${order}`;
    const texts = () => this.texts(`out_${table}`, sql);
    return {
      async *chunks() {
        for await (const rows of texts()) yield rows.map((r) => JSON.parse(r[0]!) as Record<string, unknown>);
      },
    };
  }

  close(): void {
    this.flush();
    this.reader.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
