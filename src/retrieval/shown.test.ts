import { describe, expect, it } from 'vitest';
import { shownCount } from './shown.js';

describe('how many quotes a reply lists', () => {
  it('stops where relevance drops well below the first', () => {
    expect(shownCount([1, 0.9, 0.3, 0.29, 0.2])).toBe(2);
    expect(shownCount([1, 0.2, 0.19])).toBe(1);
  });

  it('lists up to five while relevance holds', () => {
    expect(shownCount([1, 0.99, 0.98, 0.97, 0.96, 0.95, 0.94])).toBe(5);
  });

  it('drops trailing passages about other places', () => {
    expect(shownCount([1, 0.9, 0.8, 0.7], [true, true, false, false])).toBe(2);
    // A passage about elsewhere between two about the subject stays: the order is the ranking's.
    expect(shownCount([1, 0.9, 0.8], [true, false, true])).toBe(3);
  });

  it('always lists the first hit, and nothing when there is none', () => {
    expect(shownCount([1, 0.9], [false, false])).toBe(1);
    expect(shownCount([])).toBe(0);
  });
});
