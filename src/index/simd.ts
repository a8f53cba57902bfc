// A WebAssembly kernel for the vector search's one hot loop: dot products of
// int8 vectors, 16 lanes at a time (WebAssembly SIMD, in Node since 16.4).
// The module is assembled here from named instructions rather than shipped as
// an opaque binary, so what it does can be read and reviewed.

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128, as the binary format writes sizes, indices and offsets. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A section or a vector: its byte length (or entry count) first. */
const sized = (bytes: number[]) => [...uleb(bytes.length), ...bytes];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => sized([...Buffer.from(s, 'utf8')]);
const section = (id: number, bytes: number[]) => [id, ...sized(bytes)];

// Instructions used below (core and SIMD opcodes of the WebAssembly spec).
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  i32: (n: number) => [0x41, ...uleb(n)], // 0..63 only: i32.const takes signed LEB128, equal to unsigned there
  i32Load: [0x28, 0x02, 0x00],
  i32Store: [0x36, 0x02, 0x00],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  v128Load: [0xfd, 0x00, 0x00, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  i16x8ExtendLowI8x16S: [0xfd, ...uleb(135)],
  i16x8ExtendHighI8x16S: [0xfd, ...uleb(136)],
  i32x4DotI16x8S: [0xfd, ...uleb(186)],
  i32x4Add: [0xfd, ...uleb(174)],
  i32x4ExtractLane: (lane: number) => [0xfd, ...uleb(27), lane],
};

/**
 * dots(base, stride, query, ids, count, out): for each of the `count` vector
 * numbers at `ids` (i32), the dot product of the int8 vector at
 * base + number × stride with the int8 query at `query` (both `stride` bytes
 * long), written as i32 to `out`. `stride` is a positive multiple of 16.
 */
function dotsBody(): number[] {
  const [base, stride, query, ids, count, out] = [0, 1, 2, 3, 4, 5];
  const [i, vector, j, acc, q, v] = [6, 7, 8, 9, 10, 11];
  const lanes = (half: number[]) => [
    ...op.get(q), ...half, ...op.get(v), ...half, ...op.i32x4DotI16x8S,
    ...op.get(acc), ...op.i32x4Add, ...op.set(acc),
  ];
  const code = [
    ...op.i32(0), ...op.set(i),
    ...op.block,
    ...op.loop,
    ...op.get(i), ...op.get(count), ...op.i32GeU, ...op.brIf(1),
    // vector = base + ids[i] * stride
    ...op.get(ids), ...op.get(i), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load,
    ...op.get(stride), ...op.i32Mul, ...op.get(base), ...op.i32Add, ...op.set(vector),
    ...op.v128Zero, ...op.set(acc),
    ...op.i32(0), ...op.set(j),
    ...op.loop,
    ...op.get(query), ...op.get(j), ...op.i32Add, ...op.v128Load, ...op.set(q),
    ...op.get(vector), ...op.get(j), ...op.i32Add, ...op.v128Load, ...op.set(v),
    ...lanes(op.i16x8ExtendLowI8x16S),
    ...lanes(op.i16x8ExtendHighI8x16S),
    ...op.get(j), ...op.i32(16), ...op.i32Add, ...op.set(j),
    ...op.get(j), ...op.get(stride), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    // out[i] = sum of acc's four lanes
    ...op.get(out), ...op.get(i), ...op.i32(2), ...op.i32Shl, ...op.i32Add,
    ...op.get(acc), ...op.i32x4ExtractLane(0),
    ...op.get(acc), ...op.i32x4ExtractLane(1), ...op.i32Add,
    ...op.get(acc), ...op.i32x4ExtractLane(2), ...op.i32Add,
    ...op.get(acc), ...op.i32x4ExtractLane(3), ...op.i32Add,
    ...op.i32Store,
    ...op.get(i), ...op.i32(1), ...op.i32Add, ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  const locals = vec([
    [...uleb(3), I32],
    [...uleb(3), V128],
  ]);
  return sized([...locals, ...code]);
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]]));
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]));
  const functions = section(3, vec([uleb(0)]));
  const exports = section(7, vec([[...name('dots'), 0x00, 0x00]]));
  const code = section(10, vec([dotsBody()]));
  return new Uint8Array([...magic, ...types, ...imports, ...functions, ...exports, ...code]);
}

export type Dots = (base: number, stride: number, query: number, ids: number, count: number, out: number) => void;

let compiled: WebAssembly.Module | null = null;

/** The kernel bound to `memory`, where the caller lays out vectors, query, ids and results. */
export function dotsOver(memory: WebAssembly.Memory): Dots {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.dots as Dots;
}
