// Graceful shutdown: stop taking new work, let the replies already being
// written finish (up to a bound), then the caller closes the gateway.
export class Lifecycle {
  private readonly active = new Set<Promise<unknown>>();
  private open = true;

  get accepting(): boolean {
    return this.open;
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** Tracks a handler's work until it settles (its errors are the handler's to log). */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.active.add(settled);
    void settled.then(() => this.active.delete(settled));
  }

  /** Stops accepting and waits for tracked work; false when `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.open = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = (async () => {
      // Work tracked while waiting (e.g. "restarting" replies) is waited for too.
      while (this.active.size > 0) await Promise.all([...this.active]);
      return true as const;
    })();
    try {
      return await Promise.race([drained, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
