// Loads the model and the index once, for a CLI run or the bot's lifetime.
import type { Config } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { startEmbedderThread } from '../embedding/threaded-embedder.js';
import { MODEL_DIMS, modelFingerprint } from '../embedding/model-files.js';
import { loadIndex } from '../index/load.js';
import { createSearcher, type Searcher, type SearcherSettings } from './searcher.js';

export interface OpenedSearch {
  searcher: Searcher;
  embedder: Embedder;
  timings: { modelMs: number; indexMs: number };
  close(): Promise<void>;
}

export async function openSearch(config: Config, overrides: Partial<SearcherSettings> = {}): Promise<OpenedSearch> {
  const t0 = performance.now();
  const modelHash = await modelFingerprint(config.modelId, config.modelDir);
  // The index is checked before the model loads: a missing index should fail fast.
  const index = await loadIndex({ indexDir: config.indexDir, modelHash, dims: MODEL_DIMS, hnswEf: config.hnswEf });
  const t1 = performance.now();
  const embedder = await startEmbedderThread({ modelId: config.modelId, modelDir: config.modelDir, queryInstruction: config.queryInstruction });
  const t2 = performance.now();
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const searcher = createSearcher(index, embedder, { topK: config.topK, candidates: config.candidates, ...given });
  return { searcher, embedder, timings: { indexMs: t1 - t0, modelMs: t2 - t1 }, close: () => embedder.close() };
}
