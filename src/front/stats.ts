// Per-run request counters. Waiting is measured as wall-clock time during which at least one
// request was held back, so four workers waiting together count once, not four times.

export interface ClientStats {
  /** Every request sent, including retries and followed redirects. */
  requests: number;
  /** Keys like "GET /events", "GET /messages/:id". */
  byEndpoint: Record<string, number>;
  /** 429 answers (each was waited out and retried, or ended in RateLimitError). */
  rateLimited: number;
  /** Requests repeated after a 429, 5xx, reset, timeout or malformed body. */
  retries: number;
  /** Attempts that failed for a reason other than 429 (5xx, network, timeout, malformed, 4xx). */
  failures: number;
  /** Time spent waiting on pacing, retry-after and backoff. */
  waitMs: number;
  /** When the first request was sent (when the client was made, before any). */
  startedAt: number;
  /** From the first request to the last answer (or now, while requests are in flight). */
  elapsedMs: number;
  /** Requests per rate window (`rateWindowMs`, a minute unless compressed), over `elapsedMs`. */
  achievedRpm: number;
}

export class StatsRecorder {
  private requests = 0;
  private readonly byEndpoint: Record<string, number> = {};
  private rateLimited = 0;
  private retries = 0;
  private failures = 0;
  private waitedMs = 0;
  private waiters = 0;
  private waitingSince = 0;
  private firstSentAt: number | null = null;
  private lastDoneAt: number | null = null;
  private inFlight = 0;
  private readonly createdAt: number;

  constructor(
    private readonly clock: () => number,
    private readonly rateWindowMs: number,
  ) {
    this.createdAt = clock();
  }

  sent(endpoint: string): void {
    this.firstSentAt ??= this.clock();
    this.requests++;
    this.inFlight++;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  answered(): void {
    this.inFlight--;
    this.lastDoneAt = this.clock();
  }

  rateLimitedOnce(): void {
    this.rateLimited++;
  }

  failed(): void {
    this.failures++;
  }

  retried(): void {
    this.retries++;
  }

  /** Runs `wait` and counts its duration toward `waitMs` (overlaps with other waits count once). */
  async waiting<T>(wait: () => Promise<T>): Promise<T> {
    if (this.waiters++ === 0) this.waitingSince = this.clock();
    try {
      return await wait();
    } finally {
      if (--this.waiters === 0) this.waitedMs += this.clock() - this.waitingSince;
    }
  }

  snapshot(): ClientStats {
    const now = this.clock();
    const startedAt = this.firstSentAt ?? this.createdAt;
    const end = this.inFlight > 0 || this.lastDoneAt === null ? now : this.lastDoneAt;
    const elapsedMs = this.firstSentAt === null ? 0 : Math.max(0, end - startedAt);
    const waitMs = this.waitedMs + (this.waiters > 0 ? now - this.waitingSince : 0);
    return {
      requests: this.requests,
      byEndpoint: { ...this.byEndpoint },
      rateLimited: this.rateLimited,
      retries: this.retries,
      failures: this.failures,
      waitMs,
      startedAt,
      elapsedMs,
      achievedRpm: elapsedMs > 0 ? (this.requests * this.rateWindowMs) / elapsedMs : 0,
    };
  }
}
