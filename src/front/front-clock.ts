// Front's clock as its answers' Date headers show it. Event times and rate-limit resets are on
// Front's clock, which may differ from ours by minutes; the cursor of the next sync and the wait
// for a reset must be on Front's.
//
// A Date header has whole seconds, and the moment it was written lies between our send and our
// receipt, so each answer bounds the offset (Front minus ours) from both sides; the bounds tighten
// over answers. The lower bound is the one to use for a cursor: Front's clock had certainly reached
// `ours + lower` by then.

import type { Headers } from './rate-headers.js';

/** Offsets within the headers' resolution plus this much read as "the clocks agree". */
const AGREE_MARGIN_MS = 250;

export class FrontClock {
  private lower: number | null = null;
  private upper: number | null = null;

  /** Learns from one answer: `sentAt` and `receivedAt` on our clock. */
  observe(headers: Headers, sentAt: number, receivedAt: number): void {
    const raw = headers.date;
    const text = Array.isArray(raw) ? raw[0] : raw;
    const date = text ? Date.parse(text) : NaN;
    if (!Number.isFinite(date)) return;
    const low = date - receivedAt;
    const high = date + 1000 - sentAt;
    // Bounds that no longer overlap mean one clock jumped: start again from this answer.
    if (this.lower === null || this.upper === null || low > this.upper || high < this.lower) {
      this.lower = low;
      this.upper = high;
      return;
    }
    this.lower = Math.max(this.lower, low);
    this.upper = Math.min(this.upper, high);
  }

  /** Front's clock minus ours, a lower bound; null before any answer with a Date header. */
  offsetMs(): number | null {
    return this.lower;
  }

  /** Front's time at `localMs`, never later than it was; null when no Date header was seen. */
  frontTime(localMs: number): number | null {
    return this.lower === null ? null : localMs + this.lower;
  }

  /**
   * The offset to place Front's reset times on our clock: the bounds' midpoint when they show the
   * clocks differ, else 0 (a second's uncertainty would only blur compressed windows).
   */
  resetOffsetMs(): number {
    if (this.lower === null || this.upper === null) return 0;
    const mid = (this.lower + this.upper) / 2;
    return Math.abs(mid) <= (this.upper - this.lower) / 2 + AGREE_MARGIN_MS ? 0 : mid;
  }
}
