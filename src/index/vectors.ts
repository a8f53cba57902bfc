// The vector half of the index: an hnswlib HNSW graph over passage vectors
// (cosine), labels = passage ids.
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

/** Graph parameters, chosen by measured recall@10 against exact search (npm run bench). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;

/** `onProgress(done)` is called at 0, about every 1 % and at the end. */
export function buildVectorIndex(vectors: Float32Array[], dims: number, onProgress?: (done: number) => void): VectorIndex {
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
  const step = Math.max(1000, Math.ceil(vectors.length / 100));
  onProgress?.(0);
  vectors.forEach((v, id) => {
    index.addPoint(Array.from(v), id);
    if ((id + 1) % step === 0) onProgress?.(id + 1);
  });
  if (vectors.length % step !== 0) onProgress?.(vectors.length);
  return index;
}

/** Reads the graph on libuv's thread pool: a large index loads while the caller's thread parses the rest. */
export async function loadVectorIndex(file: string, dims: number, ef: number): Promise<VectorIndex> {
  const index = new HierarchicalNSW('cosine', dims);
  await index.readIndex(file);
  // hnswlib resets ef to 10 on load, which loses recall: set it every time.
  index.setEf(ef);
  return index;
}

export interface VectorHit {
  id: number;
  similarity: number;
}

export function searchVectors(index: VectorIndex, query: Float32Array, k: number): VectorHit[] {
  const n = Math.min(k, index.getCurrentCount());
  if (n === 0) return [];
  const { neighbors, distances } = index.searchKnn(Array.from(query), n);
  return neighbors.map((id, i) => ({ id, similarity: 1 - distances[i]! }));
}

/**
 * The vectors stored in an HNSW file, by label (= passage id): re-indexing reuses
 * unchanged passages' embeddings from here, so each vector is stored once. hnswlib
 * keeps cosine vectors normalised, as the model's embeddings already are.
 */
export function readVectors(file: string, dims: number): Float32Array[] {
  const index = new HierarchicalNSW('cosine', dims);
  index.readIndexSync(file);
  const count = index.getCurrentCount();
  return Array.from({ length: count }, (_, id) => Float32Array.from(index.getPoint(id)));
}
