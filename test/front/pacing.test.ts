// Pacing against a Front that enforces a compressed window: 1000 ms stands for a minute, so the
// burst window is 1000 * 1000 / 60000 ≈ 16.7 ms. The client and the in-memory Front run on virtual
// time (vitest's fake clock drives Date, the client's sleeps and p-throttle's timers), so the rates
// measured are the client's own, not the machine's load.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrontClient, FrontClientOptions } from '../../src/front/client.ts';
import { clientFor, memoryFront, type Arrival, type Reply } from './fake-front.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 1_800_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A paced client over an in-memory Front answering with `respond`. */
function pacedClient(respond: () => Reply, overrides: Partial<FrontClientOptions> = {}) {
  const front = memoryFront(respond);
  const client = clientFor('http://front.test', { ...paced, clock: Date.now, transport: front.transport, ...overrides });
  return { client, arrivals: front.arrivals };
}

const WINDOW_MS = 1000;
const BURST_WINDOW_MS = (1000 * WINDOW_MS) / 60_000;
const BURST = 5;
const paced = { pacing: true, rpm: 120, share: 0.5, burstPerSecond: BURST, rateWindowMs: WINDOW_MS, concurrency: 4 };
const ALLOWED = Math.floor(paced.rpm * paced.share);

/** Fixed windows aligned to the clock, like Front's; `others` requests per window from elsewhere. */
function companyLimit(limit: number, windowMs = WINDOW_MS) {
  const state = { others: 0, windowStart: 0, ours: 0, refused: 0 };
  const respond = (): Reply => {
    const now = Date.now();
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== state.windowStart) Object.assign(state, { windowStart: start, ours: 0 });
    const others = Math.floor((state.others * (now - start)) / windowMs);
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': String((start + windowMs) / 1000),
    });
    if (state.ours + others >= limit) {
      state.refused++;
      return { status: 429, headers: { ...headers(0), 'retry-after': String((start + windowMs - now) / 1000) } };
    }
    state.ours++;
    return { json: { id: 'cmp_1' }, headers: headers(limit - state.ours - others) };
  };
  return { state, respond };
}

/** Keeps `concurrency` callers busy until `until` (virtual Date.now() time), advancing time to it. */
async function keepBusy(client: FrontClient, until: number, workers = paced.concurrency): Promise<void> {
  let done = false;
  const busy = Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) await client.get('/me');
    }),
  ).finally(() => (done = true));
  await vi.advanceTimersByTimeAsync(until - Date.now());
  // The requests already waiting for their turn at `until` finish within a window.
  for (let step = 0; step < 100 && !done; step++) await vi.advanceTimersByTimeAsync(WINDOW_MS / 100);
  await busy;
}

/** Requests per window among arrivals within [from, to). */
function ratePerWindow(arrivals: Arrival[], from: number, to: number, windowMs = WINDOW_MS): number {
  const inside = arrivals.filter((a) => a.at >= from && a.at < to);
  return (inside.length * windowMs) / (to - from);
}

function mostWithin(arrivals: Arrival[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; j < arrivals.length; j++) {
    while (arrivals[j]!.at - arrivals[i]!.at >= spanMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('pacing', () => {
  it('reaches the allowed rate evenly, within the burst limit and without 429s', async () => {
    const limit = companyLimit(paced.rpm);
    const { client, arrivals } = pacedClient(limit.respond);
    const start = Date.now();

    await keepBusy(client, start + 2000);

    const rate = ratePerWindow(arrivals, start, start + 2000);
    expect(Math.abs(rate - ALLOWED) / ALLOWED).toBeLessThan(0.05);
    expect(Math.abs(client.stats().achievedRpm - ALLOWED) / ALLOWED).toBeLessThan(0.05);
    expect(mostWithin(arrivals, BURST_WINDOW_MS)).toBeLessThanOrEqual(BURST);
    // Spread out: a tenth of a window carries about a tenth of its budget, not a burst of it.
    expect(mostWithin(arrivals, WINDOW_MS / 10)).toBeLessThanOrEqual(ALLOWED / 10 + 2);
    expect(limit.state.refused).toBe(0);
    expect(client.stats().rateLimited).toBe(0);
  });

  it("sends a run's first three requests at once (an idle sync's), then a tick apart", async () => {
    const { client, arrivals } = pacedClient(companyLimit(paced.rpm).respond, { concurrency: 1 });
    const start = Date.now();
    const sent = Promise.all(Array.from({ length: 5 }, () => client.get('/me')));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await sent;
    const tick = WINDOW_MS / ALLOWED;
    const at = arrivals.map((a) => a.at - start);
    expect(at.slice(0, 3)).toEqual([0, 0, 0]);
    expect(at[3]).toBeGreaterThanOrEqual(tick - 1);
    expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(tick - 1);
  });

  it('adopts a lower limit that Front reports', async () => {
    const { client, arrivals } = pacedClient(companyLimit(60).respond);

    const start = Date.now();
    await keepBusy(client, start + 1000);

    expect(ratePerWindow(arrivals, start + 300, start + 1000)).toBeLessThan(ALLOWED * 0.7);
  });

  it('slows down while others use the company budget, without 429s, and recovers when they stop', async () => {
    // A half-second window keeps this test short: two windows of others, then two without.
    const windowMs = 500;
    const limit = companyLimit(paced.rpm, windowMs);
    limit.state.others = 60;
    const { client, arrivals } = pacedClient(limit.respond, { rateWindowMs: windowMs });
    const start = Date.now();

    await keepBusy(client, start + 1250);
    const busyRate = ratePerWindow(arrivals, start + 500, start + 1250, windowMs);
    limit.state.others = 0;
    // Recovery needs the next window to begin and a fifth of it to pass: by 1250 + 500 + 100 ms.
    await keepBusy(client, start + 2500);
    const recoveredRate = ratePerWindow(arrivals, start + 1850, start + 2500, windowMs);

    // Front's limit is 120 and others take 60: `share` (half) of what is left is 30, well under our 60.
    expect(busyRate).toBeLessThan(ALLOWED * 0.7);
    expect(busyRate).toBeGreaterThan(ALLOWED * 0.3);
    expect(limit.state.refused).toBe(0);
    expect(Math.abs(recoveredRate - ALLOWED) / ALLOWED).toBeLessThan(0.1);
  });
});
