/**
 * In-process wake-up for long-polling feed readers: a service calls `notify()` after it commits
 * events, and waiting readers look again at once instead of at their next interval.
 */
export class OutboxNotifier {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const resolve of [...this.waiters]) resolve();
  }

  /** Resolves on the next notify or after `ms`, whichever comes first; never leaks a waiter. */
  wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });

  get waiting(): number {
    return this.waiters.size;
  }
}
