// Search in a hierarchical navigable small-world graph (Malkov & Yashunin):
// greedy descent through the sparse upper layers, then a best-first search of
// width `ef` in layer 0. The graph itself is built by hnswlib at index time;
// searching it here lets the vectors live in a compact form (int8, scored by
// the kernel in simd.ts) instead of hnswlib's float32 copy.

/** A graph's links, with node numbers equal to passage ids. */
export interface Graph {
  count: number;
  /** Layer-0 links: node n's neighbour count at n × (m0 + 1), its neighbours after it. */
  level0: Uint32Array;
  m0: number;
  /** Node n's upper layers are upperLinks[upperStart[n] .. upperStart[n + 1]), one block of (m + 1) per layer from layer 1 up. */
  upperStart: Uint32Array;
  upperLinks: Uint32Array;
  m: number;
  entry: number;
  maxLevel: number;
}

/**
 * How a search scores nodes: the caller fills `ids[0..n)` and calls
 * `score(n)`, which writes each node's similarity to the query (higher is
 * nearer) to `scores[0..n)`. Both arrays hold at least max(m0, m) entries.
 */
export interface Scorer {
  ids: Int32Array;
  scores: Int32Array;
  score(n: number): void;
}

export interface Scored {
  node: number;
  score: number;
}

/**
 * A reusable searcher over one graph. Not re-entrant: a search runs to its end
 * synchronously, so one per index is enough.
 */
export class LayeredSearch {
  private readonly seen: Uint32Array;
  private epoch = 0;

  constructor(
    private readonly graph: Graph,
    private readonly scorer: Scorer,
  ) {
    this.seen = new Uint32Array(graph.count);
  }

  /** The `k` best nodes found with a layer-0 search of width `ef` (≥ k), best first. */
  search(ef: number, k: number): Scored[] {
    const { graph, scorer } = this;
    if (graph.count === 0 || k <= 0) return [];
    const { ids, scores } = scorer;
    ef = Math.max(ef, k);

    ids[0] = graph.entry;
    scorer.score(1);
    let current = graph.entry;
    let best = scores[0]!;
    for (let level = graph.maxLevel; level > 0; level--) {
      // Greedy: move to the best neighbour on this layer until none is better.
      for (let moved = true; moved; ) {
        moved = false;
        const start = graph.upperStart[current]! + (level - 1) * (graph.m + 1);
        if (start >= graph.upperStart[current + 1]!) break;
        const n = graph.upperLinks[start]!;
        for (let j = 0; j < n; j++) ids[j] = graph.upperLinks[start + 1 + j]!;
        scorer.score(n);
        for (let j = 0; j < n; j++) {
          if (scores[j]! > best) {
            best = scores[j]!;
            current = ids[j]!;
            moved = true;
          }
        }
      }
    }

    const epoch = this.nextEpoch();
    const seen = this.seen;
    const candidates = new Heap(true); // best first: what to expand next
    const found = new Heap(false); // worst first: the ef best so far
    seen[current] = epoch;
    candidates.push(current, best);
    found.push(current, best);
    const stride = graph.m0 + 1;
    while (candidates.size > 0) {
      if (found.size >= ef && candidates.topScore < found.topScore) break;
      const node = candidates.topNode;
      candidates.pop();
      const base = node * stride;
      const links = graph.level0[base]!;
      let n = 0;
      for (let j = 1; j <= links; j++) {
        const next = graph.level0[base + j]!;
        if (seen[next] !== epoch) {
          seen[next] = epoch;
          ids[n++] = next;
        }
      }
      if (n === 0) continue;
      scorer.score(n);
      for (let j = 0; j < n; j++) {
        const score = scores[j]!;
        if (found.size < ef || score > found.topScore) {
          candidates.push(ids[j]!, score);
          found.push(ids[j]!, score);
          if (found.size > ef) found.pop();
        }
      }
    }
    return found.drain().slice(0, k);
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

/** A binary heap of (node, score): highest score on top when `max`, lowest otherwise. */
class Heap {
  private nodes: number[] = [];
  private scores: number[] = [];

  constructor(private readonly max: boolean) {}

  get size(): number {
    return this.scores.length;
  }
  get topNode(): number {
    return this.nodes[0]!;
  }
  get topScore(): number {
    return this.scores[0]!;
  }

  /** Whether a belongs above b. */
  private above(a: number, b: number): boolean {
    return this.max ? a > b : a < b;
  }

  push(node: number, score: number): void {
    const { nodes, scores } = this;
    let i = scores.length;
    nodes.push(node);
    scores.push(score);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(score, scores[parent]!)) break;
      nodes[i] = nodes[parent]!;
      scores[i] = scores[parent]!;
      i = parent;
    }
    nodes[i] = node;
    scores[i] = score;
  }

  pop(): void {
    const { nodes, scores } = this;
    const node = nodes.pop()!;
    const score = scores.pop()!;
    const n = scores.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.above(scores[child + 1]!, scores[child]!)) child++;
      if (!this.above(scores[child]!, score)) break;
      nodes[i] = nodes[child]!;
      scores[i] = scores[child]!;
      i = child;
    }
    nodes[i] = node;
    scores[i] = score;
  }

  /** Everything, best (highest score) first; empties the heap. */
  drain(): Scored[] {
    const out = this.nodes.map((node, i) => ({ node, score: this.scores[i]! }));
    this.nodes = [];
    this.scores = [];
    return out.sort((a, b) => b.score - a.score || a.node - b.node);
  }
}
