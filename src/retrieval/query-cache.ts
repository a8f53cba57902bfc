// Repeated questions skip the work: small LRU caches of query embeddings and of answers.
import type { Embedder } from '../embedding/embedder.js';

/** Least-recently-used map of bounded size (capacity 0 keeps nothing). */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-insert to mark as most recently used (a Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}

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
