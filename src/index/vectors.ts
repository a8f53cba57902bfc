// The vector half of the index: an HNSW graph over passage vectors (cosine),
// node n = passage n.
//
// hnswlib builds the graph; what is stored and searched is ours:
// - graph.bin: the links and each vector quantized to int8 (a quarter of
//   float32), read whole into WebAssembly memory and searched there, the
//   int8 dot products computed 16 lanes at a time (simd.ts);
// - vectors.f16: each vector in half precision, read (by position, not
//   loaded) for the few best candidates of a search, which are re-scored
//   exactly; re-indexing reuses unchanged passages' vectors from it.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { fromHalves, halfValues, toHalves } from './half.js';
import { HeldFile } from './held-file.js';
import { graphOfHnswlibFile } from './hnsw-file.js';
import { LayeredSearch, type Graph, type Scorer } from './hnsw-search.js';
import { dotsOver, type Dots } from './simd.js';
import { FILES } from './store.js';

const { HierarchicalNSW } = hnswlib;

/** Graph parameters, chosen by measured recall@10 against exact search (npm run bench). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;
/**
 * How many of the int8 search's best are re-scored from the float16 vectors: int8 scores blur
 * near-ties that the exact scores separate. Asked for more, the rest follow in int8 order
 * (each re-score is a read from the file).
 */
export const RESCORED = 24;

const MAGIC = 0x47565152; // "RQVG" little-endian
const HEADER_BYTES = 64;
const align16 = (n: number) => Math.ceil(n / 16) * 16;

export interface VectorHit {
  id: number;
  similarity: number;
}

/** The vector scaled to length 1: itself when it already is (the model's are), so a large build holds no second copy. */
function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
  return vector.map((x) => x / norm);
}

/** Where each part of graph.bin starts, from its header's figures. */
function layout(count: number, stride: number, m0: number) {
  const vectors = HEADER_BYTES;
  const level0 = align16(vectors + count * stride);
  const upperStart = level0 + count * (m0 + 1) * 4;
  const upperLinks = upperStart + (count + 1) * 4;
  return { vectors, level0, upperStart, upperLinks };
}

/**
 * Builds the graph of `vectors` (passage i = vectors[i]) and writes graph.bin
 * and vectors.f16 into `dir`. `onProgress(done)` is called at 0, about every
 * 1 % of the graph and at the end.
 */
