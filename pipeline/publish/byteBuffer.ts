/**
 * A growable byte buffer that text is encoded into piece by piece. Building a big string by
 * concatenation and encoding it afterwards costs more than the formatting itself (V8 must
 * flatten the concatenation first), so records are written as UTF-8 straight away.
 */
export class ByteBuffer {
  private buffer = Buffer.allocUnsafe(1 << 16);
  length = 0;

  text(text: string): void {
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes from `start` on; valid until the next write or clear. */
  view(start = 0): Buffer {
    return this.buffer.subarray(start, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
