// How many requests per window we should aim for, learned from Front's x-ratelimit-* headers.
//
// The company's budget is shared by every token and integration. From each answer we know the
// limit, what is left of the window and when it resets; subtracting our own requests in the window
// leaves what others used. Projected over the whole window, that gives the target
// `share * (limit - others)`: others keep their room and the window is never run dry. Early in a
// window the projection is noisy, so the previous window's figure holds until enough of the new
// one has passed; when others stop, the estimate falls with the next window and we recover.

import type { RateLimitSnapshot } from './rate-headers.js';

/** Fraction of a window after which its own projection of others' use is trusted. */
const TRUSTED_FRACTION = 0.2;

export interface RateBudgetOptions {
  /** floor(rpm * share): the most we target whatever Front says. */
  configured: number;
  share: number;
  windowMs: number;
}

interface WindowState {
  resetAt: number;
  ours: number;
  /** Others' use projected over the whole window. */
  others: number;
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
}

export class RateBudget {
  private limit: number | null = null;
  private window: WindowState | null = null;
  private othersBefore = 0;
  /** Cap that keeps the rest of the current window from running dry, and when it lapses. */
  private dry: { perWindow: number; until: number } | null = null;

  constructor(private readonly opts: RateBudgetOptions) {}

  /** Learns from one answer's headers; returns a time to hold all requests until, or null. */
  observe({ snapshot, inFlight, refused = false }: Observation): number | null {
    const { windowMs } = this.opts;
    this.limit = snapshot.limit;
    const untilReset = snapshot.resetAt - snapshot.observedAt;
    // A reset in the past or further than a window away means clocks disagree or Front counts
    // differently than we model: keep the limit, learn nothing about others.
    if (untilReset < 0 || untilReset > windowMs * 1.5) return null;

    if (!this.window || snapshot.resetAt > this.window.resetAt + windowMs / 2) {
      if (this.window) this.othersBefore = this.window.others;
      this.window = { resetAt: snapshot.resetAt, ours: 0, others: this.othersBefore };
    }
    const w = this.window;
    if (!refused) w.ours++;
    const elapsed = 1 - untilReset / windowMs;
    const othersSoFar = Math.max(0, snapshot.limit - snapshot.remaining - w.ours - inFlight);
    const projected = othersSoFar / Math.max(elapsed, TRUSTED_FRACTION);
    w.others = elapsed < TRUSTED_FRACTION ? Math.max(this.othersBefore, projected) : projected;

    const left = untilReset / windowMs;
    const spendable = snapshot.remaining - w.others * left - inFlight;
    if (spendable < 1) {
      this.dry = null;
      return snapshot.resetAt;
    }
    this.dry = { perWindow: Math.floor(spendable / Math.max(left, 1e-3)), until: snapshot.resetAt };
    return null;
  }

  /** Requests per window to aim for now; never below 1, never above the configured figure. */
  target(now: number): number {
    const { configured, share } = this.opts;
    let target = configured;
    if (this.limit !== null) {
      target = Math.min(target, Math.floor(this.limit * share));
      if (this.window) target = Math.min(target, Math.floor(share * (this.limit - this.window.others)));
    }
    if (this.dry && now < this.dry.until) target = Math.min(target, this.dry.perWindow);
    return Math.max(1, target);
  }

  /** What the headers say about others, for log lines. */
  othersPerWindow(): number {
    return Math.round(this.window?.others ?? 0);
  }
}
