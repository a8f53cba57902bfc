// Who may ask right now: a per-user rate limit (sliding window) and a bound on
// questions being answered at once. Both answer with a message instead of
// dropping a question, so nobody is left waiting for a reply that never comes.

/** Sliding-window limit: at most `limit` takes per key within `windowMs`. */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();
  /** When each key was last told it is over the limit: told once per window, not once per attempt. */
  private readonly told = new Map<string, number>();
  private takesSinceSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a take; when over the limit, nothing is recorded and the wait in seconds is returned, with
   * `firstRefusal` true only for the first refusal in a window (so spam is answered once, not echoed).
   */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number; firstRefusal: boolean } {
    const t = this.now();
    const times = (this.recent.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (times.length >= this.limit) {
      this.recent.set(key, times);
      const toldAt = this.told.get(key);
      const firstRefusal = toldAt === undefined || t - toldAt >= this.windowMs;
      if (firstRefusal) this.told.set(key, t);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + this.windowMs - t) / 1000)), firstRefusal };
    }
    times.push(t);
    this.recent.set(key, times);
    // Forget idle users now and then, so the map does not grow with every user ever seen.
    if (++this.takesSinceSweep >= 1000) this.sweep(t);
    return { ok: true };
  }

  get trackedKeys(): number {
    return this.recent.size;
  }

  private sweep(t: number): void {
    this.takesSinceSweep = 0;
    for (const [key, times] of this.recent) if (times.every((at) => t - at >= this.windowMs)) this.recent.delete(key);
    for (const [key, at] of this.told) if (t - at >= this.windowMs) this.told.delete(key);
  }
}

/** A counter of work in flight with a ceiling: the bot's bounded question queue. */
export class Bounded {
  private count = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.count;
  }

  /** Returns a release function, or null when full. */
  tryEnter(): (() => void) | null {
    if (this.count >= this.max) return null;
    this.count++;
    let released = false;
    return () => {
      if (!released) this.count--;
      released = true;
    };
  }
}
