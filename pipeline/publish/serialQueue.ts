/**
 * Runs async tasks one after another in the background, so that DuckDB loads one table (or piece
 * of a table) while JavaScript formats the next. The first failure is kept: later tasks are
 * skipped and `drain` rethrows it. The chain itself never rejects, so no rejection goes unhandled.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private stopped = false;

  push(task: () => Promise<void>): void {
    this.tail = this.tail.then(async () => {
      if (this.failure || this.stopped) return;
      try {
        await task();
      } catch (error) {
        this.failure = { error };
      }
    });
  }

  /** Throws the first failure so far, letting the producer stop early. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every task pushed so far; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.check();
  }

  /** Skips the tasks not yet started and waits for the running one, e.g. before closing what they use. */
  async abandon(): Promise<void> {
    this.stopped = true;
    await this.tail;
  }
}
