// Runs a whole index build (reading, embedding, graph and keyword index
// construction, writing) in a worker thread: the caller's event loop — the
// bot's gateway heartbeats and questions — stays free however large the corpus.
// This thread holds the build lock for the worker, and keeps it fresh.
import { Worker } from 'node:worker_threads';
import { CorpusError } from '../corpus/corpus.js';
import { fromErrorRecord, toErrorRecord } from '../errors.js';
import type { BuildProgress, BuildResult } from './build.js';
import type { BuildThreadData, BuildThreadMessage, LockReply } from './build-worker.js';
import { acquireBuildLock, type ReleaseLock } from './lock.js';
import { IndexError } from './manifest.js';

export type ThreadProgress = Exclude<BuildProgress, { phase: 'read' }> | { phase: 'read'; reports: number; paragraphs: number; passages: number };

export function buildIndexInThread(data: BuildThreadData, onProgress?: (event: ThreadProgress) => void): Promise<BuildResult> {
  const worker = new Worker(new URL('./build-worker-entry.mjs', import.meta.url), { workerData: data });
  let release: ReleaseLock | null = null;
  const run = new Promise<BuildResult>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null, result?: BuildResult) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result!);
    };
    worker.on('message', (message: BuildThreadMessage) => {
      if (message.type === 'progress') onProgress?.(message.event);
      else if (message.type === 'lock') {
        acquireBuildLock(data.indexDir, (lost) => {
          settle(lost);
          void worker.terminate();
        }).then(
          (releaseLock) => {
            release = releaseLock;
            worker.postMessage({ type: 'locked' } satisfies LockReply);
          },
          (error: unknown) => worker.postMessage({ type: 'lock-failed', error: toErrorRecord(error) } satisfies LockReply),
        );
      } else if (message.type === 'done') settle(null, message.result);
      // Rebuilt with their class and code: the caller tells setup problems from a full disk or a bug.
      else settle(fromErrorRecord(message.error, [IndexError, CorpusError]));
    });
    worker.on('error', (error) => settle(error));
    worker.on('exit', (code) => settle(new Error(`the indexing thread stopped unexpectedly (exit code ${code})`)));
  });
  return run.finally(async () => {
    await (release as ReleaseLock | null)?.();
  });
}
