import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { graphOfHnswlibFile } from './hnsw-file.js';
import { LayeredSearch } from './hnsw-search.js';
import { FILES } from './store.js';
import { readVectors, VectorIndex, writeVectorIndex } from './vectors.js';

function randomVectors(count: number, dims: number, seed: number): Float32Array[] {
  let s = seed;
  const random = () => (s = (s * 48271) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dims }, random);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const noCheck = () => {};

describe('the vector index (graph.bin + vectors.f16)', () => {
  it('finds the exact nearest neighbours of random vectors, with their cosine similarity', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vectors-'));
    // 20 dimensions: stored padded to 32 for the kernel.
    const vectors = randomVectors(600, 20, 11);
    await writeVectorIndex(dir, vectors.map((v) => v.map((x) => 3 * x)), 20);
    const index = await VectorIndex.load(dir, 100, noCheck);
    expect(index.count).toBe(600);
    expect(index.dims).toBe(20);
    let found = 0;
    const queries = randomVectors(30, 20, 99);
    for (const q of queries) {
      const exact = vectors.map((v, id) => ({ id, s: dot(q, v) })).sort((a, b) => b.s - a.s).slice(0, 10);
      const hits = index.search(q, 10);
      expect(hits).toHaveLength(10);
      const truth = new Set(exact.map((e) => e.id));
      found += hits.filter((h) => truth.has(h.id)).length;
      // Similarities are exact (from float16), not int8 approximations, and sorted.
      for (const h of hits) expect(h.similarity).toBeCloseTo(dot(q, vectors[h.id]!), 3);
      expect(hits.map((h) => h.similarity)).toEqual([...hits.map((h) => h.similarity)].sort((a, b) => b - a));
    }
    expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.98);
    // Past the re-scored best, hits follow in int8 order with int8 estimates of their similarity.
    const many = index.search(queries[0]!, 60);
    expect(many).toHaveLength(60);
    for (const h of many) expect(Math.abs(h.similarity - dot(queries[0]!, vectors[h.id]!))).toBeLessThan(0.05);
    // Asking for more than there are returns them all.
    expect(index.search(queries[0]!, 1000)).toHaveLength(600);
    // The float16 file gives back the (normalised) vectors.
    const back = readVectors(path.join(dir, FILES.vectors), 20);
    expect(back[5]![3]).toBeCloseTo(vectors[5]![3]!, 3);
    index.close();
    expect(() => index.search(queries[0]!, 1)).toThrow(/closed/);
  });

  it('refuses a graph file its check rejects, or one that is not a graph', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vectors-'));
    await writeVectorIndex(dir, randomVectors(50, 16, 5), 16);
    await expect(VectorIndex.load(dir, 50, () => { throw new Error('graph.bin does not match its checksum (corrupted)'); })).rejects.toThrow(/corrupted/);
    const bytes = await readFile(path.join(dir, FILES.graph));
    bytes.writeUInt32LE(0, 0);
    await writeFile(path.join(dir, FILES.graph), bytes);
    await expect(VectorIndex.load(dir, 50, noCheck)).rejects.toThrow(/not a graph file/);
  });

  it('an index of one vector answers with it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vectors-'));
    const [only] = randomVectors(1, 16, 8);
    await writeVectorIndex(dir, [only!], 16);
    const index = await VectorIndex.load(dir, 10, noCheck);
    expect(index.search(only!, 5)).toEqual([{ id: 0, similarity: expect.closeTo(1, 3) }]);
  });
});

describe("reading hnswlib's saved graph", () => {
  it('renumbers nodes by label: points added in shuffled order are found under their labels', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hnswlib-'));
    const vectors = randomVectors(300, 16, 21);
    const order = [...vectors.keys()].sort((a, b) => ((a * 7919) % 300) - ((b * 7919) % 300));
    const hnsw = new hnswlib.HierarchicalNSW('cosine', 16);
    hnsw.initIndex({ maxElements: 300, m: 8, efConstruction: 100, randomSeed: 3 });
    for (const label of order) hnsw.addPoint(Array.from(vectors[label]!), label);
    hnsw.writeIndexSync(path.join(dir, 'hnsw.bin'));
    const graph = graphOfHnswlibFile(path.join(dir, 'hnsw.bin'));
    expect(graph.count).toBe(300);
    expect(graph.m0).toBe(16);
    // Every link points at a node, and the graph is searchable under labels.
    for (let n = 0; n < 300; n++) {
      const links = graph.level0[n * (graph.m0 + 1)]!;
      expect(links).toBeGreaterThan(0);
      for (let j = 1; j <= links; j++) expect(graph.level0[n * (graph.m0 + 1) + j]).toBeLessThan(300);
    }
    const query = vectors[123]!;
    const ids = new Int32Array(16);
    const scores = new Int32Array(16);
    const search = new LayeredSearch(graph, { ids, scores, score: (n) => { for (let j = 0; j < n; j++) scores[j] = Math.round(1e6 * dot(query, vectors[ids[j]!]!)); } });
    expect(search.search(50, 1)[0]!.node).toBe(123);
  });
});
