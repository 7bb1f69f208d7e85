/**
 * The duplicate-id check of a run: each article id taken in, with a number (its file's place in the listing).
 * A Map of string ids cost ~100 bytes an id, held through extraction, and was the main thread's growth with
 * the corpus; here an id costs its characters (in blocks of joined text) and ~24 bytes of typed arrays and
 * numbers. Ids are found by hash and then compared whole, so the answer is exact.
 */
import { fnv1a } from "./spill.ts";

/** Ids per block of joined text. Ids are safe ids (letters, digits, '.', '_', '-'), so '\n' joins them. */
const BLOCK = 1024;

export class SeenIds {
  /** Open addressing, linear probing: an entry's number + 1 (0 is empty), and its id's hash. */
  private slots = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private readonly values: number[] = [];

  /** The value stored with `id` if it was seen before; else stores `value` with it and returns undefined. */
  firstOrAdd(id: string, value: number): number | undefined {
    const hash = fnv1a(id) | 0;
    const mask = this.slots.length - 1;
    let i = hash & mask;
    for (let e = this.slots[i]!; e !== 0; i = (i + 1) & mask, e = this.slots[i]!) {
      if (this.hashes[i] === hash && this.idAt(e - 1) === id) return this.values[e - 1];
    }
    this.slots[i] = this.values.length + 1;
    this.hashes[i] = hash;
    this.values.push(value);
    this.pending.push(id);
    if (this.pending.length === BLOCK) {
      this.blocks.push(this.pending.join("\n"));
      this.pending = [];
    }
    if (this.values.length * 2 > this.slots.length) this.grow();
    return undefined;
  }

  private idAt(entry: number): string {
    const block = Math.floor(entry / BLOCK);
    return block < this.blocks.length ? this.blocks[block]!.split("\n")[entry % BLOCK]! : this.pending[entry % BLOCK]!;
  }

  private grow(): void {
    const [slots, hashes] = [this.slots, this.hashes];
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let j = 0; j < slots.length; j++) {
      if (slots[j] === 0) continue;
      let i = hashes[j]! & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = slots[j]!;
      this.hashes[i] = hashes[j]!;
    }
  }
}
