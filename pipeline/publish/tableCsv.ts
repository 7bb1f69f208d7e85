import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { ByteBuffer } from "./byteBuffer.ts";
import { appendRecord, csvHeader, UTF8_BOM } from "./csv.ts";
import type { FileInfo } from "./files.ts";
import { csvPath, excelCsvPath } from "./paths.ts";
import type { Row, TableColumns } from "./rows.ts";

/** Bytes of records formatted before they are written out. */
const FLUSH_BYTES = 1 << 20;
/** Bytes per load file: few enough statements for DuckDB, small enough that loading overlaps formatting. */
const PIECE_BYTES = 8 << 20;

export interface TableCsv {
  rowCount: number;
  /** Bytes of the widest record of exact values (what DuckDB loads), which sizes the table's Parquet row groups. */
  widestRow: number;
  csv: FileInfo;
  excel: FileInfo;
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

/** A table's load files in `scratch`: pieces of about PIECE_BYTES, each handed to `onPiece` once complete. */
class LoadPieces {
  private current: { path: string; handle: FileHandle; bytes: number } | undefined;
  private count = 0;
  constructor(
    private readonly scratch: string,
    private readonly table: string,
    private readonly onPiece: (path: string) => void,
  ) {}

  async write(data: Uint8Array): Promise<void> {
    if (data.length === 0) return;
    if (!this.current) {
      const path = join(this.scratch, `${this.table}.${this.count++}.csv`);
      this.current = { path, handle: await open(path, "w"), bytes: 0 };
    }
    await writeAll(this.current.handle, data);
    this.current.bytes += data.length;
    if (this.current.bytes >= PIECE_BYTES) await this.end();
  }

  /** Completes the current piece, if any. */
  async end(): Promise<void> {
    const piece = this.current;
    if (!piece) return;
    this.current = undefined;
    await piece.handle.close();
    this.onPiece(piece.path);
  }

  /** Closes the current piece without handing it on (after a failure). */
  async discard(): Promise<void> {
    await this.current?.handle.close();
    this.current = undefined;
  }
}

/**
 * Streams a table's canonical chunks into its CSV and its spreadsheet CSV (a BOM, then the same
 * bytes), and the exact values into load files for DuckDB (see LoadPieces).
 */
export async function writeTableCsv(
  dir: string,
  scratch: string,
  { def, columns }: TableColumns,
  chunks: AsyncIterable<Row[]>,
  onPiece: (path: string) => void,
): Promise<TableCsv> {
  const files: HashedFile[] = [];
  const pieces = new LoadPieces(scratch, def.name, onPiece);
  try {
    const csv = await HashedFile.create(dir, csvPath(def.name));
    files.push(csv);
    const excel = await HashedFile.create(dir, excelCsvPath(def.name));
    files.push(excel);
    const header = Buffer.from(csvHeader(columns));
    await Promise.all([csv.write(header), excel.write(Buffer.concat([UTF8_BOM, header]))]);

    const published = new ByteBuffer();
    const exact = new ByteBuffer();
    const flush = async () => {
      await Promise.all([csv.write(published.view()), excel.write(published.view()), pieces.write(exact.view())]);
      published.clear();
      exact.clear();
    };
    let rowCount = 0;
    let widestRow = 0;
    for await (const rows of chunks) {
      for (const row of rows) {
        const before = exact.length;
        appendRecord(columns, row, published, exact);
        widestRow = Math.max(widestRow, exact.length - before);
        if (published.length >= FLUSH_BYTES) await flush();
      }
      rowCount += rows.length;
    }
    await flush();
    await pieces.end();
    return { rowCount, widestRow, csv: csv.info(), excel: excel.info() };
  } finally {
    await Promise.all([...files.map((f) => f.close()), pieces.discard()]);
  }
}
