// data/ → a new index generation in the index folder. The previous index stays
// live until the new manifest is renamed into place, so a crash (or SIGKILL)
// mid-build leaves it usable. Unchanged passages reuse their embeddings.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rm, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { listReportFiles, readCorpus, type Corpus } from '../corpus/corpus.js';
import type { SkippedFile } from '../corpus/types.js';
import type { Embedder } from '../embedding/embedder.js';
import { analyzerFingerprint } from './analyzer.js';
import { placeById } from '../places/lookup.js';
import { allPlaces } from '../places/tags.js';
import { KeywordIndex, type KeywordSource } from './keyword.js';
import { acquireBuildLock, type ReleaseLock } from './lock.js';
import { describeFile, INDEX_FORMAT_VERSION, IndexError, matchesFile, readManifest, writeManifest, type Manifest } from './manifest.js';
import { FILES, parseStore, serializeStore, type Store } from './store.js';
import { readHnswlibVectors, readVectors, writeVectorIndex } from './vectors.js';

export interface BuildOptions {
  dataDir: string;
  indexDir: string;
  modelId: string;
  modelHash: string;
  /** Loaded lazily: an up-to-date index needs no model at all. */
  embedder: () => Promise<Embedder>;
  onProgress?: (event: BuildProgress) => void;
  /** Passages per model call; passages are grouped by length so batches pad little. */
  batchSize?: number;
  /** Fingerprint of the code and data that decide the index's content (default: analyzer.ts computes it). */
  analyzer?: string;
  /**
   * Takes the index folder's build lock (default: in this thread). A build in a
   * worker thread has the main thread hold it, whose event loop stays free to
   * keep it fresh while this one is busy building graphs.
   */
  lock?: (indexDir: string) => Promise<ReleaseLock>;
}

export type BuildProgress =
  | { phase: 'read'; corpus: Corpus }
  | { phase: 'embed'; done: number; total: number }
  | { phase: 'write' }
  /** Vectors linked into the HNSW graph so far: the long step at archive scale (minutes at 1M passages). */
  | { phase: 'graph'; done: number; total: number };

export interface BuildResult {
  manifest: Manifest;
  skipped: SkippedFile[];
  upToDate: boolean;
  embedded: number;
  reused: number;
}

/**
 * Passages per model call. On 2 CPU cores, batches of 4 length-sorted passages
 * embed fastest (measured: 48/s, vs 45/s one at a time and 41/s in 16s);
 * unsorted batches pad short texts to long ones and lose a third.
 */
const DEFAULT_BATCH_SIZE = 4;

export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const { indexDir } = options;
  // Checked before locking (or creating anything): an up-to-date index in a read-only folder is fine.
  const current = await upToDate(options);
  if (current) return current;
  await mkdir(indexDir, { recursive: true });
  let lost: IndexError | null = null;
  const releaseLock = await (options.lock ?? ((dir) => acquireBuildLock(dir, (error) => (lost = error))))(indexDir);
  try {
    return await build(options, () => {
      if (lost) throw lost;
    });
  } finally {
    await releaseLock();
  }
}

async function readPrevious(indexDir: string): Promise<Manifest | null> {
  try {
    return await readManifest(indexDir);
  } catch {
    return null; // A corrupted manifest is simply replaced.
  }
}

/** The folder an index records as built from: resolved, so two spellings of one folder are equal. */
export async function resolvedDataDir(dataDir: string): Promise<string> {
  return realpath(dataDir).catch(() => path.resolve(dataDir));
}

/**
 * The live index when it was built from exactly these files, in this folder, with this model: the
 * sources-fingerprint shortcut (file names, sizes and times; no file is read). Milliseconds.
 */
export async function upToDate(options: Pick<BuildOptions, 'indexDir' | 'dataDir' | 'modelHash' | 'analyzer'>, previous?: Manifest | null, sources?: string): Promise<BuildResult | null> {
  previous ??= await readPrevious(options.indexDir);
  if (!previous || previous.formatVersion !== INDEX_FORMAT_VERSION || previous.modelHash !== options.modelHash) return null;
  // Same rules for turning reports into passages and tokens, too: only then can the old index stand.
  if (previous.analyzer !== (options.analyzer ?? (await analyzerFingerprint()))) return null;
  if (previous.dataDir !== undefined && previous.dataDir !== (await resolvedDataDir(options.dataDir))) return null;
  if (previous.sources !== (sources ?? (await sourceFingerprint(options.dataDir)))) return null;
  if (!(await generationComplete(options.indexDir, previous))) return null;
  return { manifest: previous, skipped: previous.skipped ?? [], upToDate: true, embedded: 0, reused: previous.counts.passages };
}

