// A binary container for columnar data (the paragraph store): long arrays of
// whole numbers become 32-bit columns, long arrays of strings one UTF-16 text
// with their lengths, arrays of number lists a flat column plus counts;
// everything else stays JSON. Loading then parses one small JSON header, views
// the columns in place and turns all strings into one JS string at memcpy
// speed (each string is a slice of it), instead of parsing JSON. UTF-16, not
// UTF-8: Chinese takes 2 bytes a character instead of 3, and decoding UTF-8
// was the slowest step of loading (~10x slower than UTF-16 at 100k passages).
// Generic over the shape, so the store's fields can change freely.

/** Arrays shorter than this stay in the JSON header: not worth a column. */
const MIN_COLUMN = 16;
const MAGIC = 'COLS2';

type Column =
  | { $: 'u32'; section: number }
  | { $: 'str'; lengths: number; text: number }
  | { $: 'u32s'; counts: number; values: number };

interface Section {
  type: 'u32' | 'i32' | 'u8';
  length: number;
}

export function encodeColumns(value: unknown): Buffer {
  const sections: Array<Uint32Array | Int32Array | Uint8Array> = [];
  const add = (array: Uint32Array | Int32Array | Uint8Array) => sections.push(array) - 1;
  const tree = encodeValue(value, add);
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, tree, sections: sections.map((s): Section => ({ type: s instanceof Uint32Array ? 'u32' : s instanceof Int32Array ? 'i32' : 'u8', length: s.length })) }));
  const parts: Buffer[] = [];
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(header.length);
  parts.push(prefix, header);
  let at = 4 + header.length;
  for (const s of sections) {
    const pad = (4 - (at % 4)) % 4;
    parts.push(Buffer.alloc(pad));
    parts.push(Buffer.from(s.buffer, s.byteOffset, s.byteLength));
    at += pad + s.byteLength;
  }
  return Buffer.concat(parts);
}

/**
 * A string column left in the file's bytes: each string is decoded when asked
 * for, so loading creates no string at all (at 100k passages, decoding every
 * text up front took longer than the rest of the store, and the decoded copy
 * doubled its memory).
 */
export class StringColumn {
  /** Start of string i in UTF-16 units; starts[i + 1] is its end. */
  private readonly starts: Float64Array;

  constructor(
    private readonly lengths: Int32Array,
    private readonly text: Buffer,
  ) {
    this.starts = new Float64Array(lengths.length + 1);
    for (let i = 0; i < lengths.length; i++) this.starts[i + 1] = this.starts[i]! + Math.max(0, lengths[i]!);
    if (this.starts[lengths.length]! * 2 !== text.length) throw new Error('string column does not match its lengths');
  }

  get length(): number {
    return this.lengths.length;
  }

  get(i: number): string | null {
    if (!(this.lengths[i]! >= 0)) return null;
    return this.text.toString('utf16le', this.starts[i]! * 2, this.starts[i + 1]! * 2);
  }
}

/**
 * A column of number lists left in the file's bytes: at 100k paragraphs,
 * building every list up front was most of the store's load time (arrays to
 * make, then to collect), while their distinct contents are few.
 */
export class ListColumn {
  private readonly starts: Uint32Array;

  constructor(
    counts: Uint32Array,
    private readonly values: Uint32Array,
  ) {
    this.starts = new Uint32Array(counts.length + 1);
    for (let i = 0; i < counts.length; i++) this.starts[i + 1] = this.starts[i]! + counts[i]!;
    if (this.starts[counts.length] !== values.length) throw new Error('list column does not match its counts');
  }

  get length(): number {
    return this.starts.length - 1;
  }

  get(i: number): number[] {
    return Array.from(this.values.subarray(this.starts[i]!, this.starts[i + 1]!));
  }

  /** The same string for lists of the same numbers, without building the list. */
  key(i: number): string {
    const from = this.starts[i]!;
    const to = this.starts[i + 1]!;
    if (from === to) return '';
    let key = String(this.values[from]);
    for (let j = from + 1; j < to; j++) key += ',' + this.values[j];
    return key;
  }
}

export interface DecodeOptions {
  /**
   * Give number columns as Uint32Array views of the file's bytes, and string and
   * number-list columns as StringColumn / ListColumn (read on access), instead of arrays. Default false.
   */
  lazy?: boolean;
}

