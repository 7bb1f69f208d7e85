import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { ByteBuffer } from "./byteBuffer.ts";
import { appendRecord, csvHeader } from "./csv.ts";
import type { FileInfo } from "./files.ts";
import { csvPath } from "./paths.ts";
import type { Row, TableColumns } from "./rows.ts";

/** Bytes of records formatted before they are written out. */
const FLUSH_BYTES = 1 << 20;

export interface TableCsv {
  rowCount: number;
  /** Bytes of the widest record written with exact values, which sizes the table's Parquet row groups. */
  widestRow: number;
  csv: FileInfo;
}

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.length; ) done += (await handle.write(data, done)).bytesWritten;
}

/** A file written front to back whose size and SHA-256 are kept as it grows, so it is never read back. */
class HashedFile {
  private readonly hash = createHash("sha256");
  private bytes = 0;
  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, path: string): Promise<HashedFile> {
    return new HashedFile(path, await open(join(dir, path), "w"));
  }

  async write(data: Uint8Array): Promise<void> {
    this.hash.update(data);
    this.bytes += data.length;
    await writeAll(this.handle, data);
  }

  info(): FileInfo {
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Streams a table's canonical chunks into its CSV, handing each row on to `onRow` (the DuckDB appender) as it goes. */
export async function writeTableCsv(dir: string, { def, columns }: TableColumns, chunks: AsyncIterable<Row[]>, onRow: (row: Row) => void): Promise<TableCsv> {
  const csv = await HashedFile.create(dir, csvPath(def.name));
  try {
    await csv.write(Buffer.from(csvHeader(columns)));

    const published = new ByteBuffer();
    const flush = async () => {
      await csv.write(published.view());
      published.clear();
    };
    let rowCount = 0;
    let widestRow = 0;
    for await (const rows of chunks) {
      for (const row of rows) {
        widestRow = Math.max(widestRow, appendRecord(columns, row, published));
        onRow(row);
        if (published.length >= FLUSH_BYTES) await flush();
      }
      rowCount += rows.length;
    }
    await flush();
    return { rowCount, widestRow, csv: csv.info() };
  } finally {
    await csv.close();
  }
}
