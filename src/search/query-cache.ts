// Repeated questions skip the model: an LRU of query embeddings.
import type { Embedder } from '../embedding/embedder.js';

export class QueryCache {
  private readonly entries = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly embedder: Pick<Embedder, 'embedQuery'>,
    private readonly capacity: number,
  ) {}

  embed(text: string): Promise<Float32Array> {
    if (this.capacity === 0) return this.embedder.embedQuery(text);
    const hit = this.entries.get(text);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const pending = this.embedder.embedQuery(text);
    this.entries.set(text, pending);
    pending.catch(() => this.entries.delete(text));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }
}
