// The company budget under each limiter model, on an injected clock: what the headers say and when
// a 429 comes, as a client pacing itself would meet them.

import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { LimiterModel, SandboxHandle } from '../../src/sandbox/types.ts';
import { apiGet } from '../helpers/sandbox.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
/** starter: 50 per 60 s window; requests are 300 ms apart, under the burst limit. */
const STEP = 300;

describe('limiter models', () => {
  let sandbox: SandboxHandle | null = null;
  let now = T0;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
  const start = async (limiter: LimiterModel) => {
    now = T0;
    sandbox = await startSandbox({ conversations: 5, plan: 'starter', limiter, now: () => now });
    return sandbox;
  };
  const headers = (a: { headers: Headers }) => ({
    remaining: Number(a.headers.get('x-ratelimit-remaining')),
    resetIn: Number(a.headers.get('x-ratelimit-reset')) * 1000 - now,
  });
  /** Sends `n` requests STEP ms apart; returns the statuses. */
  const send = async (s: SandboxHandle, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      now += STEP;
      statuses.push((await apiGet(s, '/me')).status);
    }
    return statuses;
  };

  it('sliding-window: remaining stays steady under a steady load and the reset is always a window ahead', async () => {
    const s = await start('sliding-window');
    // 1 request per 1.5 s = 40 of the 50 per window.
    const seen: { remaining: number; resetIn: number }[] = [];
    for (let i = 0; i < 150; i++) {
      now += 1500;
      const a = await apiGet(s, '/me');
      expect(a.status, `request ${i}`).toBe(200);
      seen.push(headers(a));
    }
    expect(new Set(seen.map((h) => h.resetIn))).toEqual(new Set([60_000]));
    const late = seen.slice(60).map((h) => h.remaining);
    expect(Math.max(...late) - Math.min(...late)).toBeLessThanOrEqual(1);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(9);
  });

  it('sliding-log: a request counts for exactly one window; the reset is when the oldest expires', async () => {
    const s = await start('sliding-log');
    expect((await send(s, 50)).every((x) => x === 200)).toBe(true);
    now += STEP;
    const refused = await apiGet(s, '/me');
    expect(refused.status).toBe(429);
    // The first request went at T0 + 300: one slot frees at T0 + 60,300.
    expect(Number(refused.headers.get('retry-after')) * 1000).toBe(Math.ceil((T0 + STEP + 60_000 - now) / 1000) * 1000);
    expect(headers(refused).resetIn).toBe(T0 + STEP + 60_000 - now);
    now = T0 + STEP + 60_000;
    const freed = await apiGet(s, '/me');
    expect(freed.status).toBe(200);
    expect(headers(freed).remaining).toBe(0);
  });

  it('token-bucket: refills continuously, about one request per 1.2 s once empty', async () => {
    const s = await start('token-bucket');
    expect((await send(s, 50)).every((x) => x === 200)).toBe(true);
    const statuses = await send(s, 40);
    // 40 x 300 ms = 12 s of refill: about 10 tokens (plus what refilled during the first 50).
    const allowed = statuses.filter((x) => x === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThanOrEqual(24);
    expect(statuses).toContain(429);
  });

  it('fixed: the window resets at its aligned end, as before', async () => {
    const s = await start('fixed');
    await send(s, 50);
    now += STEP;
    expect((await apiGet(s, '/me')).status).toBe(429);
    now = T0 + 60_000;
    const after = await apiGet(s, '/me');
    expect(after.status).toBe(200);
    expect(headers(after)).toEqual({ remaining: 49, resetIn: 60_000 });
  });

  it('switches model over the control API and refuses an unknown one', async () => {
    const s = await start('fixed');
    s.control.setRateLimiter('sliding-window');
    expect(headers(await apiGet(s, '/me')).resetIn).toBe(60_000);
    expect(() => s.control.setRateLimiter('leaky' as LimiterModel)).toThrow(/model must be one of/);
  });

  it('retry-after as an HTTP date on the sandbox clock (skewed), or left out', async () => {
    now = T0;
    sandbox = await startSandbox({ conversations: 5, plan: 'starter', now: () => now, clockSkewMs: 600_000 });
    const s = sandbox;
    s.control.setRetryAfter('http-date');
    s.control.throttleNext({ count: 1, retryAfterSeconds: 5 });
    const dated = await apiGet(s, '/me');
    expect(dated.status).toBe(429);
    expect(Date.parse(dated.headers.get('date')!)).toBe(T0 + 600_000);
    expect(Date.parse(dated.headers.get('retry-after')!)).toBe(T0 + 600_000 + 5000);
    s.control.setRetryAfter('none');
    s.control.throttleNext({ count: 1, retryAfterSeconds: 5 });
    const bare = await apiGet(s, '/me');
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
  });
});
