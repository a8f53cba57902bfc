// The index manifest: what an index was built from, so a mismatch with the
// configured model is an error rather than a silently wrong answer. Writing it
// (atomically) is the last step of a build: it is what makes a build live.
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/** Bump when the on-disk layout or the tokenizer changes: older indexes then need rebuilding. */
export const INDEX_FORMAT_VERSION = 9;

export interface Manifest {
  formatVersion: number;
  /** Folder inside the index dir holding this build's files. */
  generation: string;
  /** The generation this one replaced: kept on disk until the next build, for readers still opening it. */
  previousGeneration?: string;
  modelId: string;
  /** sha256 of the model weights, or `hub:<id>` when loaded from the Hugging Face hub. */
  modelHash: string;
  dims: number;
  corpusHash: string;
  builtAt: string;
  counts: { reports: number; paragraphs: number; passages: number; skippedFiles: number };
  /** Size and checksum of each file of the generation: a truncated or corrupted file is caught before it is parsed. */
  files: Record<string, FileCheck>;
  /** Fingerprint of the report files' names, sizes and times: unchanged means nothing to re-read. */
  sources?: string;
  /** Fingerprint of the code and data that turned the reports into passages, place tags and tokens (analyzer.ts). */
  analyzer?: string;
  /** The data folder (resolved path) the index was built from: an index of other reports is not silently served. */
  dataDir?: string;
  /** Files the build skipped, with reasons (reported again when nothing changed). */
  skipped?: Array<{ file: string; reason: string }>;
}

/**
 * What a generation's file must match. CRC-32 guards against truncation and
 * corruption (not tampering) and runs at memory speed, where sha256 took
 * longer than parsing at 100k passages; indexes of format 7 and earlier
 * recorded sha256, still checked when their embeddings are reused.
 */
export interface FileCheck {
  bytes: number;
  crc32?: number;
  sha256?: string;
}

export function describeFile(bytes: Uint8Array): FileCheck {
  return { bytes: bytes.length, crc32: crc32(bytes) };
}

/** Whether bytes are the file the manifest describes (false when it records no checksum this code knows). */
export function matchesFile(bytes: Uint8Array, expected: FileCheck | undefined): boolean {
  if (!expected || bytes.length !== expected.bytes) return false;
  if (expected.crc32 !== undefined) return crc32(bytes) === expected.crc32;
  if (expected.sha256 !== undefined) return createHash('sha256').update(bytes).digest('hex') === expected.sha256;
  return false;
}

export const MANIFEST_FILE = 'manifest.json';

export class IndexError extends Error {}

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  let raw: string;
  try {
    raw = await readFile(path.join(indexDir, MANIFEST_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(raw) as Manifest;
    if (typeof m.generation !== 'string' || typeof m.dims !== 'number' || !m.counts) throw new Error('missing fields');
    return m;
  } catch (error) {
    throw new IndexError(`The index manifest ${path.join(indexDir, MANIFEST_FILE)} is corrupted (${(error as Error).message}). Run "npm run index" to rebuild it.`);
  }
}

export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function writeManifest(indexDir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(indexDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}
