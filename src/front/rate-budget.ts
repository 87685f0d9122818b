// How many requests per window we should aim for, and when to hold, from Front's x-ratelimit-*
// headers.
//
// Front documents a limit per minute shared by every token and integration of the company, and the
// headers; not the algorithm behind them (fixed windows, a sliding log, a sliding window, a token
// bucket all fit). So the budget relies only on what the headers prove under every one of them,
// and on a model only once the headers confirm it:
// - others: `limit - remaining` is what the limiter counts now, and under each of those algorithms
//   it counts at most the last window's requests; minus our own answers of the last window, the
//   rest is a lower bound on what others use per window. Target `share * (limit - others)`.
// - fixed windows: when the reset stays put while time passes, it is a real window end. Then our
//   own requests since the window began are known exactly, others' use so far is exact, and it is
//   projected over the whole window so the window never runs dry (the previous window's figure
//   holds while the new one is young).
// - holding: only when the headers say nothing is left. Until a reset that the model predicts
//   (fixed), after which we check that it came: if it did not, the model is wrong, and from then on
//   the budget paces by `remaining` alone. Otherwise briefly (one slot's time, doubling while
//   nothing is left), because under sliding limits a slot frees long before the reported reset.
// A reset further away than a window and a half means a longer period: the remaining requests are
// spread until then, and nothing is inferred about others per window.

import type { RateLimitSnapshot } from './rate-headers.js';
import { itemAt } from '../shared/item-at.js';

/** Fraction of a fixed window after which its own projection of others' use is trusted. */
const TRUSTED_FRACTION = 0.2;
/** Resets this close (fraction of a window) are the same reset. */
const SAME_RESET = 0.02;
/** A reset that stays put this long (fraction of a window) marks fixed windows. */
const STABLE_FOR = 0.05;
/** Brief holds never exceed this fraction of a window. */
const MAX_DRIP = 0.25;

export interface RateBudgetOptions {
  /** floor(rpm * share): the most we target whatever Front says. */
  configured: number;
  share: number;
  windowMs: number;
}

export interface Observation {
  snapshot: RateLimitSnapshot;
  /** Our other requests still unanswered: the server may already have counted them. */
  inFlight: number;
  /**
   * A 429. Whether Front counts refused requests against the window is not documented; not
   * counting it as ours can only make others look busier, the safe direction.
   */
  refused?: boolean;
  /** Front's clock minus ours (from Date headers), to place the reset on our clock. */
  offsetMs?: number;
  /**
   * Our clock: when the request went out (default: when its answer came). Only an answer to a
   * request sent after a predicted reset can show that the reset did not come: one sent before
   * it and answered late was counted in the old window.
   */
  sentAt?: number;
}

export interface Hold {
  /** Our clock, ms. */
  until: number;
  reason: string;
}

export type LimiterReading = 'unknown' | 'fixed' | 'moving';

interface SeenReset {
  /** Front's clock. */
  resetAt: number;
  /** Our clock: when this reset was first reported. */
  firstSeen: number;
}

export class RateBudget {
  private limit: number | null = null;
  /** Our answers (our clock) within the last window, oldest first. */
  private readonly answered: number[] = [];
  private reading: LimiterReading = 'unknown';
  private seen: SeenReset | null = null;
  private others = 0;
  private othersBefore = 0;
  /** Cap that keeps the rest of the current window (or longer period) from running dry. */
  private dry: { perWindow: number; until: number } | null = null;
  private awaiting: { until: number; remaining: number } | null = null;
  private resetDistrusted = false;
  private drips = 0;
  /** Said once, when a predicted reset did not come. */
  private notes: string[] = [];

  constructor(private readonly opts: RateBudgetOptions) {}

