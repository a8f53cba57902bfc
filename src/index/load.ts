// Loads the live index generation and checks it belongs to the configured
// model: answering from a mismatched index would be silently wrong.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeywordIndex } from './keyword.js';
import { INDEX_FORMAT_VERSION, IndexError, readManifest, type Manifest } from './manifest.js';
import { FILES, type Store } from './store.js';
import { loadVectorIndex, type VectorIndex } from './vectors.js';

export interface LoadedIndex {
  manifest: Manifest;
  store: Store;
  vectors: VectorIndex;
  keywords: KeywordIndex;
}

export interface LoadOptions {
  indexDir: string;
  /** Fingerprint of the configured model (see modelFingerprint). */
  modelHash: string;
  dims: number;
  hnswEf: number;
}

const REBUILD = 'Run "npm run index" to rebuild it.';

export async function loadIndex(options: LoadOptions): Promise<LoadedIndex> {
  const { indexDir } = options;
  const manifest = await readManifest(indexDir);
  if (!manifest) throw new IndexError(`No index found in ${indexDir}. Run "npm run index" to build it from the reports.`);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexError(`The index in ${indexDir} has format ${manifest.formatVersion}, this version reads ${INDEX_FORMAT_VERSION}. ${REBUILD}`);
  }
  if (manifest.modelHash !== options.modelHash || manifest.dims !== options.dims) {
    throw new IndexError(
      `The index in ${indexDir} was built with a different embedding model (${manifest.modelId}, ${manifest.dims}-d, ${manifest.modelHash.slice(0, 12)}) ` +
        `than the configured one (${options.dims}-d, ${options.modelHash.slice(0, 12)}). ${REBUILD}`,
    );
  }
  const dir = path.join(indexDir, manifest.generation);
  const file = (name: string) => path.join(dir, name);
  try {
    const contents = await readVerified(dir, manifest);
    const store = JSON.parse(contents[FILES.store]!.toString('utf8')) as Store;
    const vectors = loadVectorIndex(file(FILES.hnsw), manifest.dims, options.hnswEf);
    const keywords = KeywordIndex.deserialize(contents[FILES.keyword]!);
    const n = manifest.counts.passages;
    if (store.passages.length !== n || vectors.getCurrentCount() !== n || keywords.documentCount !== n) {
      throw new Error(`parts disagree on the passage count (manifest ${n}, store ${store.passages.length}, vectors ${vectors.getCurrentCount()}, keywords ${keywords.documentCount})`);
    }
    return { manifest, store, vectors, keywords };
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError(`The index in ${indexDir} is damaged (${(error as Error).message}). ${REBUILD}`);
  }
}

/** hnswlib parses its file natively and may crash on a damaged one, so every file is checked first. */
async function readVerified(dir: string, manifest: Manifest): Promise<Record<string, Buffer>> {
  const contents: Record<string, Buffer> = {};
  // vectors.f32 only serves the next build (which checks it itself): answering never reads it.
  for (const name of [FILES.store, FILES.keyword, FILES.hnsw]) {
    const expected = manifest.files?.[name];
    if (!expected) throw new Error(`the manifest does not describe ${name}`);
    const bytes = await readFile(path.join(dir, name)).catch(() => null);
    if (!bytes) throw new Error(`${name} is missing`);
    if (bytes.length !== expected.bytes) throw new Error(`${name} has ${bytes.length} bytes, expected ${expected.bytes} (truncated?)`);
    if (createHash('sha256').update(bytes).digest('hex') !== expected.sha256) throw new Error(`${name} does not match its checksum (corrupted)`);
    contents[name] = bytes;
  }
  return contents;
}
