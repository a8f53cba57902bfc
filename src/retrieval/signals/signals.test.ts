// Each retrieval signal on hand-made candidates: no model, no index.
import { describe, expect, it } from 'vitest';
import { rankUnits } from './candidate.js';
import { reciprocalRankFusion } from './fusion.js';
import { keywordMargin } from './keyword-margin.js';
import { preferNamedPlaces, type PlaceTags } from './place-preference.js';

const ids = (cs: Array<{ id: number }>) => cs.map((c) => c.id);

describe('reciprocal rank fusion', () => {
  it('adds weighted reciprocal ranks; a passage both rankings like wins', () => {
    const fused = reciprocalRankFusion(
      [
        { hits: [{ id: 1 }, { id: 2 }, { id: 3 }], weight: 1 },
        { hits: [{ id: 3 }, { id: 2 }], weight: 1 },
      ],
      60,
    );
    expect(ids(fused)).toEqual([3, 2, 1]);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61);
  });

  it('a zero weight leaves a ranking out; weights tilt the order', () => {
    expect(ids(reciprocalRankFusion([{ hits: [{ id: 1 }], weight: 0 }, { hits: [{ id: 2 }], weight: 1 }], 60))).toEqual([2]);
    const tilted = reciprocalRankFusion([{ hits: [{ id: 1 }, { id: 2 }], weight: 0.1 }, { hits: [{ id: 2 }, { id: 1 }], weight: 1 }], 60);
    expect(ids(tilted)).toEqual([2, 1]);
  });

  it('breaks ties by passage order', () => {
    expect(ids(reciprocalRankFusion([{ hits: [{ id: 5 }], weight: 1 }, { hits: [{ id: 4 }], weight: 1 }], 60))).toEqual([4, 5]);
  });
});

describe('keyword margin', () => {
  const fused = [
    { id: 1, score: 2 / 61 },
    { id: 2, score: 2 / 62 },
  ];
  it('keeps a far keyword leader ahead of a passage fusion ranked first', () => {
    const out = keywordMargin([...fused].reverse().map((c, i) => ({ ...c, score: fused[i]!.score })), [{ id: 1, score: 533 }, { id: 2, score: 30 }], 1, 60);
    expect(out[0]!.id).toBe(1);
    expect(out[0]!.score - 2 / 62).toBeCloseTo(rankUnits(1, 60));
  });

  it('changes nothing with weight 0 or without keyword hits', () => {
    expect(keywordMargin(fused, [{ id: 2, score: 9 }], 0, 60)).toBe(fused);
    expect(keywordMargin(fused, [], 1, 60)).toBe(fused);
  });
});

describe('place preference', () => {
  const tags: Record<number, PlaceTags> = {
    1: { own: [], inherited: [] },
    2: { own: ['河北'], inherited: [] },
    3: { own: [], inherited: ['河北'] },
    4: { own: ['河北', '山西', '北京', '天津', '上海'], inherited: [] },
  };
  const provinces = new Set(['河北', '山西', '北京', '天津', '上海']);
  const input = { named: new Set(['河北']), tagsOf: (id: number) => tags[id]!, breadth: (ps: readonly string[]) => ps.filter((p) => provinces.has(p)).length };
  const flat = [1, 2, 3, 4].map((id) => ({ id, score: 0.01 }));

  it('moves passages about the named place ahead: own, inherited, then broad lists', () => {
    const out = preferNamedPlaces(flat, input, { own: 1, inherited: 0.5 }, 60);
    expect(ids(out)).toEqual([2, 3, 4, 1]);
    // A passage naming five provinces gets a quarter of the bonus.
    expect(out.find((c) => c.id === 4)!.score - 0.01).toBeCloseTo(rankUnits(1, 60) / 4);
  });

  it('does nothing when the question names no place', () => {
    expect(preferNamedPlaces(flat, { ...input, named: new Set() }, { own: 1, inherited: 1 }, 60)).toBe(flat);
  });

  it('an inherited weight of 0 ignores report context', () => {
    const out = preferNamedPlaces(flat, input, { own: 1, inherited: 0 }, 60);
    expect(out.find((c) => c.id === 3)!.score).toBe(0.01);
  });
});

