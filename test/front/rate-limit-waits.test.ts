// How long the client waits after a 429 and what it says about long holds, on an injected clock
// and sleep: every wait is recorded, none is spent.

import { describe, expect, it } from 'vitest';
import { FrontClock } from '../../src/front/front-clock.ts';
import { parseRetryAfter } from '../../src/front/rate-headers.ts';
import { clientFor, startFakeFront, type Reply } from './fake-front.ts';

const ok: Reply = { json: { id: 'cmp_1' } };
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

function fakeTime() {
  const t = { now: T0, waits: [] as number[], lines: [] as { level: string; line: string }[] };
  return {
    t,
    opts: {
      clock: () => t.now,
      sleep: async (ms: number) => {
        t.waits.push(ms);
        t.now += ms;
      },
      log: (level: 'debug' | 'warn', line: string) => t.lines.push({ level, line }),
    },
  };
}

describe('retry-after as an HTTP date', () => {
  it("is measured from the answer's Date header, not our clock", () => {
    const frontNow = T0 + 600_000; // Front ten minutes ahead
    const headers = { date: new Date(frontNow).toUTCString(), 'retry-after': new Date(frontNow + 3000).toUTCString() };
    expect(parseRetryAfter(headers, T0)).toBe(3000);
    // Ten minutes behind: still three seconds, not "already past".
    const behind = { date: new Date(T0 - 600_000).toUTCString(), 'retry-after': new Date(T0 - 597_000).toUTCString() };
    expect(parseRetryAfter(behind, T0)).toBe(3000);
    // No Date header: our clock is all there is.
    expect(parseRetryAfter({ 'retry-after': new Date(T0 + 2000).toUTCString() }, T0)).toBe(2000);
  });

  it('a client ten minutes behind Front waits the date out and succeeds', async () => {
    const { t, opts } = fakeTime();
    const front = await startFakeFront((_a, n): Reply => {
      const frontNow = t.now + 600_000;
      const date = new Date(frontNow).toUTCString();
      return n === 0 ? { status: 429, headers: { date, 'retry-after': new Date(Math.floor(frontNow / 1000) * 1000 + 2000).toUTCString() } } : { ...ok, headers: { date } };
    });
    await expect(clientFor(front.url, opts).get('/me')).resolves.toEqual({ id: 'cmp_1' });
    expect(t.waits).toEqual([2000]);
  });
});

describe('429 without retry-after', () => {
  const limitHeaders = (remaining: number, resetAt: number, now: number) => ({
    date: new Date(now).toUTCString(),
    'x-ratelimit-limit': '100',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetAt / 1000),
  });

  it('while the headers show room (a burst or tier limit): a short exponential backoff, not the window reset', async () => {
    const { t, opts } = fakeTime();
    const front = await startFakeFront((_a, n) => (n < 4 ? { status: 429, headers: limitHeaders(90, t.now + 50_000, t.now) } : ok));
    await clientFor(front.url, { ...opts, retryBaseMs: 100 }).get('/me');
    expect(t.waits).toHaveLength(4);
    // Equal jitter: between half and all of 500, 1000, 2000, 4000 ms, both ends included (the base is
    // max(retryBaseMs, window / 120) = 500 ms).
    for (const [i, w] of t.waits.entries()) {
      expect(w).toBeGreaterThanOrEqual(250 * 2 ** i);
      expect(w).toBeLessThanOrEqual(500 * 2 ** i);
    }
    expect(Math.max(...t.waits)).toBeLessThan(50_000);
  });

  it('with nothing left: until the reset', async () => {
    const { t, opts } = fakeTime();
    const front = await startFakeFront((_a, n) => (n === 0 ? { status: 429, headers: limitHeaders(0, T0 + 20_000, t.now) } : ok));
    await clientFor(front.url, opts).get('/me');
    expect(t.waits).toEqual([20_000]);
  });
});

describe('long holds are told plainly', () => {
  it('a hold over 5 s of a 60 s window prints a warning with why and until when', async () => {
    const { t, opts } = fakeTime();
    // Fixed windows: the reset stays put; within 4 s others use 96 of 100.
    const front = await startFakeFront((_a, n) => ({
      ...ok,
      headers: { date: new Date(t.now).toUTCString(), 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': n === 0 ? '99' : '2', 'x-ratelimit-reset': String((T0 + 40_000) / 1000) },
    }));
    const client = clientFor(front.url, { ...opts, pacing: true, rpm: 100 });
    await client.get('/me');
    t.now += 4000;
    await client.get('/me');
    const warned = t.lines.filter((l) => l.level === 'warn').map((l) => l.line);
    expect(warned).toEqual([expect.stringMatching(/^pacing: Front reports 2 of 100 requests left.*holding requests for 36\.0 s, until 12:00:40Z$/)]);
  });
});

describe('FrontClock', () => {
  it("bounds Front's offset from Date headers and gives a cursor time Front had certainly reached", () => {
    const clock = new FrontClock();
    expect(clock.offsetMs()).toBeNull();
    // Front is 5 minutes behind; the header was written 100 ms into a 200 ms round trip.
    const at = (local: number) => ({ date: new Date(Math.floor((local - 300_000) / 1000) * 1000).toUTCString() });
    clock.observe(at(T0 + 100), T0, T0 + 200);
    clock.observe(at(T0 + 5_700), T0 + 5_600, T0 + 5_800);
    const offset = clock.offsetMs()!;
    expect(offset).toBeLessThanOrEqual(-300_000);
    expect(offset).toBeGreaterThan(-301_100);
    expect(clock.frontTime(T0)!).toBeLessThanOrEqual(T0 - 300_000);
    expect(Math.abs(clock.resetOffsetMs() + 300_000)).toBeLessThan(1000);
  });

  it('clocks within the header resolution read as agreeing', () => {
    const clock = new FrontClock();
    clock.observe({ date: new Date(T0).toUTCString() }, T0 + 300, T0 + 320);
    expect(clock.resetOffsetMs()).toBe(0);
  });
});
