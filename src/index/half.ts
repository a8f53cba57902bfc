// IEEE 754 half precision (float16) for vectors kept on disk: half the bytes of
// float32, and still far finer than the model's own precision (its weights are
// 8-bit). Node 20 has no Float16Array, so the conversion is done here.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bits nearest to `value` (round half to even; overflow becomes infinity). */
export function halfOf(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal (or zero) in half precision.
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent.
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

let table: Float32Array | null = null;

/** The value of every float16 bit pattern (256 KB, made on first use). */
export function halfValues(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    table[h] =
      exponent === 0 ? sign * mantissa * 2 ** -24
      : exponent === 0x1f ? (mantissa ? NaN : sign * Infinity)
      : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}

export function toHalves(vector: Float32Array, out = new Uint16Array(vector.length)): Uint16Array {
  for (let i = 0; i < vector.length; i++) out[i] = halfOf(vector[i]!);
  return out;
}

export function fromHalves<T extends Float32Array>(halves: Uint16Array, out: T = new Float32Array(halves.length) as T): T {
  const v = halfValues();
  for (let i = 0; i < halves.length; i++) out[i] = v[halves[i]!]!;
  return out;
}
