// Spreads requests evenly over Front's rate window.
//
// p-throttle is the metronome: one tick every `windowMs / maxPerWindow`, queued in order, with no
// credit saved up while idle (so no burst after a pause). The one credit is a new pacer's: its first
// few requests go at once (see PacerOptions.startCredit). It cannot change its rate once built, nor
// react to what Front tells us, so three things sit on top of it:
// - cost: when the target drops below the metronome's rate (a lower limit from Front, others using
//   the company's budget), each request waits for `maxPerWindow / target` ticks on average, carried
//   as a fractional debt, which keeps the spacing even at the lower rate;
// - holds: after a 429 or when the window is about to run dry, every request waits until a time;
// - a burst guard: timers that fire late (a busy event loop) release queued ticks back to back, so
//   the last `burstPerSecond` send times are checked against the (scaled) burst window directly.
//   Front's burst limit is per resource and shared by every client of the company (listener
//   replicas, other integrations), which no header shows: a burst 429 halves our own burst
//   allowance, and each quiet stretch of RECOVER_BURST_WINDOWS gives one back (AIMD).

import pThrottle from 'p-throttle';
import type { Sleep } from '../shared/sleep.js';
import { itemAt } from '../shared/item-at.js';

/** Margin on the burst window: a request reaches Front a little later than we send it. */
const BURST_WINDOW_MARGIN = 1.05;

/** Burst windows (seconds, at Front's scale) without a burst 429 before the allowance grows by one again. */
const RECOVER_BURST_WINDOWS = 60;

/** The most requests per window the burst limit lets through, margin included. */
export function burstCapPerWindow(burstPerSecond: number): number {
  return Math.floor((burstPerSecond * 60) / BURST_WINDOW_MARGIN);
}

export interface PacerOptions {
  /** The metronome's rate: the most requests per window we ever target. */
  maxPerWindow: number;
  windowMs: number;
  burstPerSecond: number;
  clock: () => number;
  sleep: Sleep;
  signal?: AbortSignal;
  /**
   * Requests a new pacer grants at once besides its first (which the metronome grants at once
   * anyway); the burst guard still applies to them. Spacing them out only makes a short run wait:
   * an idle cron sync reads three pages, and spent 1.5 s of its 2 s waiting for two ticks, while
   * what the spacing protects (the window's budget, shared with others) is not touched by three.
   */
  startCredit?: number;
}

export class Pacer {
  private readonly tick: () => Promise<void>;
  private readonly burstWindowMs: number;
  private readonly sends: number[] = [];
  private debt = 0;
  private heldUntil = 0;
  private burstLimit: number;
  private burstChangedAt = -Infinity;
  private startCredit: number;

  constructor(private readonly opts: PacerOptions) {
    const signal = opts.signal?.aborted ? undefined : opts.signal;
    this.tick = pThrottle({ limit: 1, interval: opts.windowMs / opts.maxPerWindow, signal })(async () => {});
    this.burstWindowMs = ((1000 * opts.windowMs) / 60_000) * BURST_WINDOW_MARGIN;
    this.burstLimit = opts.burstPerSecond;
    this.startCredit = opts.startCredit ?? 0;
  }

  /** Front refused a request on its burst limit: others share it, so take half of what we took. */
  narrowBurst(): void {
    this.burstLimit = Math.max(1, Math.ceil(this.burstLimit / 2));
    this.burstChangedAt = this.opts.clock();
  }

  /** Holds every request (queued or future) until `at`, e.g. the end of a 429's retry-after. */
  holdUntil(at: number): void {
    this.heldUntil = Math.max(this.heldUntil, at);
  }

  /** Resolves when one request at `targetPerWindow` may be sent. */
  async acquire(targetPerWindow: number): Promise<void> {
    this.opts.signal?.throwIfAborted();
    await this.waitForHold();
    this.debt += this.opts.maxPerWindow / Math.min(Math.max(targetPerWindow, 1), this.opts.maxPerWindow);
    const ticks = Math.floor(this.debt + 1e-9);
    this.debt -= ticks;
    const free = Math.min(ticks, this.startCredit);
    this.startCredit -= free;
    await Promise.all(Array.from({ length: ticks - free }, () => this.tick()));
    await this.waitForHold();
    await this.waitForBurstRoom();
  }

  private async waitForHold(): Promise<void> {
    for (let now = this.opts.clock(); now < this.heldUntil; now = this.opts.clock()) {
      await this.opts.sleep(this.heldUntil - now, this.opts.signal);
    }
  }

  /** Checks and records in one synchronous step, so concurrent callers cannot both slip through. */
  private async waitForBurstRoom(): Promise<void> {
    for (;;) {
      const now = this.opts.clock();
      if (this.burstLimit < this.opts.burstPerSecond && now - this.burstChangedAt >= RECOVER_BURST_WINDOWS * this.burstWindowMs) {
        this.burstLimit++;
        this.burstChangedAt = now;
      }
      const limit = this.burstLimit;
      const oldest = this.sends.length >= limit ? itemAt(this.sends, this.sends.length - limit) : -Infinity;
      const wait = oldest + this.burstWindowMs - now;
      if (wait <= 0) {
        this.sends.push(now);
        if (this.sends.length > limit) this.sends.splice(0, this.sends.length - limit);
        return;
      }
      await this.opts.sleep(wait, this.opts.signal);
    }
  }
}
