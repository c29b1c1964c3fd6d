/**
 * Runs a fetch at most once at a time, with at most one more queued behind it.
 *
 * Why: the order drawer used to fetch the whole order again on every `order.changed` event for
 * it, and one retry sends several (discovered → classified → files → submitting → submitted, each
 * a transition with its own event), so a busy order was fetched five times over, the answers
 * landing in any order. Now each event updates the drawer from the row it carries at once, and
 * asks for the full order (timeline, files) through this: a burst of events while one fetch is
 * on its way makes one more fetch after it, not one each, and the last fetch always starts after
 * the last event, so the drawer ends on the truth.
 *
 * `run()` resolves once a fetch that started after the call has finished (failed or not; the
 * task reports its own errors). After `dispose()` nothing more starts.
 */
export class Coalescer {
  private running = false;
  private again = false;
  private disposed = false;
  /** Waiting for the fetch now running. */
  private current: (() => void)[] = [];
  /** Waiting for the fetch queued behind it. */
  private next: (() => void)[] = [];

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.disposed) return resolve();
      if (this.running) {
        this.again = true;
        this.next.push(resolve);
        return;
      }
      this.current.push(resolve);
      void this.loop();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.again = false;
    const waiting = this.next;
    this.next = [];
    for (const r of waiting) r();
  }

  private async loop(): Promise<void> {
    this.running = true;
    for (;;) {
      const done = this.current;
      this.current = [];
      try {
        await this.task();
      } catch {
        // The task shows its own errors; a failed fetch must not stop the next one.
      }
      for (const r of done) r();
      if (!this.again || this.disposed) break;
      this.again = false;
      this.current = this.next;
      this.next = [];
    }
    this.running = false;
  }
}