export function decodeColumns<T>(bytes: Buffer, options: DecodeOptions = {}): T {
  if (bytes.length < 4) throw new Error('column file is too short');
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) throw new Error('column file header is cut off');
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { magic: string; tree: unknown; sections: Section[] };
  if (header.magic !== MAGIC) throw new Error('not a column file');
  let at = 4 + headerLength;
  const sections = header.sections.map(({ type, length }) => {
    at += (4 - (at % 4)) % 4;
    const size = type === 'u8' ? length : length * 4;
    if (at + size > bytes.length) throw new Error('column file is cut off');
    const slice = bytes.subarray(at, at + size);
    at += size;
    if (type === 'u8') return slice;
    // Aligned views of the file's own memory when possible (large reads are aligned), else one copy.
    const aligned = slice.byteOffset % 4 === 0 ? slice : Buffer.from(slice);
    return type === 'u32' ? new Uint32Array(aligned.buffer, aligned.byteOffset, length) : new Int32Array(aligned.buffer, aligned.byteOffset, length);
  });
  if (at !== bytes.length) throw new Error('column file has the wrong size');
  return decodeValue(header.tree, sections, options.lazy ?? false) as T;
}

function encodeValue(value: unknown, add: (a: Uint32Array | Int32Array | Uint8Array) => number): unknown {
  if (Array.isArray(value)) {
    if (value.length >= MIN_COLUMN) {
      if (value.every(isU32)) return { $: 'u32', section: add(Uint32Array.from(value as number[])) } satisfies Column;
      if (value.every((v) => typeof v === 'string' || v === null)) {
        // Lengths in UTF-16 units (-1 for null), so decoding slices one decoded string.
        const lengths = Int32Array.from(value as Array<string | null>, (v) => (v === null ? -1 : v.length));
        const text = Buffer.from((value as Array<string | null>).filter((v) => v !== null).join(''), 'utf16le');
        return { $: 'str', lengths: add(lengths), text: add(new Uint8Array(text.buffer, text.byteOffset, text.length)) } satisfies Column;
      }
      if (value.every((v) => Array.isArray(v) && v.every(isU32))) {
        const lists = value as number[][];
        return { $: 'u32s', counts: add(Uint32Array.from(lists, (l) => l.length)), values: add(Uint32Array.from(lists.flat())) } satisfies Column;
      }
    }
    return value.map((v) => encodeValue(v, add));
  }
  if (value && typeof value === 'object') {
    // A plain object that happens to look like a column marker would be misread: refuse it.
    if ('$' in value) throw new Error('encodeColumns: objects with a "$" key are reserved');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, add)]));
  }
  return value;
}

function decodeValue(node: unknown, sections: Array<Uint32Array | Int32Array | Buffer>, lazy: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => decodeValue(n, sections, lazy));
  if (!node || typeof node !== 'object') return node;
  const column = node as Partial<Column> & Record<string, unknown>;
  // Lazy: the column itself (indexable, read-only use); else an array.
  if (column.$ === 'u32') return lazy ? section(sections, column.section, Uint32Array) : Array.from(section(sections, column.section, Uint32Array));
  if (column.$ === 'str' && lazy) return new StringColumn(section(sections, column.lengths, Int32Array), section(sections, column.text, Buffer));
  if (column.$ === 'str') {
    const lengths = section(sections, column.lengths, Int32Array);
    const text = section(sections, column.text, Buffer).toString('utf16le');
    const out = new Array<string | null>(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      const n = lengths[i]!;
      if (n < 0) out[i] = null;
      else {
        out[i] = text.slice(at, at + n);
        at += n;
      }
    }
    if (at !== text.length) throw new Error('string column does not match its lengths');
    return out;
  }
  if (column.$ === 'u32s' && lazy) return new ListColumn(section(sections, column.counts, Uint32Array), section(sections, column.values, Uint32Array));
  if (column.$ === 'u32s') {
    const counts = section(sections, column.counts, Uint32Array);
    const values = section(sections, column.values, Uint32Array);
    const out = new Array<number[]>(counts.length);
    let at = 0;
    for (let i = 0; i < counts.length; i++) {
      out[i] = Array.from(values.subarray(at, at + counts[i]!));
      at += counts[i]!;
    }
    if (at !== values.length) throw new Error('list column does not match its counts');
    return out;
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, decodeValue(v, sections, lazy)]));
}

function section<T extends Uint32Array | Int32Array | Buffer>(sections: Array<Uint32Array | Int32Array | Buffer>, index: unknown, type: { prototype: T }): T {
  const s = typeof index === 'number' ? sections[index] : undefined;
  if (!s || !(s instanceof (type as unknown as new (...a: never[]) => T))) throw new Error('column file refers to a missing section');
  return s as T;
}

function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
