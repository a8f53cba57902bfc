// Loads the live index generation and checks it belongs to the configured
// model: answering from a mismatched index would be silently wrong.
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { KeywordIndex } from './keyword.js';
import { INDEX_FORMAT_VERSION, IndexError, readManifest, type FileCheck, type Manifest } from './manifest.js';
import { FILES, parseStore, type Store } from './store.js';
import { VectorIndex } from './vectors.js';

export interface LoadedIndex {
  manifest: Manifest;
  store: Store;
  vectors: VectorIndex;
  keywords: KeywordIndex;
}

export interface LoadOptions {
  indexDir: string;
  /** The manifest already read (e.g. just after a build); it may be superseded by the time its files are opened. */
  manifest?: Manifest;
  /** Fingerprint of the configured model (see modelFingerprint). */
  modelHash: string;
  dims: number;
  hnswEf: number;
}

const REBUILD = 'Run "npm run index" to rebuild it.';

export async function loadIndex(options: LoadOptions): Promise<LoadedIndex> {
  const manifest = options.manifest ?? (await readManifest(options.indexDir));
  try {
    return await loadGeneration(options, manifest);
  } catch (error) {
    // A build may switch generations (and delete the old one) between reading the manifest and opening
    // its files: one retry with the manifest now on disk sees a whole generation.
    const now = await readManifest(options.indexDir).catch(() => null);
    if (!manifest || !now || now.generation === manifest.generation) throw error;
    return loadGeneration(options, now);
  }
}

async function loadGeneration(options: LoadOptions, manifest: Manifest | null): Promise<LoadedIndex> {
  const { indexDir } = options;
  if (!manifest) throw new IndexError(`No index found in ${indexDir}. Run "npm run index" to build it from the reports.`);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexError(
      `The index in ${indexDir} has format ${manifest.formatVersion}; this version of the bot reads format ${INDEX_FORMAT_VERSION} only. ` +
        'Run "npm run index" to re-index (embeddings of unchanged passages are reused, so it does not redo the slow part).',
    );
  }
  if (manifest.modelHash !== options.modelHash || manifest.dims !== options.dims) {
    throw new IndexError(
      `The index in ${indexDir} was built with a different embedding model (${manifest.modelId}, ${manifest.dims}-d, ${manifest.modelHash.slice(0, 12)}) ` +
        `than the configured one (${options.dims}-d, ${options.modelHash.slice(0, 12)}). ${REBUILD}`,
    );
  }
  const dir = path.join(indexDir, manifest.generation);
  try {
    // The files are read on libuv's thread pool while this thread checks and
    // parses those already read. The float16 vectors are only checked here:
    // searches read a few of them by position.
    const [store, keywords, vectors] = await Promise.all([
      readChecked(dir, manifest, FILES.store).then((bytes) => parseStore(bytes)),
      readChecked(dir, manifest, FILES.keyword).then((bytes) => KeywordIndex.deserialize(bytes)),
      checkStreamed(dir, manifest, FILES.vectors).then(() => VectorIndex.load(dir, options.hnswEf, (name, bytes) => verify(name, bytes, expectedOf(manifest, name)))),
    ]);
    const n = manifest.counts.passages;
    if (store.passages.length !== n || vectors.count !== n || keywords.documentCount !== n || vectors.dims !== manifest.dims) {
      vectors.close();
      throw new Error(`parts disagree on the passage count (manifest ${n}, store ${store.passages.length}, vectors ${vectors.count}, keywords ${keywords.documentCount})`);
    }
    return { manifest, store, vectors, keywords };
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError(`The index in ${indexDir} is damaged (${(error as Error).message}). ${REBUILD}`);
  }
}

function expectedOf(manifest: Manifest, name: string): FileCheck & { crc32: number } {
  const expected = manifest.files?.[name];
  if (!expected) throw new Error(`the manifest does not describe ${name}`);
  if (expected.crc32 === undefined) throw new Error(`the manifest has no checksum for ${name}`);
  return expected as FileCheck & { crc32: number };
}

/**
 * Checks a file that is not loaded (searches read parts of it), through one
 * reused buffer: neither a copy of the file nor a trail of chunks for the
 * garbage collector adds to the process's peak memory.
 */
async function checkStreamed(dir: string, manifest: Manifest, name: string): Promise<void> {
  const expected = expectedOf(manifest, name);
  const handle = await open(path.join(dir, name), 'r').catch(() => null);
  if (!handle) throw new Error(`${name} is missing`);
  let bytes = 0;
  let crc = 0;
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      crc = crc32(buffer.subarray(0, bytesRead), crc);
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (bytes !== expected.bytes) throw new Error(`${name} has ${bytes} bytes, expected ${expected.bytes} (truncated?)`);
  if (crc !== expected.crc32) throw new Error(`${name} does not match its checksum (corrupted)`);
}

/** Refuses bytes whose size or checksum differs from the manifest's record of the file. */
function verify(name: string, bytes: Uint8Array, expected: FileCheck & { crc32: number }): void {
  if (bytes.length !== expected.bytes) throw new Error(`${name} has ${bytes.length} bytes, expected ${expected.bytes} (truncated?)`);
  if (crc32(bytes) !== expected.crc32) throw new Error(`${name} does not match its checksum (corrupted)`);
}

/** A file of the generation, refused when its size or checksum differs from the manifest's record. */
async function readChecked(dir: string, manifest: Manifest, name: string): Promise<Buffer> {
  const expected = expectedOf(manifest, name);
  const bytes = await readFile(path.join(dir, name)).catch(() => null);
  if (!bytes) throw new Error(`${name} is missing`);
  verify(name, bytes, expected);
  return bytes;
}