async function build(options: BuildOptions, stillLocked: () => void): Promise<BuildResult> {
  const { indexDir, modelHash } = options;
  const previous = await readPrevious(indexDir);
  // Leftovers of killed builds go; the live generation and the one before it stay (readers may be opening it).
  await removeStaleGenerations(indexDir, [previous?.generation, previous?.previousGeneration]);
  const sameModel = previous?.formatVersion === INDEX_FORMAT_VERSION && previous.modelHash === modelHash;

  // Same files (names, sizes, modification times) as the live index: nothing to read or redo.
  const analyzer = options.analyzer ?? (await analyzerFingerprint());
  // Same model and same rules for turning reports into passages and tokens: only then can the old index stand.
  const sameRules = sameModel && previous!.analyzer === analyzer;
  const sources = await sourceFingerprint(options.dataDir);
  const unchanged = await upToDate(options, previous, sources);
  if (unchanged) return unchanged;

  const corpus = await readCorpus(options.dataDir);
  options.onProgress?.({ phase: 'read', corpus });
  if (corpus.passages.length === 0) {
    const why = corpus.skipped.length ? `all ${corpus.skipped.length} file(s) were skipped` : 'the folder has no report files';
    throw new IndexError(`No paragraphs to index in ${options.dataDir}: ${why}. Add report files (.txt or .html) and run "npm run index" again.`);
  }

  if (sameRules && previous!.corpusHash === corpus.hash && (await generationComplete(indexDir, previous!))) {
    // Files were touched but say the same: record their new times so the next run can skip reading.
    const manifest = { ...previous!, sources, dataDir: await resolvedDataDir(options.dataDir), skipped: corpus.skipped };
    stillLocked();
    await writeManifest(indexDir, manifest);
    return { manifest, skipped: corpus.skipped, upToDate: true, embedded: 0, reused: corpus.passages.length };
  }

  const known = previous?.modelHash === modelHash && previous.dims > 0 ? await previousEmbeddings(indexDir, previous) : new Map<string, Float32Array>();
  const vectors: Array<Float32Array | undefined> = corpus.passages.map((p) => known.get(p.hash));
  const missing = corpus.passages.filter((p) => !vectors[p.id]).sort((a, b) => a.text.length - b.text.length);
  let dims = known.values().next().value?.length ?? 0;
  if (missing.length > 0) {
    const embedder = await options.embedder();
    dims = embedder.dims;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    options.onProgress?.({ phase: 'embed', done: 0, total: missing.length });
    for (let i = 0; i < missing.length; i += batchSize) {
      const batch = missing.slice(i, i + batchSize);
      const embedded = await embedder.embedPassages(batch.map((p) => p.text), batchSize);
      batch.forEach((p, j) => (vectors[p.id] = embedded[j]));
      options.onProgress?.({ phase: 'embed', done: Math.min(i + batchSize, missing.length), total: missing.length });
    }
  }

  options.onProgress?.({ phase: 'write' });
  const generation = `gen-${Date.now().toString(36)}-${process.pid}`;
  const dir = path.join(indexDir, generation);
  let files: Manifest['files'];
  try {
    await mkdir(dir);
    const allVectors = vectors as Float32Array[];
    const store: Store = { reports: corpus.reports, paragraphs: corpus.paragraphs, passages: corpus.passages };
    await writeFile(path.join(dir, FILES.store), serializeStore(store));
    await writeVectorIndex(dir, allVectors, dims, (done) => options.onProgress?.({ phase: 'graph', done, total: allVectors.length }));
    await writeFile(path.join(dir, FILES.keyword), KeywordIndex.build(keywordSources(corpus)).serialize());
    files = await syncAndDescribe(dir);
  } catch (error) {
    // A full disk must not also keep the half-written generation (and its space) around.
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }

  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    generation,
    previousGeneration: previous?.generation,
    modelId: options.modelId,
    modelHash,
    dims,
    corpusHash: corpus.hash,
    builtAt: new Date().toISOString(),
    counts: {
      reports: corpus.reports.length,
      paragraphs: corpus.paragraphs.length,
      passages: corpus.passages.length,
      skippedFiles: corpus.skipped.length,
    },
    files,
    sources,
    analyzer,
    dataDir: await resolvedDataDir(options.dataDir),
    skipped: corpus.skipped,
  };
  try {
    stillLocked();
    await writeManifest(indexDir, manifest);
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  // The generation just replaced is kept until the next build: a reader that read the old manifest
  // a moment ago is still opening its files. Older ones go.
  await removeStaleGenerations(indexDir, [generation, previous?.generation]);
  return { manifest, skipped: corpus.skipped, upToDate: false, embedded: missing.length, reused: corpus.passages.length - missing.length };
}

/** Removes generation folders other than `keep`: leftovers of killed builds, or superseded ones. */
async function removeStaleGenerations(indexDir: string, keep: Array<string | undefined>): Promise<void> {
  for (const entry of await readdir(indexDir)) {
    if (entry.startsWith('gen-') && !keep.includes(entry)) await rm(path.join(indexDir, entry), { recursive: true, force: true });
  }
}

