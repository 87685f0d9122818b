// Front's rate limits as the sandbox enforces them: a company-wide budget per window shared by all
// tokens (and by "other integrations"), under one of several limiter models (company-limit.ts),
// search at 40% of it on its own fixed-window counter, and a burst limit of 5 requests per second
// per resource. 429s cost nothing.

import { companyLimit, type CompanyLimit } from './company-limit.js';
import type { LimiterModel } from './limiter-models.js';

export const BURST_PER_SECOND = 5;
export const SEARCH_SHARE = 0.4;
/** Front labels per-resource limits with a tier; the sandbox's burst limit is tier 2. */
export const BURST_TIER = 2;

/** How a 429 says when to come back: seconds (Front's usual), an HTTP date, or not at all. */
export const RETRY_AFTER_FORMATS = ['seconds', 'http-date', 'none'] as const;
export type RetryAfterFormat = (typeof RETRY_AFTER_FORMATS)[number];

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  /** The sandbox's (Front's) clock. */
  now: () => number;
  model?: LimiterModel;
}

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; tier: number | null; scope: 'company' | 'search' | 'burst' };

interface Counter {
  start: number;
  count: number;
}

export class RateLimiter {
  private company: CompanyLimit;
  private search: Counter = { start: 0, count: 0 };
  private readonly bursts = new Map<string, Counter>();
  private otherLoad = 0;
  private retryAfterFormat: RetryAfterFormat = 'seconds';
  private readonly burstMs: number;

  constructor(private readonly opts: RateLimitOptions) {
    this.burstMs = (1000 * opts.windowMs) / 60_000;
    this.company = this.build(opts.model ?? 'fixed');
  }

  setOtherLoad(requestsPerWindow: number): void {
    this.otherLoad = Math.max(0, requestsPerWindow);
  }

  /** Starts the company budget afresh under another model. */
  setModel(model: LimiterModel): void {
    this.company = this.build(model);
  }

  setRetryAfterFormat(format: RetryAfterFormat): void {
    this.retryAfterFormat = format;
  }

  /** Counts the request when it is allowed; a refused one leaves every counter as it was. */
  take(resource: string, isSearch: boolean): RateDecision {
    const now = this.opts.now();
    const windowEnd = Math.floor(now / this.opts.windowMs) * this.opts.windowMs + this.opts.windowMs;
    const companyWait = this.company.wait(now);
    if (companyWait !== null) return { allowed: false, retryAfterMs: companyWait, tier: null, scope: 'company' };
    this.search = this.current(this.search, now, this.opts.windowMs);
    if (isSearch && this.search.count >= Math.floor(this.opts.limit * SEARCH_SHARE)) {
      return { allowed: false, retryAfterMs: windowEnd - now, tier: null, scope: 'search' };
    }
    const burst = this.current(this.bursts.get(resource), now, this.burstMs);
    this.bursts.set(resource, burst);
    if (burst.count >= BURST_PER_SECOND) {
      return { allowed: false, retryAfterMs: burst.start + this.burstMs - now, tier: BURST_TIER, scope: 'burst' };
    }
    this.company.count(now);
    burst.count++;
    if (isSearch) this.search.count++;
    return { allowed: true };
  }

  /** The x-ratelimit-* headers as of now. */
  headers(): Record<string, string> {
    const now = this.opts.now();
    return {
      'x-ratelimit-limit': String(this.opts.limit),
      'x-ratelimit-remaining': String(this.company.remaining(now)),
      'x-ratelimit-reset': String(Math.round(this.company.resetAt(now)) / 1000),
    };
  }

  /**
   * The retry-after header for a wait, or null when the format leaves it out. Seconds as Front
   * writes them: whole for real windows, decimals when time is compressed; a date is on the
   * sandbox's clock, rounded up to the second.
   */
  retryAfterHeader(ms: number): string | null {
    const clamped = Math.max(ms, 1);
    switch (this.retryAfterFormat) {
      case 'none':
        return null;
      case 'http-date':
        return new Date(Math.ceil((this.opts.now() + clamped) / 1000) * 1000).toUTCString();
      case 'seconds':
        return this.opts.windowMs < 60_000 ? String(Math.ceil(clamped) / 1000) : String(Math.ceil(clamped / 1000));
    }
  }

  private build(model: LimiterModel): CompanyLimit {
    return companyLimit(model, { limit: this.opts.limit, windowMs: this.opts.windowMs, others: () => this.otherLoad });
  }

  private current(counter: Counter | undefined, now: number, windowMs: number): Counter {
    const start = Math.floor(now / windowMs) * windowMs;
    return counter && counter.start === start ? counter : { start, count: 0 };
  }
}
