// Front's rate limits as the sandbox enforces them: a company-wide budget per window shared by all
// tokens (and by "other integrations"), search at 40% of it on its own counter, and a burst limit of
// 5 requests per second per resource. Windows are fixed and aligned to the clock; 429s cost nothing.

export const BURST_PER_SECOND = 5;
export const SEARCH_SHARE = 0.4;
/** Front labels per-resource limits with a tier; the sandbox's burst limit is tier 2. */
export const BURST_TIER = 2;

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now: () => number;
}

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; tier: number | null; scope: 'company' | 'search' | 'burst' };

interface Counter {
  start: number;
  count: number;
}

export class RateLimiter {
  private company: Counter = { start: 0, count: 0 };
  private search: Counter = { start: 0, count: 0 };
  private readonly bursts = new Map<string, Counter>();
  private otherLoad = 0;
  private readonly burstMs: number;

  constructor(private readonly opts: RateLimitOptions) {
    this.burstMs = (1000 * opts.windowMs) / 60_000;
  }

  setOtherLoad(requestsPerWindow: number): void {
    this.otherLoad = Math.max(0, requestsPerWindow);
  }

  /** Counts the request when it is allowed; a refused one leaves every counter as it was. */
  take(resource: string, isSearch: boolean): RateDecision {
    const now = this.opts.now();
    const company = this.current(this.company, now, this.opts.windowMs);
    this.company = company;
    const windowEnd = company.start + this.opts.windowMs;
    if (company.count + this.others(now) >= this.opts.limit) {
      return { allowed: false, retryAfterMs: windowEnd - now, tier: null, scope: 'company' };
    }
    this.search = this.current(this.search, now, this.opts.windowMs);
    if (isSearch && this.search.count >= Math.floor(this.opts.limit * SEARCH_SHARE)) {
      return { allowed: false, retryAfterMs: windowEnd - now, tier: null, scope: 'search' };
    }
    const burst = this.current(this.bursts.get(resource), now, this.burstMs);
    this.bursts.set(resource, burst);
    if (burst.count >= BURST_PER_SECOND) {
      return { allowed: false, retryAfterMs: burst.start + this.burstMs - now, tier: BURST_TIER, scope: 'burst' };
    }
    company.count++;
    burst.count++;
    if (isSearch) this.search.count++;
    return { allowed: true };
  }

  /** The x-ratelimit-* headers as of now. */
  headers(): Record<string, string> {
    const now = this.opts.now();
    this.company = this.current(this.company, now, this.opts.windowMs);
    const remaining = Math.max(0, this.opts.limit - this.company.count - this.others(now));
    return {
      'x-ratelimit-limit': String(this.opts.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String((this.company.start + this.opts.windowMs) / 1000),
    };
  }

  /** Seconds as Front writes them: whole seconds for real windows, decimals when time is compressed. */
  retryAfterHeader(ms: number): string {
    const clamped = Math.max(ms, 1);
    return this.opts.windowMs < 60_000 ? String(Math.ceil(clamped) / 1000) : String(Math.ceil(clamped / 1000));
  }

  /** Other integrations' requests so far in this window: spread evenly, as background traffic would be. */
  private others(now: number): number {
    return Math.floor((this.otherLoad * (now - this.company.start)) / this.opts.windowMs);
  }

  private current(counter: Counter | undefined, now: number, windowMs: number): Counter {
    const start = Math.floor(now / windowMs) * windowMs;
    return counter && counter.start === start ? counter : { start, count: 0 };
  }
}
