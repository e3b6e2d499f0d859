/**
 * A counting semaphore with a bounded queue: at most `slots` pieces of work run at once, at
 * most `queue` wait for a slot, and anything beyond is refused at once with `busy()`, so a
 * flood is answered quickly instead of piling up (in memory, and in everyone's wait).
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** since the process started: pieces of work begun, and the most ever running at once */
  readonly stats = { started: 0, peak: 0, refused: 0 };

  constructor(
    readonly slots: number,
    readonly queue: number,
    private readonly busy: () => Error,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    this.stats.started++;
    this.stats.peak = Math.max(this.stats.peak, this.running);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.running < this.slots) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.queue) {
      this.stats.refused++;
      throw this.busy();
    }
    // The slot is handed over by release(): `running` does not change on the way.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
