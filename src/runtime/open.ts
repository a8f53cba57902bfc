// Loads the model and the index once, for a CLI run or the bot's lifetime.
import type { Config } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { startEmbedderThread } from '../embedding/threaded-embedder.js';
import { MODEL_DIMS, modelFingerprint } from '../embedding/model-files.js';
import { loadIndex } from '../index/load.js';
import { tokenize } from '../text/tokens.js';
import { prepareQuery } from '../retrieval/query.js';
import { prepareEnglish } from '../retrieval/english.js';
import { createSearcher, type Searcher, type SearcherSettings } from '../retrieval/searcher.js';

export interface OpenedSearch {
  searcher: Searcher;
  embedder: Embedder;
  /** Model and index load in parallel; readyMs is when both are done. */
  timings: { modelMs: number; indexMs: number; readyMs: number };
  close(): Promise<void>;
}

export async function openSearch(config: Config, overrides: Partial<SearcherSettings> = {}): Promise<OpenedSearch> {
  const t0 = performance.now();
  // The model starts in its own thread while the index loads here.
  const starting = startEmbedderThread({ modelId: config.modelId, modelDir: config.modelDir, queryInstruction: config.queryInstruction });
  const modelReady = starting.then(() => performance.now());
  let index;
  try {
    const modelHash = await modelFingerprint(config.modelId, config.modelDir);
    index = await loadIndex({ indexDir: config.indexDir, modelHash, dims: MODEL_DIMS, hnswEf: config.hnswEf });
  } catch (error) {
    await starting.then((e) => e.close(), () => {});
    throw error;
  }
  // Load the segmenter, gazetteer, converters and the English dictionary now, while the model thread
  // starts: on the first question they would hold the event loop (the dictionary for seconds).
  prepareQuery('河北省石家庄市第二批主題教育');
  tokenize('预热');
  prepareEnglish(index.keywords);
  const t1 = performance.now();
  const embedder = await starting;
  const t2 = Math.max(await modelReady, t1);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const searcher = createSearcher(index, embedder, { topK: config.topK, candidates: config.candidates, ...given });
  return { searcher, embedder, timings: { indexMs: t1 - t0, modelMs: (await modelReady) - t0, readyMs: t2 - t0 }, close: () => embedder.close() };
}
