// A counting semaphore: at most `size` requests in flight, waiters served first come first served.

export class Slots {
  private used = 0;
  private readonly waiters: Array<{ grant: () => void; refuse: (reason: unknown) => void }> = [];

  constructor(
    private readonly size: number,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener(
      'abort',
      () => {
        for (const w of this.waiters.splice(0)) w.refuse(signal.reason);
      },
      { once: true },
    );
  }

  async take(): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((grant, refuse) => this.waiters.push({ grant, refuse }));
  }

  /** Hands the slot straight to the next waiter, so `used` only drops when nobody waits. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.used--;
  }
}
