import { describe, expect, it } from 'vitest';
import { LayeredSearch, type Graph, type Scorer } from './hnsw-search.js';

/** A graph from neighbour lists: layer 0 and, for some nodes, layer 1. */
function graphOf(level0: number[][], level1: Map<number, number[]>, entry: number): Graph {
  const m0 = Math.max(...level0.map((l) => l.length));
  const m = Math.max(1, ...[...level1.values()].map((l) => l.length));
  const flat = new Uint32Array(level0.length * (m0 + 1));
  level0.forEach((links, n) => {
    flat[n * (m0 + 1)] = links.length;
    links.forEach((to, j) => (flat[n * (m0 + 1) + 1 + j] = to));
  });
  const upperStart = new Uint32Array(level0.length + 1);
  const upper: number[] = [];
  for (let n = 0; n < level0.length; n++) {
    upperStart[n] = upper.length;
    const links = level1.get(n);
    if (links) upper.push(links.length, ...links, ...new Array<number>(m - links.length).fill(0));
  }
  upperStart[level0.length] = upper.length;
  return { count: level0.length, level0: flat, m0, upperStart, upperLinks: Uint32Array.from(upper), m, entry, maxLevel: level1.size ? 1 : 0 };
}

/** Scores nodes by a fixed table, counting how many it was asked for. */
function scorerOf(table: number[], width: number): Scorer & { asked: number[] } {
  const ids = new Int32Array(width);
  const scores = new Int32Array(width);
  const asked: number[] = [];
  return {
    ids,
    scores,
    asked,
    score(n) {
      for (let j = 0; j < n; j++) {
        asked.push(ids[j]!);
        scores[j] = table[ids[j]!]!;
      }
    },
  };
}

describe('layered HNSW search', () => {
  // Ten nodes on a ring, each linked to its two neighbours; node 7 scores best.
  const ring = Array.from({ length: 10 }, (_, n) => [(n + 1) % 10, (n + 9) % 10]);
  const table = [0, 1, 2, 3, 4, 5, 6, 9, 7, 8].map((x) => x * 10);

  it('walks from the entry to the best nodes, best first', () => {
    const search = new LayeredSearch(graphOf(ring, new Map(), 0), scorerOf(table, 2));
    expect(search.search(3, 3).map((s) => s.node)).toEqual([7, 9, 8]);
    expect(search.search(3, 1)).toEqual([{ node: 7, score: 90 }]);
  });

  it('descends through the upper layer first, scoring each node at most once per search', () => {
    // Layer 1 links the entry (0) straight to node 6, next to the best.
    const scorer = scorerOf(table, 2);
    const search = new LayeredSearch(graphOf(ring, new Map([[0, [6]], [6, [0]]]), 0), scorer);
    expect(search.search(1, 1)[0]!.node).toBe(7);
    // Layer 0 starts from node 6: a greedy walk, not a tour of the ring.
    const layer0 = scorer.asked.slice(2);
    expect(new Set(layer0).size).toBe(layer0.length);
    expect(layer0).not.toContain(2);
    // A second search starts afresh (nothing is left marked as seen).
    scorer.asked.length = 0;
    expect(search.search(1, 1)[0]!.node).toBe(7);
    expect(scorer.asked.length).toBeGreaterThan(0);
  });

  it('with ef at least the node count, a connected graph yields the exact top k', () => {
    let seed = 3;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const n = 200;
    const level0 = Array.from({ length: n }, (_, i) => [...new Set([(i + 1) % n, (i + n - 1) % n, Math.floor(random() * n), Math.floor(random() * n)])].filter((j) => j !== i));
    const scores = Array.from({ length: n }, () => Math.floor(random() * 1e6));
    const search = new LayeredSearch(graphOf(level0, new Map(), 0), scorerOf(scores, 4));
    const exact = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, 10);
    expect(search.search(n, 10).map((s) => s.node)).toEqual(exact);
  });

  it('an empty graph finds nothing', () => {
    const empty: Graph = { count: 0, level0: new Uint32Array(0), m0: 1, upperStart: new Uint32Array(1), upperLinks: new Uint32Array(0), m: 1, entry: 0, maxLevel: 0 };
    expect(new LayeredSearch(empty, scorerOf([], 1)).search(10, 5)).toEqual([]);
  });
});
