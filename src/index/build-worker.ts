// The worker side of buildIndexInThread: the model is loaded here, in the same
// thread as the build, and only when some passage needs embedding.
import { parentPort, workerData } from 'node:worker_threads';
import { fromErrorRecord, toErrorRecord, type ErrorRecord } from '../errors.js';
import { loadEmbedder, type Embedder } from '../embedding/embedder.js';
import { modelFingerprint } from '../embedding/model-files.js';
import { buildIndex, type BuildResult } from './build.js';
import type { ThreadProgress } from './build-thread.js';
import { IndexError } from './manifest.js';

export interface BuildThreadData {
  dataDir: string;
  indexDir: string;
  modelId: string;
  modelDir: string;
  batchSize?: number;
}

export type BuildThreadMessage =
  | { type: 'progress'; event: ThreadProgress }
  | { type: 'done'; result: BuildResult }
  | { type: 'lock' }
  | { type: 'failed'; error: ErrorRecord };

/** The main thread's answer to a `lock` request. */
export type LockReply = { type: 'locked' } | { type: 'lock-failed'; error: ErrorRecord };

/** Asks the main thread for the build lock; it holds it (and releases it) for this thread. */
function lockFromMainThread(): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    port.once('message', (reply: LockReply) => {
      if (reply.type === 'locked') resolve(async () => {});
      else reject(fromErrorRecord(reply.error, [IndexError]));
    });
    port.postMessage({ type: 'lock' } satisfies BuildThreadMessage);
  });
}

const data = workerData as BuildThreadData;
const port = parentPort!;
let embedder: Promise<Embedder> | undefined;
try {
  const result = await buildIndex({
    dataDir: data.dataDir,
    indexDir: data.indexDir,
    modelId: data.modelId,
    modelHash: await modelFingerprint(data.modelId, data.modelDir),
    batchSize: data.batchSize,
    lock: lockFromMainThread,
    embedder: () => (embedder ??= loadEmbedder({ modelId: data.modelId, modelDir: data.modelDir })),
    onProgress: (event) => {
      const out: ThreadProgress =
        event.phase === 'read'
          ? { phase: 'read', reports: event.corpus.reports.length, paragraphs: event.corpus.paragraphs.length, passages: event.corpus.passages.length }
          : event;
      port.postMessage({ type: 'progress', event: out } satisfies BuildThreadMessage);
    },
  });
  port.postMessage({ type: 'done', result } satisfies BuildThreadMessage);
} catch (error) {
  port.postMessage({ type: 'failed', error: toErrorRecord(error) } satisfies BuildThreadMessage);
} finally {
  await (await embedder)?.close();
}
