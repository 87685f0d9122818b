// The rate budget on an injected clock, under each way Front's limiter may count: what it targets
// and when it holds, from the headers alone.

import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/front/rate-budget.ts';

const WINDOW = 60_000;
const T0 = 1_700_000_000_000; // a window start
const budget = () => new RateBudget({ configured: 80, share: 0.8, windowMs: WINDOW });

/**
 * Fixed windows: our `count` answers spread over the 5 s before `at`, Front reporting `othersSoFar`
 * requests from elsewhere in the window. Returns the last hold asked for.
 */
function fixedAnswers(b: RateBudget, opts: { windowStart: number; at: number; count: number; othersSoFar: number; ours?: number; limit?: number }) {
  const limit = opts.limit ?? 100;
  let hold = null;
  for (let i = 1; i <= opts.count; i++) {
    const observedAt = opts.at - 5000 + (5000 * i) / opts.count;
    hold = b.observe({
      snapshot: { limit, remaining: limit - (opts.ours ?? 0) - i - opts.othersSoFar, resetAt: opts.windowStart + WINDOW, observedAt },
      inFlight: 0,
    });
  }
  return hold;
}

/** A limiter whose reset is always a window ahead (sliding window): one answer at `at`. */
function slidingAnswer(b: RateBudget, at: number, remaining: number, limit = 100) {
  return b.observe({ snapshot: { limit, remaining, resetAt: at + WINDOW, observedAt: at }, inFlight: 0 });
}

