// Runs a whole index build (reading, embedding, graph and keyword index
// construction, writing) in a worker thread: the caller's event loop — the
// bot's gateway heartbeats and questions — stays free however large the corpus.
import { Worker } from 'node:worker_threads';
import type { BuildProgress, BuildResult } from './build.js';
import type { BuildThreadData, BuildThreadMessage } from './build-worker.js';

export type ThreadProgress = Exclude<BuildProgress, { phase: 'read' }> | { phase: 'read'; reports: number; paragraphs: number; passages: number };

export function buildIndexInThread(data: BuildThreadData, onProgress?: (event: ThreadProgress) => void): Promise<BuildResult> {
  const worker = new Worker(new URL('./build-worker-entry.mjs', import.meta.url), { workerData: data });
  return new Promise<BuildResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: BuildThreadMessage) => {
      if (message.type === 'progress') onProgress?.(message.event);
      else {
        settled = true;
        if (message.type === 'done') resolve(message.result);
        else reject(Object.assign(new Error(message.message), { name: message.name }));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the indexing thread stopped unexpectedly (exit code ${code})`));
    });
  });
}
