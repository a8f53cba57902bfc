// Where a keyword index's posting lists are read from: memory (an index just
// built, or a small one) or its file, read list by list when a search needs
// it. At 100k passages the lists are most of the index (44 of 51 MB) while a
// question reads a few dozen of them: reading them by position keeps them in
// the operating system's page cache instead of the bot's memory, and off the
// start-up path.
import { HeldFile } from './held-file.js';

export interface PostingSource {
  /** Bytes [start, end) of the postings. */
  read(start: number, end: number): Uint8Array;
  close(): void;
}

export class PostingsInMemory implements PostingSource {
  constructor(private readonly bytes: Uint8Array) {}

  read(start: number, end: number): Uint8Array {
    return this.bytes.subarray(start, end);
  }

  close(): void {}
}

/** How many bytes of recently read lists are kept: the common words' lists come back in most questions. */
export const POSTING_CACHE_BYTES = 16 << 20;

export class PostingsInFile implements PostingSource {
  private readonly cache = new Map<number, Uint8Array>();
  private cached = 0;
  private readonly file: HeldFile;

  /** `offset`: where the postings start in the file; `length`: their size. */
  constructor(
    fd: number,
    private readonly offset: number,
    private readonly length: number,
    private readonly cacheBytes = POSTING_CACHE_BYTES,
  ) {
    this.file = new HeldFile(fd, 'the keyword index');
  }

  read(start: number, end: number): Uint8Array {
    if (start < 0 || end > this.length || start > end) throw new Error(`posting bytes ${start}–${end} are outside the index (${this.length})`);
    const known = this.cache.get(start);
    if (known && known.length === end - start) {
      // Most recently used last.
      this.cache.delete(start);
      this.cache.set(start, known);
      return known;
    }
    const bytes = new Uint8Array(end - start);
    this.file.readAt(bytes, this.offset + start);
    if (bytes.length <= this.cacheBytes / 4) {
      this.cache.set(start, bytes);
      this.cached += bytes.length;
      for (const [key, value] of this.cache) {
        if (this.cached <= this.cacheBytes) break;
        this.cache.delete(key);
        this.cached -= value.length;
      }
    }
    return bytes;
  }

  close(): void {
    this.file.close();
  }
}
