import { describe, expect, it } from 'vitest';
import { dotsOver } from './simd.js';

describe('int8 dot-product kernel', () => {
  it('matches plain arithmetic for several strides, offsets and extreme values', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const dots = dotsOver(memory);
    const bytes = new Int8Array(memory.buffer);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % 255 - 127;
    for (const stride of [16, 32, 48, 512]) {
      const base = 64;
      const vectors = 40;
      for (let i = 0; i < vectors * stride; i++) bytes[base + i] = random();
      // Extremes: a vector of all -127 and one of all 127.
      bytes.fill(-127, base, base + stride);
      bytes.fill(127, base + stride, base + 2 * stride);
      const query = base + vectors * stride + 16;
      for (let d = 0; d < stride; d++) bytes[query + d] = d % 3 === 0 ? -127 : random();
      const idsAt = query + stride;
      const outAt = idsAt + 4 * vectors;
      const ids = new Int32Array(memory.buffer, idsAt, vectors);
      const out = new Int32Array(memory.buffer, outAt, vectors);
      ids.set(Array.from({ length: vectors }, (_, i) => (i * 17) % vectors));
      dots(base, stride, query, idsAt, vectors, outAt);
      for (let i = 0; i < vectors; i++) {
        let expected = 0;
        for (let d = 0; d < stride; d++) expected += bytes[query + d]! * bytes[base + ids[i]! * stride + d]!;
        expect(out[i], `stride ${stride}, vector ${ids[i]}`).toBe(expected);
      }
    }
  });

  it('scores any count of vectors, writing exactly that many results', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const dots = dotsOver(memory);
    const bytes = new Int8Array(memory.buffer);
    for (let i = 0; i < 16 * 10; i++) bytes[i] = (i % 13) - 6;
    const query = 4096;
    bytes.fill(1, query, query + 16);
    const idsAt = 8192;
    const outAt = 9000;
    const ids = new Int32Array(memory.buffer, idsAt, 10);
    const out = new Int32Array(memory.buffer, outAt, 12);
    for (let count = 1; count <= 9; count++) {
      ids.set(Array.from({ length: 10 }, (_, i) => 9 - i));
      out.fill(-999);
      dots(0, 16, query, idsAt, count, outAt);
      for (let i = 0; i < 12; i++) {
        let sum = 0;
        for (let d = 0; d < 16; d++) sum += bytes[ids[i]! * 16 + d]!;
        expect(out[i], `count ${count}, result ${i}`).toBe(i < count ? sum : -999);
      }
    }
  });

  it('scores nothing when asked for no vectors', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const out = new Int32Array(memory.buffer, 1024, 1);
    out[0] = 42;
    dotsOver(memory)(0, 16, 0, 512, 0, 1024);
    expect(out[0]).toBe(42);
  });
});
