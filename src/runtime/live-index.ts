// The index the bot answers from, swappable while it runs. `current` is
// replaced in a single assignment once a rebuilt index has loaded, so every
// question sees either the old index or the new one, never a mix, and
// questions asked during a rebuild are answered from the old one.
import type { Searcher } from '../retrieval/searcher.js';
import type { BuildResult } from '../index/build.js';

export interface RebuildOutcome {
  ok: boolean;
  /** The build's result (counts, skipped files) when it succeeded. */
  result?: BuildResult;
  fromScratch?: boolean;
  /** Why it failed (the old index stays live). */
  error?: Error;
  ms: number;
}

/** Produces a ready searcher over a freshly built index. */
export type Rebuilder = () => Promise<{ searcher: Searcher; result: BuildResult; fromScratch: boolean }>;

export class LiveIndex {
  private running: Promise<RebuildOutcome> | null = null;
  private readonly listeners: Array<(searcher: Searcher) => void> = [];

  /** @param rebuilder absent for a fixed index (no /reindex, no watcher). */
  constructor(
    public current: Searcher,
    private readonly rebuilder?: Rebuilder,
  ) {}

  get canRebuild(): boolean {
    return this.rebuilder !== undefined;
  }

  get rebuilding(): boolean {
    return this.running !== null;
  }

  /** Resolves when no rebuild is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Called with the new searcher after each swap (e.g. to warm caches). */
  onSwap(listener: (searcher: Searcher) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Starts a rebuild; null when one is already running (one build at a time per index folder).
   * Never rejects: a failed rebuild leaves the old index live and says why.
   */
  tryRebuild(): Promise<RebuildOutcome> | null {
    if (!this.rebuilder) throw new Error('this index cannot be rebuilt');
    if (this.running) return null;
    const rebuilder = this.rebuilder;
    const t0 = performance.now();
    const run = (async (): Promise<RebuildOutcome> => {
      // Yield first, so `running` is set before the finally below can clear it.
      await Promise.resolve();
      try {
        const { searcher, result, fromScratch } = await rebuilder();
        this.current = searcher;
        for (const listener of this.listeners) listener(searcher);
        return { ok: true, result, fromScratch, ms: performance.now() - t0 };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error : new Error(String(error)), ms: performance.now() - t0 };
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }
}
