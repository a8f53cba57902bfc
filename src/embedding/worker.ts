// Runs the embedding model in a worker thread, so that model inference never
// blocks the main thread's event loop (Discord heartbeats, other questions).
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorRecord, type ErrorRecord } from '../errors.js';
import { loadEmbedder, type EmbedderOptions } from './embedder.js';

export type EmbedRequest = { id: number; kind: 'query'; text: string } | { id: number; kind: 'passages'; texts: string[]; batchSize: number };
export type EmbedResponse = { id: number; vectors: Float32Array[] } | { id: number; error: ErrorRecord } | { ready: true; source: string } | { failed: ErrorRecord };

const port = parentPort!;
try {
  const embedder = await loadEmbedder(workerData as EmbedderOptions);
  port.on('message', async (request: EmbedRequest) => {
    try {
      const vectors = request.kind === 'query' ? [await embedder.embedQuery(request.text)] : await embedder.embedPassages(request.texts, request.batchSize);
      port.postMessage({ id: request.id, vectors } satisfies EmbedResponse, vectors.map((v) => v.buffer as ArrayBuffer));
    } catch (error) {
      port.postMessage({ id: request.id, error: toErrorRecord(error) } satisfies EmbedResponse);
    }
  });
  port.postMessage({ ready: true, source: embedder.source } satisfies EmbedResponse);
} catch (error) {
  port.postMessage({ failed: toErrorRecord(error) } satisfies EmbedResponse);
}
