/**
 * Plain data (objects, arrays without holes, strings, numbers, booleans, null, undefined) packed into typed
 * arrays and one string, for results crossing from a worker to the main thread; unpacked, it equals what
 * structured clone gives. Structured clone rebuilds every object property by property on the receiving
 * thread, which for extraction results was most of the main thread's work. Here the receiver gets flat
 * buffers and builds each object from a literal made once per key list: ~5× cheaper to read (results of
 * 10 MB of articles: 17–25 ms against 106–123), about as cheap to write (57–92 against 72–92), and a
 * repeated string crosses once.
 */

/** Packed data: `ints` holds tags, integers, string numbers and shape ids; `nums` the other numbers. */
export interface Packed {
  ints: Int32Array;
  nums: Float64Array;
  /** Every distinct string, joined, in order of first use, and their `lengths`. */
  text: string;
  lengths: Int32Array;
  /** Each object shape met, as its keys, numbered in order of first use. */
  shapes: string[][];
}

const enum Tag {
  Null,
  Undefined,
  True,
  False,
  Int,
  Float,
  String,
  Array,
  Object,
}

/**
 * Key lists met so far, as a trie walked while an object's keys are read (with `for...in`: Object.keys and a
 * map lookup per key made packing ~40% slower), its shape's number written after its values.
 */
interface ShapeNode {
  next: Map<string, ShapeNode>;
  /** The shape's number once an object ends here, else -1. */
  id: number;
  keys: string[];
  /** The child last stepped to, and by which key: objects of one shape come in runs. */
  lastKey: string | null;
  last: ShapeNode | null;
}

function child(node: ShapeNode, key: string): ShapeNode {
  if (node.lastKey === key) return node.last!;
  let next = node.next.get(key);
  if (!next) node.next.set(key, (next = { next: new Map(), id: -1, keys: [...node.keys, key], lastKey: null, last: null }));
  node.lastKey = key;
  node.last = next;
  return next;
}

/** `into`, twice the size of `full`, with `full` copied in. */
function doubled<T extends Int32Array | Float64Array>(full: T, into: T): T {
  into.set(full);
  return into;
}

class Packer {
  private ints = new Int32Array(1 << 14);
  private n = 0;
  private nums = new Float64Array(1 << 10);
  private m = 0;
  /** Each distinct string once: a fact repeats its article's id, its quote, its table's name... (44% of the text of extraction results). */
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly root: ShapeNode = { next: new Map(), id: -1, keys: [], lastKey: null, last: null };
  private readonly shapes: string[][] = [];

  private int(x: number): void {
    if (this.n === this.ints.length) this.ints = doubled(this.ints, new Int32Array(this.n * 2));
    this.ints[this.n++] = x;
  }

  private float(x: number): void {
    if (this.m === this.nums.length) this.nums = doubled(this.nums, new Float64Array(this.m * 2));
    this.nums[this.m++] = x;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "string": {
        let id = this.stringIds.get(v);
        if (id === undefined) {
          this.stringIds.set(v, (id = this.strings.length));
          this.strings.push(v);
        }
        this.int(Tag.String);
        this.int(id);
        return;
      }
      case "number":
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.int(Tag.Int);
          this.int(v);
        } else {
          this.int(Tag.Float);
          this.float(v);
        }
        return;
      case "boolean":
        this.int(v ? Tag.True : Tag.False);
        return;
      case "undefined":
        this.int(Tag.Undefined);
        return;
      case "object":
        if (v === null) return this.int(Tag.Null);
        if (Array.isArray(v)) {
          this.int(Tag.Array);
          this.int(v.length);
          for (let i = 0; i < v.length; i++) this.value(v[i]);
          return;
        }
        return this.object(v);
    }
    throw new TypeError(`cannot pack a ${typeof v}`);
  }

  private object(v: object): void {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot pack a ${proto?.constructor?.name ?? "non-plain"} object`);
    this.int(Tag.Object);
    const shapeAt = this.n;
    this.int(-1);
    let node = this.root;
    const record = v as Record<string, unknown>;
    for (const key in record) {
      node = child(node, key);
      this.value(record[key]);
    }
    if (node.id < 0) {
      node.id = this.shapes.length;
      this.shapes.push(node.keys);
    }
    this.ints[shapeAt] = node.id;
  }

  done(): Packed {
    const lengths = new Int32Array(this.strings.length);
    for (let k = 0; k < lengths.length; k++) lengths[k] = this.strings[k]!.length;
    return { ints: this.ints.slice(0, this.n), nums: this.nums.slice(0, this.m), text: this.strings.join(""), lengths, shapes: this.shapes };
  }
}

export function pack(value: unknown): Packed {
  const p = new Packer();
  p.value(value);
  return p.done();
}

/** The buffers to move rather than copy when posting a packed value (the packer made them, no one else holds them). */
export function transferables(p: Packed): ArrayBuffer[] {
  return [p.ints.buffer as ArrayBuffer, p.nums.buffer as ArrayBuffer, p.lengths.buffer as ArrayBuffer];
}

type Build = (u: Unpacker) => object;

/**
 * An object literal per key list, compiled once per thread and kept: objects built from it share one hidden
 * class and are made at literal speed, where adding properties one by one (as structured clone does) is not.
 */
const BUILDERS = new Map<string, Build>();

function builderOf(keys: string[]): Build {
  const shape = JSON.stringify(keys);
  let build = BUILDERS.get(shape);
  if (!build) {
    // A literal's plain "__proto__" key would set the prototype; computed, it makes a property, as a clone does.
    build = new Function("u", `return {${keys.map((k) => `${k === "__proto__" ? `["__proto__"]` : JSON.stringify(k)}: u.value()`).join(", ")}};`) as Build;
    BUILDERS.set(shape, build);
  }
  return build;
}

class Unpacker {
  private i = 0;
  private j = 0;
  private readonly builders: Build[];
  private readonly strings: string[];

  constructor(private readonly p: Packed) {
    this.builders = p.shapes.map(builderOf);
    this.strings = new Array(p.lengths.length);
    for (let k = 0, at = 0; k < p.lengths.length; at += p.lengths[k++]!) this.strings[k] = p.text.slice(at, at + p.lengths[k]!);
  }

  value(): unknown {
    const ints = this.p.ints;
    switch (ints[this.i++] as Tag) {
      case Tag.Null:
        return null;
      case Tag.Undefined:
        return undefined;
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      case Tag.Int:
        return ints[this.i++];
      case Tag.Float:
        return this.p.nums[this.j++];
      case Tag.String:
        return this.strings[ints[this.i++]!];
      case Tag.Array: {
        const a: unknown[] = new Array(ints[this.i++]!);
        for (let k = 0; k < a.length; k++) a[k] = this.value();
        return a;
      }
      case Tag.Object:
        return this.builders[ints[this.i++]!]!(this);
    }
    throw new Error(`corrupt packed data at ${this.i - 1}`);
  }
}

export function unpack(p: Packed): unknown {
  return new Unpacker(p).value();
}
