// An Embedder whose model runs in a worker thread: same interface as
// loadEmbedder's, but inference happens off the main event loop.
import { Worker } from 'node:worker_threads';
import { fromErrorRecord } from '../errors.js';
import { workerEntry } from '../worker-code.js';
import type { Embedder, EmbedderOptions } from './embedder.js';
import { MODEL_DIMS } from './model-files.js';
import type { EmbedRequest, EmbedResponse } from './worker.js';

type Pending = { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void };

export async function startEmbedderThread(options: EmbedderOptions): Promise<Embedder> {
  const entry = await workerEntry(new URL('./worker.ts', import.meta.url), new URL('./worker-entry.mjs', import.meta.url));
  const worker = new Worker(entry, { workerData: options });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const source = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: EmbedResponse) => {
      worker.off('error', reject);
      if ('ready' in message) resolve(message.source);
      else if ('failed' in message) reject(fromErrorRecord(message.failed));
      else reject(new Error('the embedding worker answered before it was ready'));
    });
  });

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: EmbedResponse) => {
    if (!('id' in message)) return;
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if ('error' in message) p.reject(fromErrorRecord(message.error));
    else p.resolve(message.vectors);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    closed = true;
    failAll(new Error(`the embedding worker stopped (exit code ${code})`));
  });

  function request(body: { kind: 'query'; text: string } | { kind: 'passages'; texts: string[]; batchSize: number }): Promise<Float32Array[]> {
    if (closed) return Promise.reject(new Error('the embedding worker is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id } as EmbedRequest);
    });
  }

  return {
    modelId: options.modelId,
    dims: MODEL_DIMS,
    source,
    embedPassages: (texts, batchSize = 16) => (texts.length === 0 ? Promise.resolve([]) : request({ kind: 'passages', texts, batchSize })),
    embedQuery: async (text) => (await request({ kind: 'query', text }))[0]!,
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
