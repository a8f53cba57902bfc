import { describe, expect, it } from 'vitest';
import { fromHalves, halfOf, toHalves } from './half.js';

describe('float16', () => {
  it('encodes known values bit for bit', () => {
    expect(halfOf(0)).toBe(0x0000);
    expect(halfOf(-0)).toBe(0x8000);
    expect(halfOf(1)).toBe(0x3c00);
    expect(halfOf(-2)).toBe(0xc000);
    expect(halfOf(0.5)).toBe(0x3800);
    expect(halfOf(65504)).toBe(0x7bff); // largest finite
    expect(halfOf(1e6)).toBe(0x7c00); // overflow
    expect(halfOf(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(halfOf(2 ** -26)).toBe(0x0000); // rounds to zero
    expect(halfOf(Number.NaN) & 0x7c00).toBe(0x7c00);
  });

  it('rounds half to even', () => {
    // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to the even mantissa.
    expect(halfOf(1 + 2 ** -11)).toBe(0x3c00);
    expect(halfOf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(halfOf(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
  });

  it('round-trips embedding-sized values within half precision', () => {
    const v = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.7) * 0.2);
    const back = fromHalves(toHalves(v));
    for (let i = 0; i < v.length; i++) {
      expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(Math.max(Math.abs(v[i]!) * 2 ** -11, 2 ** -25));
    }
    // Every finite half decodes to a value that encodes back to itself.
    for (let h = 0; h < 0x7c00; h += 7) expect(halfOf(fromHalves(Uint16Array.of(h))[0]!)).toBe(h);
  });
});
