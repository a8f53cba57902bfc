// Loads the live index generation and checks it belongs to the configured
// model: answering from a mismatched index would be silently wrong.
import { close as closeCallback, fstat as fstatCallback, open as openCallback, read as readCallback } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { KeywordIndex } from './keyword.js';
import { INDEX_FORMAT_VERSION, IndexError, readManifest, type FileCheck, type Manifest } from './manifest.js';
import { PostingsInFile } from './postings.js';
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
    // parses those already read. The float16 vectors and the keyword postings
    // are only checked here: searches read the few they need by position.
    const [store, keywords, vectors] = await Promise.all([
      readChecked(dir, manifest, FILES.store).then((bytes) => parseStore(bytes)),
      openKeywords(dir, manifest),
      // The graph loads while the float16 file is checked: searches only read it later.
      Promise.all([
        checkStreamed(dir, manifest, FILES.vectors),
        VectorIndex.load(dir, options.hnswEf, (name, bytes) => verify(name, bytes, expectedOf(manifest, name))),
      ]).then(([, vectors]) => vectors),
    ]);
    const n = manifest.counts.passages;
    if (store.passages.length !== n || vectors.count !== n || keywords.documentCount !== n || vectors.dims !== manifest.dims) {
      vectors.close();
      keywords.close();
      throw new Error(`parts disagree (manifest ${n} passages of ${manifest.dims}-d, store ${store.passages.length}, vectors ${vectors.count} of ${vectors.dims}-d, keywords ${keywords.documentCount})`);
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

const openFd = promisify(openCallback);
const readFd = promisify(readCallback);
const statFd = promisify(fstatCallback);
const closeFd = promisify(closeCallback);

/** Reads bytes [position, position + into.length) of a file into `into`; a short file is an error. */
async function readFully(fd: number, into: Uint8Array, position: number, name: string): Promise<void> {
  for (let done = 0; done < into.length; ) {
    const { bytesRead: n } = await readFd(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error(`${name} ends at ${position + done} bytes (truncated?)`);
    done += n;
  }
}

/**
 * The CRC-32 of bytes [from, end) of a file, continuing `crc`, read through one
 * reused buffer: neither a copy of the file nor a trail of chunks for the
 * garbage collector adds to the process's peak memory.
 */
async function crcStreamed(fd: number, from: number, end: number, crc: number, name: string): Promise<number> {
  const buffer = Buffer.allocUnsafe(Math.min(4 << 20, Math.max(1, end - from)));
  for (let at = from; at < end; ) {
    const chunk = buffer.subarray(0, Math.min(buffer.length, end - at));
    await readFully(fd, chunk, at, name);
    crc = crc32(chunk, crc);
    at += chunk.length;
  }
  return crc;
}

async function openChecked(dir: string, manifest: Manifest, name: string): Promise<{ fd: number; expected: FileCheck & { crc32: number } }> {
  const expected = expectedOf(manifest, name);
  const fd = await openFd(path.join(dir, name), 'r').catch(() => null);
  if (fd === null) throw new Error(`${name} is missing`);
  const { size } = await statFd(fd);
  if (size !== expected.bytes) {
    await closeFd(fd);
    throw new Error(`${name} has ${size} bytes, expected ${expected.bytes} (truncated?)`);
  }
  return { fd, expected };
}

/** Checks a file that is not loaded (searches read parts of it). */
async function checkStreamed(dir: string, manifest: Manifest, name: string): Promise<void> {
  const { fd, expected } = await openChecked(dir, manifest, name);
  try {
    if ((await crcStreamed(fd, 0, expected.bytes, 0, name)) !== expected.crc32) throw new Error(`${name} does not match its checksum (corrupted)`);
  } finally {
    await closeFd(fd);
  }
}

/**
 * The keyword index with its posting lists left in the file, read list by
 * list when a search needs them (postings.ts); the whole file is checked.
 */
async function openKeywords(dir: string, manifest: Manifest): Promise<KeywordIndex> {
  const name = FILES.keyword;
  const { fd, expected } = await openChecked(dir, manifest, name);
  let index: KeywordIndex | null = null;
  try {
    const first = Buffer.alloc(Math.min(expected.bytes, 64 << 10));
    await readFully(fd, first, 0, name);
    const offset = KeywordIndex.postingsOffset(expected.bytes, first);
    const head = Buffer.allocUnsafe(offset);
    await readFully(fd, head, 0, name);
    const crc = await crcStreamed(fd, offset, expected.bytes, crc32(head), name);
    if (crc !== expected.crc32) throw new Error(`${name} does not match its checksum (corrupted)`);
    index = KeywordIndex.deserialize(head, new PostingsInFile(fd, offset, expected.bytes - offset));
    return index;
  } finally {
    if (!index) await closeFd(fd);
  }
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
