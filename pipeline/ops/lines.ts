/** Text files read a block at a time, a line at a time: the manifest's inputs, the input log. */
import { open, type FileHandle } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

export class LineReader {
  private readonly block: Buffer;
  private readonly decoder = new StringDecoder("utf8");
  private lines: string[] = [];
  private at = 0;
  private rest = "";
  private ended = false;

  private constructor(
    private readonly handle: FileHandle,
    blockBytes: number,
  ) {
    this.block = Buffer.allocUnsafe(blockBytes);
  }

  /** The file, or null if it does not exist. */
  static async open(path: string, blockBytes: number): Promise<LineReader | null> {
    const handle = await open(path, "r").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw e;
    });
    return handle && new LineReader(handle, blockBytes);
  }

  /** The next line (a last one without its newline included), or null at the end. */
  async next(): Promise<string | null> {
    while (this.at >= this.lines.length) {
      if (this.ended) return null;
      const { bytesRead } = await this.handle.read(this.block, 0, this.block.length, null);
      if (bytesRead === 0) {
        this.ended = true;
        const last = this.rest + this.decoder.end();
        this.lines = last ? [last] : [];
      } else {
        this.lines = (this.rest + this.decoder.write(this.block.subarray(0, bytesRead))).split("\n");
        this.rest = this.lines.pop()!;
      }
      this.at = 0;
    }
    return this.lines[this.at++]!;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Every line of the file at `path` (none if it does not exist), the file closed however the caller stops. */
export async function* fileLines(path: string, blockBytes = 1 << 20): AsyncGenerator<string> {
  const reader = await LineReader.open(path, blockBytes);
  if (!reader) return;
  try {
    for (let line = await reader.next(); line !== null; line = await reader.next()) yield line;
  } finally {
    await reader.close();
  }
}
