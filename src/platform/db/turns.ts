/**
 * Interactive requests go first on the embedded database. PGlite runs in this process, one query at
 * a time, and its answers come back as resolved promises that never pass through the event loop: a
 * job reading and writing in a loop of queries holds the whole process until it ends (a list took
 * 4.9 s during an export). Long jobs therefore call `giveWay()` between chunks: it lets pending I/O
 * in and, on PGlite, waits while requests are being answered (never longer than `maxWaitMs`, so a
 * busy console cannot stop a job). On PostgreSQL the server schedules; only the event loop is yielded.
 */
export class Turns {
  private inFlight = 0;
  private waiting = new Set<() => void>();

  constructor(
    private readonly embedded: boolean,
    private readonly maxWaitMs = 500,
  ) {}

  /** A request has started. */
  enter() {
    this.inFlight++;
  }

  /** A request has been answered (or dropped). */
  leave() {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) for (const go of this.waiting) go();
  }

  get requestsInFlight() {
    return this.inFlight;
  }

  /**
   * A yield point for a loop of long work: gives way once `sliceMs` have passed since it last did,
   * so the work runs in slices of about that length however its rows and queries are sized.
   */
  slices(sliceMs = 20): () => Promise<void> {
    let since = performance.now();
    return async () => {
      if (performance.now() - since < sliceMs) return;
      await this.giveWay();
      since = performance.now();
    };
  }

  /** Between two chunks of long work. */
  async giveWay(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.embedded || this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const go = () => {
        clearTimeout(timer);
        this.waiting.delete(go);
        resolve();
      };
      const timer = setTimeout(go, this.maxWaitMs);
      this.waiting.add(go);
    });
  }
}