  /** Learns from one answer's headers; returns a hold for every request, or null. */
  observe({ snapshot, inFlight, refused = false, offsetMs = 0, sentAt }: Observation): Hold | null {
    const { windowMs } = this.opts;
    const now = snapshot.observedAt;
    this.limit = snapshot.limit;
    if (!refused) this.answered.push(now);
    while (this.answered.length > 0 && itemAt(this.answered, 0) <= now - windowMs) this.answered.shift();
    const resetLocal = snapshot.resetAt - offsetMs;
    const untilReset = resetLocal - now;
    const used = snapshot.limit - snapshot.remaining;

    this.checkAwaitedReset(sentAt ?? now, snapshot.remaining);
    const longPeriod = untilReset > windowMs * 1.5;
    if (!longPeriod) this.read(snapshot.resetAt, now);

    if (this.reading === 'fixed' && untilReset >= 0) {
      const elapsed = Math.min(1, Math.max(0, 1 - untilReset / windowMs));
      const windowStart = resetLocal - windowMs;
      const ours = this.answered.filter((at) => at >= windowStart).length;
      const soFar = Math.max(0, used - ours - inFlight);
      const projected = soFar / Math.max(elapsed, TRUSTED_FRACTION);
      this.others = elapsed < TRUSTED_FRACTION ? Math.max(this.othersBefore, projected) : projected;
      const left = untilReset / windowMs;
      const spendable = snapshot.remaining - this.others * left - inFlight;
      if (spendable < 1) {
        this.dry = null;
        this.awaiting = { until: resetLocal, remaining: snapshot.remaining };
        return {
          until: resetLocal,
          reason: `Front reports ${snapshot.remaining} of ${snapshot.limit} requests left in this window (others using ~${Math.round(this.others)}); waiting for its reset`,
        };
      }
      this.dry = { perWindow: Math.floor(spendable / Math.max(left, 1e-3)), until: resetLocal };
      this.drips = 0;
      return null;
    }

    this.others = longPeriod ? 0 : Math.max(0, used - this.answered.length - inFlight);
    this.dry = longPeriod ? { perWindow: Math.floor(Math.max(1, snapshot.remaining - inFlight) / (untilReset / windowMs)), until: resetLocal } : null;
    if (snapshot.remaining - inFlight >= 1) {
      this.drips = 0;
      return null;
    }
    // Nothing left: a slot frees within one slot's time at the full rate under a sliding log or
    // a token bucket; doubling while it does not.
    const drip = Math.min((windowMs / snapshot.limit) * 2 ** this.drips++, windowMs * MAX_DRIP);
    const trustReset = !this.resetDistrusted && untilReset > 0 && untilReset < drip;
    return {
      until: trustReset ? resetLocal : now + drip,
      reason: `Front reports ${snapshot.remaining} of ${snapshot.limit} requests left; waiting for a slot to free`,
    };
  }

  /** Requests per window to aim for now; never below 1, never above the configured figure. */
  target(now: number): number {
    const { configured, share } = this.opts;
    let target = configured;
    if (this.limit !== null) {
      target = Math.min(target, Math.floor(this.limit * share), Math.floor(share * (this.limit - this.others)));
    }
    if (this.dry && now < this.dry.until) target = Math.min(target, this.dry.perWindow);
    return Math.max(1, target);
  }

  /** What the headers say about others, for log lines. */
  othersPerWindow(): number {
    return Math.round(this.others);
  }

  /** How the limiter's headers read so far. */
  limiterReading(): LimiterReading {
    return this.reading;
  }

  /** Lines worth telling the user once (a model the headers disproved), each returned once. */
  takeNotes(): string[] {
    const notes = this.notes;
    this.notes = [];
    return notes;
  }

  /** Fixed windows while the reported reset stays put and then moves on by one window. */
  private read(resetAt: number, now: number): void {
    const { windowMs } = this.opts;
    const tolerance = windowMs * SAME_RESET;
    const seen = this.seen;
    if (!seen || this.resetDistrusted) {
      this.seen = { resetAt, firstSeen: now };
      if (this.resetDistrusted) this.reading = 'moving';
      return;
    }
    if (Math.abs(resetAt - seen.resetAt) <= tolerance) {
      if (this.reading === 'unknown' && now - seen.firstSeen >= windowMs * STABLE_FOR) this.reading = 'fixed';
      return;
    }
    const nextWindow = Math.abs(resetAt - seen.resetAt - windowMs) <= tolerance || resetAt - seen.resetAt > windowMs * 1.5;
    if (!nextWindow) {
      this.reading = 'moving';
    } else if (this.reading === 'fixed') {
      this.othersBefore = this.others;
    }
    // A roll-over to the next window before the reset was seen to stay put is what fixed windows
    // do too: no evidence either way (a run whose first answers came close together at a window's
    // end, or a busy machine that answered late, must not lose the model for the whole run).
    this.seen = { resetAt, firstSeen: now };
  }

  /** After a hold for a predicted reset: did `remaining` come back? If not, stop predicting. */
  private checkAwaitedReset(sentAt: number, remaining: number): void {
    const awaited = this.awaiting;
    if (!awaited || sentAt < awaited.until) return;
    this.awaiting = null;
    if (remaining > awaited.remaining) return;
    this.resetDistrusted = true;
    this.reading = 'moving';
    this.notes.push(`Front's rate window did not reset when its headers said (still ${remaining} left): pacing by x-ratelimit-remaining from now on`);
  }
}
