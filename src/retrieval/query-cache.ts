// Repeated questions skip the work: small LRU caches of query embeddings and of answers.
import type { Embedder } from '../embedding/embedder.js';
import { Lru } from '../lru.js';

export { Lru };

export class QueryCache {
  private readonly vectors: Lru<string, Promise<Float32Array>>;

  constructor(
    private readonly embedder: Pick<Embedder, 'embedQuery'>,
    capacity: number,
  ) {
    this.vectors = new Lru(capacity);
  }

  embed(text: string): Promise<Float32Array> {
    const known = this.vectors.get(text);
    if (known) return known;
    const pending = this.embedder.embedQuery(text);
    this.vectors.set(text, pending);
    pending.catch(() => this.vectors.delete(text));
    return pending;
  }
}
