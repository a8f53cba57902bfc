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
  /** Best first: what to expand next. */
  private readonly candidates = new Heap(true);
  /** Worst first: the ef best so far. */
  private readonly found = new Heap(false);

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
    const { candidates, found } = this;
    candidates.clear();
    found.clear();
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
    return found.drainBest(k);
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

/**
 * A binary heap of (node, score) over typed arrays that grow as needed and are
 * kept between searches: highest score on top when `max`, lowest otherwise.
 */
class Heap {
  private nodes = new Int32Array(1024);
  private scores = new Int32Array(1024);
  size = 0;

  constructor(private readonly max: boolean) {}

  get topNode(): number {
    return this.nodes[0]!;
  }
  get topScore(): number {
    return this.scores[0]!;
  }

  clear(): void {
    this.size = 0;
  }

  push(node: number, score: number): void {
    if (this.size === this.scores.length) this.grow();
    const { nodes, scores, max } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = scores[parent]!;
      if (max ? score <= above : score >= above) break;
      nodes[i] = nodes[parent]!;
      scores[i] = above;
      i = parent;
    }
    nodes[i] = node;
    scores[i] = score;
  }

  pop(): void {
    const { nodes, scores, max } = this;
    const n = --this.size;
    if (n === 0) return;
    const node = nodes[n]!;
    const score = scores[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (max ? scores[child + 1]! > scores[child]! : scores[child + 1]! < scores[child]!)) child++;
      if (max ? scores[child]! <= score : scores[child]! >= score) break;
      nodes[i] = nodes[child]!;
      scores[i] = scores[child]!;
      i = child;
    }
    nodes[i] = node;
    scores[i] = score;
  }

  /**
   * The k highest-scoring entries, best first; empties the heap. For a
   * lowest-on-top heap: the others are popped first (cheaper than sorting all ef).
   */
  drainBest(k: number): Scored[] {
    if (!this.max) while (this.size > k) this.pop();
    const out: Scored[] = [];
    for (let i = 0; i < this.size; i++) out.push({ node: this.nodes[i]!, score: this.scores[i]! });
    this.size = 0;
    return out.sort((a, b) => b.score - a.score || a.node - b.node).slice(0, k);
  }

  private grow(): void {
    const nodes = new Int32Array(2 * this.nodes.length);
    const scores = new Int32Array(2 * this.scores.length);
    nodes.set(this.nodes);
    scores.set(this.scores);
    this.nodes = nodes;
    this.scores = scores;
  }
}