export async function writeVectorIndex(dir: string, vectors: Float32Array[], dims: number, onProgress?: (done: number) => void): Promise<void> {
  const units = vectors.map(normalized);
  const count = units.length;
  const hnsw = new HierarchicalNSW('cosine', dims);
  hnsw.initIndex({ maxElements: Math.max(1, count), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
  const step = Math.max(1000, Math.ceil(count / 100));
  onProgress?.(0);
  units.forEach((v, id) => {
    hnsw.addPoint(Array.from(v), id);
    if ((id + 1) % step === 0) onProgress?.(id + 1);
  });
  if (count % step !== 0) onProgress?.(count);
  // hnswlib's own file is read back for its links only, then removed.
  const saved = path.join(dir, 'graph.hnswlib.tmp');
  hnsw.writeIndexSync(saved);
  let graph: Graph;
  try {
    graph = graphOfHnswlibFile(saved);
  } finally {
    await rm(saved, { force: true });
  }
  if (graph.count !== count) throw new Error(`hnswlib saved ${graph.count} nodes of ${count}`);

  const stride = align16(dims);
  let largest = 0;
  for (const v of units) for (const x of v) largest = Math.max(largest, Math.abs(x));
  const scale = largest > 0 ? 127 / largest : 1;
  const at = layout(count, stride, graph.m0);
  const header = Buffer.alloc(HEADER_BYTES);
  [MAGIC, 1, dims, stride, count, graph.m0, graph.m, graph.maxLevel, graph.entry, graph.upperLinks.length].forEach((n, i) => header.writeUInt32LE(n, 4 * i));
  header.writeDoubleLE(scale, 40);
  const handle = await open(path.join(dir, FILES.graph), 'w');
  try {
    await handle.write(header);
    // The int8 vectors, in slices of 4 MB or so.
    const perSlice = Math.max(1, Math.floor((4 << 20) / stride));
    for (let first = 0; first < count; first += perSlice) {
      const slice = new Int8Array(Math.min(perSlice, count - first) * stride);
      for (let i = 0; i < slice.length / stride; i++) {
        const v = units[first + i]!;
        for (let d = 0; d < dims; d++) slice[i * stride + d] = Math.max(-127, Math.min(127, Math.round(v[d]! * scale)));
      }
      await handle.write(slice);
    }
    await handle.write(new Uint8Array(at.level0 - (HEADER_BYTES + count * stride)));
    for (const part of [graph.level0, graph.upperStart, graph.upperLinks]) await handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  } finally {
    await handle.close();
  }
  const halves = await open(path.join(dir, FILES.vectors), 'w');
  try {
    const perSlice = Math.max(1, Math.floor((4 << 20) / (2 * dims)));
    for (let first = 0; first < count; first += perSlice) {
      const slice = new Uint16Array(Math.min(perSlice, count - first) * dims);
      for (let i = 0; i < slice.length / dims; i++) toHalves(units[first + i]!, slice.subarray(i * dims, (i + 1) * dims));
      await halves.write(new Uint8Array(slice.buffer));
    }
  } finally {
    await halves.close();
  }
}

/** Called with each file's bytes as they are read; throws to refuse a damaged file. */
export type VerifyFile = (name: string, bytes: Uint8Array) => void;

export class VectorIndex {
  /** Layer-0 search width: higher finds more of the true nearest, slower. */
  ef: number;
  readonly count: number;
  readonly dims: number;
  private readonly search_: LayeredSearch;
  private readonly query: Int8Array;
  /** The stored vectors' int8 scale (127 / their largest component). */
  private readonly scale: number;
  private readonly halves: HeldFile;
  private readonly row: Uint16Array;
  private readonly rowBytes: Uint8Array;

  private constructor(memory: WebAssembly.Memory, fileBytes: number, halvesFd: number, ef: number) {
    const header = Buffer.from(memory.buffer, 0, HEADER_BYTES);
    const word = (i: number) => header.readUInt32LE(4 * i);
    const [dims, stride, count, m0, m, maxLevel, entry, upperLength] = [2, 3, 4, 5, 6, 7, 8, 9].map(word) as number[];
    const at = layout(count!, stride!, m0!);
    if (at.upperLinks + upperLength! * 4 !== fileBytes) throw new Error(`${FILES.graph} has ${fileBytes} bytes where its header implies ${at.upperLinks + upperLength! * 4}`);
    const graph: Graph = {
      count: count!,
      level0: new Uint32Array(memory.buffer, at.level0, count! * (m0! + 1)),
      m0: m0!,
      upperStart: new Uint32Array(memory.buffer, at.upperStart, count! + 1),
      upperLinks: new Uint32Array(memory.buffer, at.upperLinks, upperLength!),
      m: m!,
      entry: entry!,
      maxLevel: maxLevel!,
    };
    // Scratch space after the file: the query, then the ids to score and their scores.
    const queryAt = align16(fileBytes);
    const idsAt = queryAt + stride!;
    const links = Math.max(m0!, m!, 1);
    const scoresAt = idsAt + 4 * links;
    const dots: Dots = dotsOver(memory);
    const scorer: Scorer = {
      ids: new Int32Array(memory.buffer, idsAt, links),
      scores: new Int32Array(memory.buffer, scoresAt, links),
      score: (n) => dots(at.vectors, stride!, queryAt, idsAt, n, scoresAt),
    };
    this.search_ = new LayeredSearch(graph, scorer);
    this.query = new Int8Array(memory.buffer, queryAt, stride!);
    this.scale = header.readDoubleLE(40);
    this.count = count!;
    this.dims = dims!;
    this.ef = ef;
    this.halves = new HeldFile(halvesFd, FILES.vectors);
    this.row = new Uint16Array(dims!);
    this.rowBytes = new Uint8Array(this.row.buffer);
  }

  /** Scratch bytes a loaded graph needs after the file's own: query, ids and scores. */
  private static scratchBytes(stride: number, links: number): number {
    return 16 + stride + 8 * links;
  }

  /**
   * Reads graph.bin into WebAssembly memory (the file is not held twice) and
   * opens vectors.f16 for re-scoring. `verify` sees each file's bytes first.
   */
  static async load(dir: string, ef: number, verify: VerifyFile): Promise<VectorIndex> {
    const graphFile = path.join(dir, FILES.graph);
    const handle = await open(graphFile, 'r').catch(() => null);
    if (!handle) throw new Error(`${FILES.graph} is missing`);
    let memory: WebAssembly.Memory;
    let fileBytes: number;
    try {
      fileBytes = (await handle.stat()).size;
      if (fileBytes < HEADER_BYTES) throw new Error(`${FILES.graph} has ${fileBytes} bytes (truncated?)`);
      const head = Buffer.alloc(HEADER_BYTES);
      await handle.read(head, 0, HEADER_BYTES, 0);
      if (head.readUInt32LE(0) !== MAGIC) throw new Error(`${FILES.graph} is not a graph file`);
      const stride = head.readUInt32LE(12);
      const links = Math.max(head.readUInt32LE(20), head.readUInt32LE(24), 1);
      const total = align16(fileBytes) + VectorIndex.scratchBytes(stride, links);
      memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536) });
      const into = new Uint8Array(memory.buffer, 0, fileBytes);
      for (let done = 0; done < fileBytes; ) {
        const { bytesRead } = await handle.read(into, done, Math.min(8 << 20, fileBytes - done), done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      verify(FILES.graph, into);
    } finally {
      await handle.close();
    }
    const fd = openSync(path.join(dir, FILES.vectors), 'r');
    try {
      return new VectorIndex(memory, fileBytes, fd, ef);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The `k` passages whose vectors are nearest the query's, nearest first. */
  search(query: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.count);
    if (n <= 0) return [];
    const unit = normalized(query);
    let largest = 0;
    for (const x of unit) largest = Math.max(largest, Math.abs(x));
    const scale = largest > 0 ? 127 / largest : 0;
    for (let d = 0; d < this.dims; d++) this.query[d] = Math.round(unit[d]! * scale);
    const found = this.search_.search(this.ef, Math.max(n, RESCORED));
    const exact = found.slice(0, RESCORED).map(({ node }) => ({ id: node, similarity: this.exactSimilarity(unit, node) }));
    exact.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
    // The int8 score in the float scale: both vectors were scaled to ±127 by their largest component.
    const toSimilarity = 1 / (scale * this.scale);
    const rest = found.slice(RESCORED).map(({ node, score }) => ({ id: node, similarity: score * toSimilarity }));
    return [...exact, ...rest].slice(0, n);
  }

  private exactSimilarity(unit: Float32Array, node: number): number {
    this.halves.readAt(this.rowBytes, node * this.rowBytes.length);
    const value = halfValues();
    const row = this.row;
    let dot = 0;
    for (let d = 0; d < this.dims; d++) dot += unit[d]! * value[row[d]!]!;
    return dot;
  }

  /** Closes the float16 file; the memory goes with the object. */
  close(): void {
    this.halves.close();
  }
}

/** The vectors of a vectors.f16 file, by passage id (re-indexing reuses unchanged passages' embeddings). */
export function readVectors(file: string, dims: number): Float32Array[] {
  const bytes = readFileSync(file);
  const halves = new Uint16Array(bytes.byteOffset % 2 ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) : bytes.buffer, bytes.byteOffset % 2 ? 0 : bytes.byteOffset, bytes.length >> 1);
  return Array.from({ length: halves.length / dims }, (_, i) => fromHalves(halves.subarray(i * dims, (i + 1) * dims)));
}

/** The vectors of an hnswlib file (index formats 7 and 8), by label, to reuse their embeddings. */
export function readHnswlibVectors(file: string, dims: number): Float32Array[] {
  const index = new HierarchicalNSW('cosine', dims);
  index.readIndexSync(file);
  const count = index.getCurrentCount();
  return Array.from({ length: count }, (_, id) => Float32Array.from(index.getPoint(id)));
}