/** The live generation's files are all there with their recorded sizes (a damaged index is rebuilt, not kept). */
export async function generationComplete(indexDir: string, manifest: Manifest): Promise<boolean> {
  for (const name of Object.values(FILES)) {
    const info = await stat(path.join(indexDir, manifest.generation, name)).catch(() => null);
    if (!info || info.size !== manifest.files?.[name]?.bytes) return false;
  }
  return true;
}

/**
 * Embeddings of the previous build by passage content hash; an unreadable previous build just means re-embedding.
 * They depend only on the model and the passage text, so an index of an older format (before version 7: a
 * separate vectors.f32 and store.json) still lends its vectors: upgrading does not mean re-embedding everything.
 */
async function previousEmbeddings(indexDir: string, manifest: Manifest): Promise<Map<string, Float32Array>> {
  const known = new Map<string, Float32Array>();
  try {
    const dir = path.join(indexDir, manifest.generation);
    const verified = async (name: string): Promise<Buffer | null> => {
      const bytes = await readFile(path.join(dir, name)).catch(() => null);
      return bytes && matchesFile(bytes, manifest.files?.[name]) ? bytes : null;
    };
    let hashes: string[];
    let vectors: Float32Array[];
    const flat = manifest.files?.[OLD_VECTORS] ? await verified(OLD_VECTORS) : null;
    if (flat) {
      const json = await verified(OLD_STORE);
      if (!json) return known;
      hashes = (JSON.parse(json.toString('utf8')) as { passages: { hash: string[] } }).passages.hash;
      vectors = Array.from({ length: flat.length / (manifest.dims * 4) }, (_, i) => new Float32Array(flat.buffer.slice(flat.byteOffset + i * manifest.dims * 4, flat.byteOffset + (i + 1) * manifest.dims * 4)));
    } else {
      const store = await verified(FILES.store);
      if (!store) return known;
      const hnswlibFile = manifest.files?.[OLD_HNSW] !== undefined;
      // hnswlib parses its file natively: only a file matching its checksum reaches it.
      if (!(await verified(hnswlibFile ? OLD_HNSW : FILES.vectors))) return known;
      hashes = parseStore(store).passages.map((p) => p.hash);
      vectors = hnswlibFile ? readHnswlibVectors(path.join(dir, OLD_HNSW), manifest.dims) : readVectors(path.join(dir, FILES.vectors), manifest.dims);
    }
    if (vectors.length !== hashes.length) return known;
    hashes.forEach((hash, i) => known.set(hash, vectors[i]!));
  } catch {
    known.clear();
  }
  return known;
}

/** Files of format 6 and earlier, read only to reuse their embeddings. */
const OLD_VECTORS = 'vectors.f32';
const OLD_STORE = 'store.json';
/** hnswlib's graph file with float32 vectors (formats 7 and 8), read only to reuse their embeddings. */
const OLD_HNSW = 'hnsw.bin';

/** Flushes the new files to disk before the manifest points at them, and records their sizes and hashes. */
async function syncAndDescribe(dir: string): Promise<Manifest['files']> {
  const files: Manifest['files'] = {};
  for (const name of Object.values(FILES)) {
    const handle = await open(path.join(dir, name), 'r+');
    try {
      await handle.sync();
      const bytes = await handle.readFile();
      files[name] = describeFile(bytes);
    } finally {
      await handle.close();
    }
  }
  return files;
}

/** A follow-on paragraph (one naming no place of its own) is searched with the paragraph it follows as context. */
function keywordSources(corpus: Corpus): KeywordSource[] {
  const paragraphs = new Map(corpus.paragraphs.map((p) => [`${p.file}#${p.number}`, p]));
  const reports = new Map(corpus.reports.map((r) => [r.file, r]));
  const headlines = new Map(corpus.reports.map((r) => [r.file, r.title]));
  return corpus.passages.map((p) => {
    const previous = paragraphs.get(`${p.file}#${p.paragraph - 1}`);
    // Inheriting places from the paragraph before (not only from its report) makes it a follow-on.
    const report = reports.get(p.file)!;
    const followOn = previous !== undefined && p.places.own.length === 0 && p.places.inherited.some((id) => !report.places.includes(id));
    const regions = [...new Set(allPlaces(p.places).map((id) => placeById(id)?.name).filter((n): n is string => n !== undefined))];
    return { text: p.text, regions, context: followOn ? previous.text : null, headline: headlines.get(p.file) ?? null, lead: p.paragraph > 1 ? (paragraphs.get(`${p.file}#1`)?.text ?? null) : null };
  });
}

/** Names, sizes and modification times of the report files. */
async function sourceFingerprint(dataDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listReportFiles(dataDir).catch(() => [])) {
    const info = await stat(path.join(dataDir, file));
    hash.update(`${file}\u0000${info.size}\u0000${info.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}
