// A full rebuild for a running process: the build runs in a worker thread (the
// event loop keeps answering), then the new generation is loaded and verified.
// Nothing here touches a live index: swapping it in is the caller's job.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { MODEL_DIMS, modelFingerprint } from '../embedding/model-files.js';
import { prepareEnglish } from '../retrieval/english.js';
import { createSearcher } from '../retrieval/searcher.js';
import type { BuildResult } from '../index/build.js';
import { buildIndexInThread, type ThreadProgress } from '../index/build-thread.js';
import { loadIndex, type LoadedIndex } from '../index/load.js';
import type { Rebuilder } from './live-index.js';
import { IndexError, MANIFEST_FILE } from '../index/manifest.js';

export interface RebuildSettings {
  dataDir: string;
  indexDir: string;
  modelId: string;
  modelDir: string;
  hnswEf: number;
}

export interface Rebuilt {
  result: BuildResult;
  index: LoadedIndex;
  /** True when the index on disk was damaged and had to be rebuilt from scratch. */
  fromScratch: boolean;
}

/** Builds the index from the reports and loads it; throws (IndexError, CorpusError…) when it cannot. */
export async function rebuildIndex(settings: RebuildSettings, onProgress?: (event: ThreadProgress) => void): Promise<Rebuilt> {
  const build = () =>
    buildIndexInThread({ dataDir: settings.dataDir, indexDir: settings.indexDir, modelId: settings.modelId, modelDir: settings.modelDir }, onProgress);
  const load = async () =>
    loadIndex({ indexDir: settings.indexDir, modelHash: await modelFingerprint(settings.modelId, settings.modelDir), dims: MODEL_DIMS, hnswEf: settings.hnswEf });
  const result = await build();
  try {
    return { result, index: await load(), fromScratch: false };
  } catch (error) {
    // The build trusts a generation whose files all exist, so a truncated or corrupted file with
    // unchanged reports is "up to date" and loads no better. Set the manifest aside (kept for a
    // post-mortem) so the next build starts from nothing.
    if (!(error instanceof IndexError) || !result.upToDate) throw error;
    const manifest = path.join(settings.indexDir, MANIFEST_FILE);
    await rename(manifest, `${manifest}.damaged-${Date.now()}`);
    const fresh = await build();
    return { result: fresh, index: await load(), fromScratch: true };
  }
}

/** What a LiveIndex runs: rebuild, load, and a searcher over the new index sharing the running model. */
export function searcherRebuilder(config: Config, embedder: Pick<Embedder, 'embedQuery'>): Rebuilder {
  return async () => {
    const { result, index, fromScratch } = await rebuildIndex(config);
    const searcher = createSearcher(index, embedder, { topK: config.topK, candidates: config.candidates });
    // The first question on the new index should not pay for its lazy set-up.
    prepareEnglish(index.keywords);
    await searcher.search('主题教育');
    return { searcher, result, fromScratch };
  };
}
