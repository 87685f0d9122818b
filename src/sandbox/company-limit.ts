// The company-wide budget as four rate-limiter models. Front documents a limit per minute and the
// x-ratelimit-* headers, not the algorithm behind them, so the sandbox can play each common one and
// the client must pace well under all of them:
// - fixed:          windows aligned to the clock; `reset` is the window's end and does arrive.
// - sliding-log:    every request counts for exactly one window after it; `reset` is when the
//                   oldest counted request expires (one slot frees, not the whole budget).
// - sliding-window: the weighted two-window approximation (previous window's count scaled by how
//                   much of it still overlaps); `remaining` stays steady under a steady load and
//                   `reset` is always a full window ahead: a reset that never arrives.
// - token-bucket:   the budget refills continuously at limit per window up to limit; `reset` is
//                   when the bucket would be full again.
// Other integrations' load is background traffic spread evenly over time in every model.

import type { LimiterModel } from './limiter-models.js';
import { itemAt } from '../shared/item-at.js';

export interface CompanyLimit {
  /** How long until the budget allows one more request; null when it does now. */
  wait(now: number): number | null;
  /** Counts one request (after wait() said null). */
  count(now: number): void;
  remaining(now: number): number;
  /** Epoch ms the headers report as the reset. */
  resetAt(now: number): number;
}

export interface CompanyLimitOptions {
  limit: number;
  windowMs: number;
  /** Other integrations' requests per window. */
  others: () => number;
}

export function companyLimit(model: LimiterModel, opts: CompanyLimitOptions): CompanyLimit {
  switch (model) {
    case 'fixed':
      return fixedWindow(opts);
    case 'sliding-log':
      return slidingLog(opts);
    case 'sliding-window':
      return slidingWindow(opts);
    case 'token-bucket':
      return tokenBucket(opts);
  }
}

function fixedWindow({ limit, windowMs, others }: CompanyLimitOptions): CompanyLimit {
  let start = 0;
  let count = 0;
  const roll = (now: number) => {
    const current = Math.floor(now / windowMs) * windowMs;
    if (current !== start) {
      start = current;
      count = 0;
    }
  };
  const used = (now: number) => count + Math.floor((others() * (now - start)) / windowMs);
  return {
    wait(now) {
      roll(now);
      return used(now) >= limit ? start + windowMs - now : null;
    },
    count(now) {
      roll(now);
      count++;
    },
    remaining(now) {
      roll(now);
      return Math.max(0, limit - used(now));
    },
    resetAt(now) {
      roll(now);
      return start + windowMs;
    },
  };
}

function slidingLog({ limit, windowMs, others }: CompanyLimitOptions): CompanyLimit {
  const log: number[] = [];
  const prune = (now: number) => {
    let drop = 0;
    while (drop < log.length && itemAt(log, drop) <= now - windowMs) drop++;
    if (drop > 0) log.splice(0, drop);
  };
  const used = (now: number) => {
    prune(now);
    return log.length + Math.floor(others());
  };
  return {
    wait: (now) => (used(now) >= limit ? Math.max(1, (log[0] ?? now) + windowMs - now) : null),
    count: (now) => void log.push(now),
    remaining: (now) => Math.max(0, limit - used(now)),
    resetAt: (now) => {
      prune(now);
      return (log[0] ?? now) + windowMs;
    },
  };
}

function slidingWindow({ limit, windowMs, others }: CompanyLimitOptions): CompanyLimit {
  let start = 0;
  let previous = 0;
  let current = 0;
  const roll = (now: number) => {
    const aligned = Math.floor(now / windowMs) * windowMs;
    if (aligned === start) return;
    previous = aligned - start === windowMs ? current : 0;
    current = 0;
    start = aligned;
  };
  const used = (now: number) => {
    roll(now);
    const overlap = 1 - (now - start) / windowMs;
    return previous * overlap + current + others();
  };
  return {
    wait(now) {
      const u = used(now);
      if (u + 1 <= limit) return null;
      // The weighted count falls by `previous / windowMs` per ms; without a previous window it
      // only falls when this one ends.
      const perMs = previous / windowMs;
      const wait = perMs > 0 ? (u + 1 - limit) / perMs : start + windowMs - now;
      return Math.max(1, Math.min(wait, start + windowMs - now));
    },
    count(now) {
      roll(now);
      current++;
    },
    remaining: (now) => Math.max(0, Math.floor(limit - used(now))),
    resetAt: (now) => now + windowMs,
  };
}

function tokenBucket({ limit, windowMs, others }: CompanyLimitOptions): CompanyLimit {
  let tokens = limit;
  let at: number | null = null;
  const refill = (now: number) => {
    if (at !== null && now > at) tokens = Math.min(limit, tokens + ((limit - others()) * (now - at)) / windowMs);
    at = now;
  };
  const perMs = () => Math.max(1e-9, (limit - others()) / windowMs);
  return {
    wait(now) {
      refill(now);
      return tokens < 1 ? Math.max(1, (1 - tokens) / perMs()) : null;
    },
    count(now) {
      refill(now);
      tokens -= 1;
    },
    remaining: (now) => {
      refill(now);
      return Math.max(0, Math.floor(tokens));
    },
    resetAt: (now) => {
      refill(now);
      return now + (limit - tokens) / perMs();
    },
  };
}
