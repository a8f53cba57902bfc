import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';

describe('Lru', () => {
  it('forgets the least recently used entries', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.size).toBe(2);
  });

  it('keeps nothing with capacity 0 and refuses a negative one', () => {
    const off = new Lru<string, number>(0);
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
    expect(() => new Lru(-1)).toThrow(RangeError);
  });
});
