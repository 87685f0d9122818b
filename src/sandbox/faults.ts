// Fault injection. Random faults draw from a stream seeded like the workspace, so the same seed and
// the same request sequence fail the same way; one-shot rules (failNext, throttleNext) come first.

import { didYouMean } from '../shared/did-you-mean.js';
import { UsageError } from '../errors.js';
import { type Random, seededRandom } from './random.js';
import type { FailKind, FailNextRule, FaultSettings } from './types.js';
import { itemAt } from '../shared/item-at.js';

export const DEFAULT_FAULTS: FaultSettings = {
  errorRate: 0,
  latencyMs: 0,
  resetRate: 0,
  malformedRate: 0,
  hangRate: 0,
  hangMs: 10_000,
};

const ERROR_STATUSES = [500, 502, 503] as const;

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'malformed' }
  | { kind: 'no-pagination' }
  | { kind: 'hang'; ms: number }
  | { kind: 'throttle'; retryAfterSeconds: number };

/** A misspelt key in a control call would otherwise switch nothing on, silently. */
export function refuseUnknownKeys(method: string, value: object | undefined, known: readonly string[]): void {
  for (const key of Object.keys(value ?? {})) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known, 1);
    throw new UsageError(`${method}: unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})${hint ? `. ${hint}` : ''}`);
  }
}

/** Copies the defined values only, so `{errorRate: undefined}` from unset flags changes nothing. */
export function mergeFaults(base: FaultSettings, patch: Partial<FaultSettings> | undefined): FaultSettings {
  const merged = { ...base };
  refuseUnknownKeys('setFaults', patch, Object.keys(DEFAULT_FAULTS));
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof FaultSettings)[]) {
    const value = patch?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`fault ${key} must be a number >= 0`);
    }
    if (key.endsWith('Rate') && value > 1) throw new UsageError(`fault ${key} must be a fraction between 0 and 1`);
    merged[key] = value;
  }
  return merged;
}

export class FaultInjector {
  settings: FaultSettings;
  private readonly rng: Random;
  private readonly failRules: FailNextRule[] = [];
  private throttles: { count: number; retryAfterSeconds: number } | null = null;
  /** While set, API requests (but GET /me) wait here for releaseRequests(): see holdRequests. */
  private held: { promise: Promise<void>; release: () => void } | null = null;

  constructor(seed: number | string, initial: Partial<FaultSettings> | undefined) {
    this.rng = seededRandom(seed, 'faults');
    this.settings = mergeFaults(DEFAULT_FAULTS, initial);
  }

  set(patch: Partial<FaultSettings>): void {
    this.settings = mergeFaults(this.settings, patch);
  }

  failNext(rule: FailNextRule): void {
    refuseUnknownKeys('failNext', rule, ['count', 'path', 'kind', 'status']);
    if (!Number.isInteger(rule.count) || rule.count < 1) throw new UsageError('failNext: count must be a whole number >= 1');
    this.failRules.push({ ...rule });
  }

  /** Back to no faults at all: settings, one-shot rules and throttles; held requests go on. */
  clear(): void {
    this.settings = { ...DEFAULT_FAULTS };
    this.failRules.length = 0;
    this.throttles = null;
    this.releaseRequests();
  }

  /**
   * From now on every API request but `/me` (a run's first, the company check) waits unanswered
   * until releaseRequests(): a run stands still at a known point, past its start, for as long as a
   * test needs (another process started beside it, a kill), where a latency would only make that
   * likely.
   */
  holdRequests(): void {
    if (this.held) return;
    let release: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held = { promise, release };
  }

  releaseRequests(): void {
    this.held?.release();
    this.held = null;
  }

  /** Resolves when this request may be answered. */
  gate(path: string): Promise<void> | null {
    return this.held && path !== '/me' ? this.held.promise : null;
  }

  throttleNext(opts: { count: number; retryAfterSeconds: number }): void {
    refuseUnknownKeys('throttleNext', opts, ['count', 'retryAfterSeconds']);
    if (!Number.isInteger(opts.count) || opts.count < 1) throw new UsageError('throttleNext: count must be a whole number >= 1');
    this.throttles = { ...opts };
  }

  /** A one-shot fault aimed at this request, consuming it. */
  oneShot(path: string, template: string | null): Fault | null {
    const rule = this.failRules.find((r) => r.path === undefined || path.includes(r.path) || r.path === template);
    if (rule) {
      if (--rule.count === 0) this.failRules.splice(this.failRules.indexOf(rule), 1);
      return this.faultOf(rule.kind ?? 'status', rule.status ?? 500);
    }
    if (this.throttles) {
      const { retryAfterSeconds } = this.throttles;
      if (--this.throttles.count === 0) this.throttles = null;
      return { kind: 'throttle', retryAfterSeconds };
    }
    return null;
  }

  /** Two draws per request whatever the settings, so the pattern depends only on the request count. */
  random(): Fault | null {
    const s = this.settings;
    const r = this.rng.next();
    const status = itemAt(ERROR_STATUSES, Math.floor(this.rng.next() * ERROR_STATUSES.length));
    // Each fault owns the next slice of [0, 1) after the ones before it.
    let edge = s.resetRate;
    if (r < edge) return { kind: 'reset' };
    edge += s.hangRate;
    if (r < edge) return { kind: 'hang', ms: s.hangMs };
    edge += s.errorRate;
    if (r < edge) return { kind: 'status', status };
    edge += s.malformedRate;
    if (r < edge) return { kind: 'malformed' };
    return null;
  }

  private faultOf(kind: FailKind, status: number): Fault {
    switch (kind) {
      case 'status':
        return { kind, status };
      case 'reset':
      case 'malformed':
      case 'no-pagination':
        return { kind };
      case 'hang':
        return { kind, ms: this.settings.hangMs };
    }
  }
}
