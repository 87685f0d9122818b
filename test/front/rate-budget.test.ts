import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/front/rate-budget.ts';

const WINDOW = 60_000;
const T0 = 1_700_000_000_000; // a window start
const budget = () => new RateBudget({ configured: 80, share: 0.8, windowMs: WINDOW });

/** Our `count` answers at `at`, Front reporting `othersSoFar` requests from elsewhere in the window. */
function answers(b: RateBudget, opts: { windowStart: number; at: number; count: number; othersSoFar: number; limit?: number }) {
  const limit = opts.limit ?? 100;
  let hold: number | null = null;
  for (let ours = 1; ours <= opts.count; ours++) {
    hold = b.observe({
      snapshot: { limit, remaining: limit - ours - opts.othersSoFar, resetAt: opts.windowStart + WINDOW, observedAt: opts.at },
      inFlight: 0,
    });
  }
  return hold;
}

describe('RateBudget', () => {
  it('targets the configured figure until Front says otherwise', () => {
    expect(budget().target(T0)).toBe(80);
  });

  it('follows a lower limit from Front', () => {
    const b = budget();
    answers(b, { windowStart: T0, at: T0 + 30_000, count: 1, othersSoFar: 0, limit: 50 });
    expect(b.target(T0 + 30_000)).toBe(40);
  });

  it('never goes above the configured figure when Front allows more', () => {
    const b = budget();
    answers(b, { windowStart: T0, at: T0 + 30_000, count: 5, othersSoFar: 0, limit: 1000 });
    expect(b.target(T0 + 30_000)).toBe(80);
  });

  it('leaves room for others, keeps that estimate early in the next window, recovers once they stop', () => {
    const b = budget();
    // Halfway through the window others have used 25: about 50 per window. 80% of the other 50 is 40.
    answers(b, { windowStart: T0, at: T0 + 30_000, count: 10, othersSoFar: 25 });
    expect(b.target(T0 + 30_000)).toBe(40);

    const next = T0 + WINDOW;
    answers(b, { windowStart: next, at: next + 3_000, count: 2, othersSoFar: 0 });
    expect(b.target(next + 3_000)).toBe(40);

    answers(b, { windowStart: next, at: next + 30_000, count: 5, othersSoFar: 0 });
    expect(b.target(next + 30_000)).toBe(80);
  });

  it('asks to hold until the reset when the window is about to run dry', () => {
    const b = budget();
    const hold = answers(b, { windowStart: T0, at: T0 + 30_000, count: 3, othersSoFar: 96 });
    expect(hold).toBe(T0 + WINDOW);
  });

  it('does not mistake our own unanswered requests for others', () => {
    const b = budget();
    // Front already counted our 3 requests still in flight.
    b.observe({ snapshot: { limit: 100, remaining: 100 - 1 - 3, resetAt: T0 + WINDOW, observedAt: T0 + 30_000 }, inFlight: 3 });
    expect(b.target(T0 + 30_000)).toBe(80);
  });

  it('learns nothing about others from a reset it cannot place in a window', () => {
    const b = budget();
    b.observe({ snapshot: { limit: 100, remaining: 10, resetAt: T0 + 10 * WINDOW, observedAt: T0 }, inFlight: 0 });
    expect(b.target(T0)).toBe(80);
  });
});
