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
  if: [0x04, 0x40],
  select: [0x1b],
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
  i32Sub: [0x6b],
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

/** Vectors scored side by side: their memory loads overlap, where one at a time would wait on each. */
const WAYS = 4;

/**
 * dots(base, stride, query, ids, count, out): for each of the `count` vector
 * numbers at `ids` (i32), the dot product of the int8 vector at
 * base + number × stride with the int8 query at `query` (both `stride` bytes
 * long), written as i32 to `out`. `stride` is a positive multiple of 16.
 */
function dotsBody(): number[] {
  const [base, stride, query, ids, count, out] = [0, 1, 2, 3, 4, 5];
  // i32 locals: i, j, last, then one vector address per way; v128 locals: qLow, qHigh, v, then one accumulator per way.
  const [i, j, last] = [6, 7, 8];
  const address = (w: number) => 9 + w;
  const [qLow, qHigh, v] = [9 + WAYS, 10 + WAYS, 11 + WAYS];
  const acc = (w: number) => 12 + WAYS + w;
  const slot = (local: number, k: number) => [...op.get(local), ...op.i32(k), ...op.i32Add];
  const code: number[] = [
    ...op.get(count), ...op.i32(1), ...op.i32Sub, ...op.set(last),
    ...op.i32(0), ...op.set(i),
    ...op.block,
    ...op.loop,
    ...op.get(i), ...op.get(count), ...op.i32GeU, ...op.brIf(1),
  ];
  for (let w = 0; w < WAYS; w++) {
    // address_w = base + ids[min(i + w, last)] * stride: past the end, the last vector again (its result is not stored).
    code.push(
      ...op.get(ids),
      ...slot(i, w), ...op.get(last), ...slot(i, w), ...op.get(last), ...op.i32LtU, ...op.select,
      ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load,
      ...op.get(stride), ...op.i32Mul, ...op.get(base), ...op.i32Add, ...op.set(address(w)),
      ...op.v128Zero, ...op.set(acc(w)),
    );
  }
  code.push(
    ...op.i32(0), ...op.set(j),
    ...op.loop,
    ...op.get(query), ...op.get(j), ...op.i32Add, ...op.v128Load, ...op.set(v),
    ...op.get(v), ...op.i16x8ExtendLowI8x16S, ...op.set(qLow),
    ...op.get(v), ...op.i16x8ExtendHighI8x16S, ...op.set(qHigh),
  );
  for (let w = 0; w < WAYS; w++) {
    code.push(
      ...op.get(address(w)), ...op.get(j), ...op.i32Add, ...op.v128Load, ...op.set(v),
      ...op.get(qLow), ...op.get(v), ...op.i16x8ExtendLowI8x16S, ...op.i32x4DotI16x8S,
      ...op.get(qHigh), ...op.get(v), ...op.i16x8ExtendHighI8x16S, ...op.i32x4DotI16x8S,
      ...op.i32x4Add, ...op.get(acc(w)), ...op.i32x4Add, ...op.set(acc(w)),
    );
  }
  code.push(
    ...op.get(j), ...op.i32(16), ...op.i32Add, ...op.set(j),
    ...op.get(j), ...op.get(stride), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
  );
  for (let w = 0; w < WAYS; w++) {
    // if (i + w < count) out[i + w] = sum of the accumulator's four lanes
    code.push(
      ...slot(i, w), ...op.get(count), ...op.i32LtU, ...op.if,
      ...op.get(out), ...slot(i, w), ...op.i32(2), ...op.i32Shl, ...op.i32Add,
      ...op.get(acc(w)), ...op.i32x4ExtractLane(0),
      ...op.get(acc(w)), ...op.i32x4ExtractLane(1), ...op.i32Add,
      ...op.get(acc(w)), ...op.i32x4ExtractLane(2), ...op.i32Add,
      ...op.get(acc(w)), ...op.i32x4ExtractLane(3), ...op.i32Add,
      ...op.i32Store,
      ...op.end,
    );
  }
  code.push(
    ...op.get(i), ...op.i32(WAYS), ...op.i32Add, ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
  );
  const locals = vec([
    [...uleb(3 + WAYS), I32],
    [...uleb(3 + WAYS), V128],
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
