// The vector half of the index: an hnswlib HNSW graph over passage vectors
// (cosine), labels = passage ids.
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

/** Graph parameters, chosen by measured recall@10 against exact search (npm run bench). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;

export function buildVectorIndex(vectors: Float32Array[], dims: number): VectorIndex {
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
  vectors.forEach((v, id) => index.addPoint(Array.from(v), id));
  return index;
}

export function loadVectorIndex(file: string, dims: number, ef: number): VectorIndex {
  const index = new HierarchicalNSW('cosine', dims);
  index.readIndexSync(file);
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

/** Raw passage vectors, n × dims float32, kept so re-indexing can reuse unchanged passages' embeddings. */
export function packVectors(vectors: Float32Array[], dims: number): Buffer {
  const out = Buffer.alloc(vectors.length * dims * 4);
  const view = new Float32Array(out.buffer, out.byteOffset, vectors.length * dims);
  vectors.forEach((v, i) => view.set(v, i * dims));
  return out;
}

export function unpackVectors(bytes: Buffer, dims: number): Float32Array[] {
  const count = bytes.length / (dims * 4);
  if (!Number.isInteger(count)) throw new Error(`vector file size ${bytes.length} is not a multiple of ${dims * 4}`);
  const copy = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return Array.from({ length: count }, (_, i) => copy.subarray(i * dims, (i + 1) * dims));
}