describe('RateBudget', () => {
  it('targets the configured figure until Front says otherwise', () => {
    expect(budget().target(T0)).toBe(80);
  });

  it('follows a lower limit from Front', () => {
    const b = budget();
    fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 1, othersSoFar: 0, limit: 50 });
    expect(b.target(T0 + 30_000)).toBe(40);
  });

  it('never goes above the configured figure when Front allows more', () => {
    const b = budget();
    fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 5, othersSoFar: 0, limit: 1000 });
    expect(b.target(T0 + 30_000)).toBe(80);
  });

  it('fixed windows: leaves room for others, keeps that estimate early in the next window, recovers once they stop', () => {
    const b = budget();
    // Halfway through the window others have used 25: about 50 per window. 80% of the other 50 is 40.
    fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 10, othersSoFar: 25 });
    expect(b.limiterReading()).toBe('fixed');
    expect(b.target(T0 + 30_000)).toBe(40);

    const next = T0 + WINDOW;
    fixedAnswers(b, { windowStart: next, at: next + 8_000, count: 2, othersSoFar: 0 });
    expect(b.target(next + 8_000)).toBe(40);

    fixedAnswers(b, { windowStart: next, at: next + 30_000, count: 5, othersSoFar: 0, ours: 2 });
    expect(b.target(next + 30_000)).toBe(80);
  });

  it('fixed windows: holds until the reset when the window is about to run dry', () => {
    const b = budget();
    const hold = fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 3, othersSoFar: 96 });
    expect(hold?.until).toBe(T0 + WINDOW);
    expect(hold?.reason).toMatch(/1 of 100 requests left/);
  });

  it('a reset that does not come: says so once, and from then on holds only briefly', () => {
    const b = budget();
    const hold = fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 3, othersSoFar: 96 });
    expect(hold?.until).toBe(T0 + WINDOW);
    // After the hold: the same reset still reported, nothing came back.
    const after = b.observe({ snapshot: { limit: 100, remaining: 0, resetAt: T0 + WINDOW, observedAt: T0 + WINDOW + 10 }, inFlight: 0 });
    expect(b.takeNotes()).toEqual([expect.stringMatching(/did not reset when its headers said/)]);
    expect(b.takeNotes()).toEqual([]);
    expect(b.limiterReading()).toBe('moving');
    expect(after!.until - (T0 + WINDOW + 10)).toBe(WINDOW / 100);
  });

  it('fixed windows first seen only briefly before the roll-over: still read as fixed once a reset stays put', () => {
    const b = budget();
    const answer = (at: number) => b.observe({ snapshot: { limit: 100, remaining: 90, resetAt: Math.floor((at - T0) / WINDOW) * WINDOW + T0 + WINDOW, observedAt: at }, inFlight: 0 });
    // Two answers 0.5 s apart at a window's end: too close together to show the reset stays put.
    answer(T0 + 59_000);
    answer(T0 + 59_500);
    expect(b.limiterReading()).toBe('unknown');
    // The next one is in the next window: its reset is one window later, as fixed windows report.
    answer(T0 + WINDOW + 1_000);
    expect(b.limiterReading()).toBe('unknown');
    answer(T0 + WINDOW + 5_000);
    expect(b.limiterReading()).toBe('fixed');
    // A reset that moved by anything but a window is a moving limiter.
    b.observe({ snapshot: { limit: 100, remaining: 90, resetAt: T0 + 2 * WINDOW + 7_000, observedAt: T0 + WINDOW + 7_000 }, inFlight: 0 });
    expect(b.limiterReading()).toBe('moving');
  });

  it('an answer sent before the predicted reset and received after it proves nothing: the reset is judged by the next one sent', () => {
    const b = budget();
    const hold = fixedAnswers(b, { windowStart: T0, at: T0 + 30_000, count: 3, othersSoFar: 96 });
    expect(hold?.until).toBe(T0 + WINDOW);
    // In flight through the hold (a slow network, a busy machine): counted in the old window.
    b.observe({ snapshot: { limit: 100, remaining: 0, resetAt: T0 + WINDOW, observedAt: T0 + WINDOW + 10 }, inFlight: 0, sentAt: T0 + WINDOW - 50 });
    expect(b.takeNotes()).toEqual([]);
    expect(b.limiterReading()).toBe('fixed');
    // The first one sent after the reset finds the new window: the model holds.
    b.observe({ snapshot: { limit: 100, remaining: 98, resetAt: T0 + 2 * WINDOW, observedAt: T0 + WINDOW + 30 }, inFlight: 0, sentAt: T0 + WINDOW + 20 });
    expect(b.takeNotes()).toEqual([]);
    expect(b.limiterReading()).toBe('fixed');
    // Had it found the old window's count, the model would have been dropped.
    const other = budget();
    fixedAnswers(other, { windowStart: T0, at: T0 + 30_000, count: 3, othersSoFar: 96 });
    other.observe({ snapshot: { limit: 100, remaining: 0, resetAt: T0 + WINDOW, observedAt: T0 + WINDOW + 30 }, inFlight: 0, sentAt: T0 + WINDOW + 20 });
    expect(other.limiterReading()).toBe('moving');
  });

  it('sliding window, reset always a window ahead, 99 remaining: never holds, keeps the configured pace', () => {
    const b = budget();
    for (let i = 0; i < 200; i++) {
      expect(slidingAnswer(b, T0 + i * 750, 99)).toBeNull();
      expect(b.target(T0 + i * 750)).toBe(80);
    }
    expect(b.limiterReading()).toBe('moving');
  });

  it('limit 6000 with 5000 remaining: what is left is far more than we use, so the configured pace holds', () => {
    const b = budget();
    for (let i = 0; i < 200; i++) expect(slidingAnswer(b, T0 + i * 750, 5000, 6000)).toBeNull();
    expect(b.target(T0 + 200 * 750)).toBe(80);
  });

  it('sliding limits: others proven by the headers are left their room', () => {
    const b = budget();
    // 80 of ours in the last window and 40 more counted: others use at least 40 per window.
    for (let i = 0; i < 80; i++) slidingAnswer(b, T0 + i * 750, 100 - (i + 1) - 40);
    expect(b.othersPerWindow()).toBe(40);
    expect(b.target(T0 + 80 * 750)).toBe(Math.floor(0.8 * 60));
  });

  it('sliding limits: nothing left means a brief hold (one slot at the full rate), doubling while nothing frees', () => {
    const b = budget();
    slidingAnswer(b, T0, 50);
    const first = slidingAnswer(b, T0 + 1000, 0)!;
    expect(first.until - (T0 + 1000)).toBe(WINDOW / 100);
    const second = slidingAnswer(b, T0 + 2000, 0)!;
    expect(second.until - (T0 + 2000)).toBe((2 * WINDOW) / 100);
    expect(slidingAnswer(b, T0 + 3000, 3)).toBeNull();
    expect(slidingAnswer(b, T0 + 4000, 0)!.until - (T0 + 4000)).toBe(WINDOW / 100);
  });

  it('does not mistake our own unanswered requests for others', () => {
    const b = budget();
    // Front already counted our 3 requests still in flight.
    b.observe({ snapshot: { limit: 100, remaining: 100 - 1 - 3, resetAt: T0 + WINDOW, observedAt: T0 + 30_000 }, inFlight: 3 });
    expect(b.target(T0 + 30_000)).toBe(80);
  });

  it('a reset further than a window and a half away: a longer period, whose remaining requests are spread until then', () => {
    const b = budget();
    b.observe({ snapshot: { limit: 1000, remaining: 100, resetAt: T0 + 10 * WINDOW, observedAt: T0 }, inFlight: 0 });
    expect(b.othersPerWindow()).toBe(0);
    expect(b.target(T0)).toBe(10);
  });

  it('places the reset on our clock when Front runs ten minutes ahead', () => {
    const b = budget();
    const skew = 600_000;
    let hold = null;
    for (let i = 1; i <= 3; i++) {
      hold = b.observe({
        snapshot: { limit: 100, remaining: 100 - 96 - i, resetAt: T0 + skew + WINDOW, observedAt: T0 + 25_000 + i * 2000 },
        inFlight: 0,
        offsetMs: skew,
      });
    }
    expect(hold?.until).toBe(T0 + WINDOW);
  });
});
