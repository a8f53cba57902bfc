// Shared set-up for tests that need the real model and an index of the real
// reports: one embedder per test file, indexes built into temp folders.
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import { loadEmbedder, type Embedder } from '../../src/embedding/embedder.js';
import { MODEL_DIMS, modelFingerprint } from '../../src/embedding/model-files.js';
import { buildIndex, type BuildResult } from '../../src/index/build.js';
import { loadIndex, type LoadedIndex } from '../../src/index/load.js';

export const REPORTS_DIR = path.join(PROJECT_ROOT, 'data');

export const baseConfig: Config = loadConfig({});

let embedder: Promise<Embedder> | null = null;
export function sharedEmbedder(): Promise<Embedder> {
  embedder ??= loadEmbedder({ modelId: baseConfig.modelId, modelDir: baseConfig.modelDir });
  return embedder;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
}

/** A temp copy of the real reports. */
export async function copyOfReports(): Promise<string> {
  const dir = await tempDir('data');
  await cp(REPORTS_DIR, dir, { recursive: true });
  return dir;
}

export async function build(dataDir: string, indexDir: string, embedderFactory: () => Promise<Embedder> = sharedEmbedder): Promise<BuildResult> {
  return buildIndex({
    dataDir,
    indexDir,
    modelId: baseConfig.modelId,
    modelHash: await modelFingerprint(baseConfig.modelId, baseConfig.modelDir),
    embedder: embedderFactory,
  });
}

export async function load(indexDir: string): Promise<LoadedIndex> {
  return loadIndex({ indexDir, modelHash: await modelFingerprint(baseConfig.modelId, baseConfig.modelDir), dims: MODEL_DIMS, hnswEf: baseConfig.hnswEf });
}
