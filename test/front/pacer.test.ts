// The pacer alone, timed on the same clock it is given, so the burst limit is checked where it is
// enforced (send time) without the arrival jitter of a server sharing this test's event loop.

import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/front/pacer.ts';
import { abortableSleep } from '../../src/front/sleep.ts';

const WINDOW_MS = 1000;
const BURST_WINDOW_MS = (1000 * WINDOW_MS) / 60_000;
const BURST = 5;
const clock = () => performance.now();

function pacer(maxPerWindow: number, signal?: AbortSignal): Pacer {
  return new Pacer({ maxPerWindow, windowMs: WINDOW_MS, burstPerSecond: BURST, clock, sleep: abortableSleep, signal });
}

/** `workers` loops acquiring until `ms` have passed; returns the grant times. */
async function grants(p: Pacer, target: number, ms: number, workers = 4, between?: (n: number) => void): Promise<number[]> {
  const times: number[] = [];
  const end = clock() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (clock() < end) {
        await p.acquire(target);
        times.push(clock());
        between?.(times.length);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

function mostWithin(times: number[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= spanMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

const busyWait = (ms: number) => {
  const until = clock() + ms;
  while (clock() < until);
};

describe('Pacer', () => {
  it('spreads grants evenly at the target rate', async () => {
    const times = await grants(pacer(60), 60, 1000);
    const rate = ((times.length - 1) * WINDOW_MS) / (times.at(-1)! - times[0]!);
    expect(Math.abs(rate - 60) / 60).toBeLessThan(0.05);
    expect(mostWithin(times, WINDOW_MS / 10)).toBeLessThanOrEqual(60 / 10 + 1);
  });

  it('lowers the rate to a smaller target without bunching', async () => {
    const times = await grants(pacer(60), 20, 1000);
    const rate = ((times.length - 1) * WINDOW_MS) / (times.at(-1)! - times[0]!);
    expect(Math.abs(rate - 20) / 20).toBeLessThan(0.1);
    expect(mostWithin(times, WINDOW_MS / 10)).toBeLessThanOrEqual(20 / 10 + 1);
  });

  it('never grants more than the burst limit per burst window, even after the event loop stalls', async () => {
    // A metronome faster than the burst limit, and a 60 ms stall that makes queued timers fire late.
    const times = await grants(pacer(1000), 1000, 400, 8, (n) => n === 20 && busyWait(60));
    expect(mostWithin(times, BURST_WINDOW_MS)).toBeLessThanOrEqual(BURST);
    expect(times.length).toBeGreaterThan(40);
  });

  it('holds every grant until the given time', async () => {
    const p = pacer(600);
    await p.acquire(600);
    const from = clock();
    p.holdUntil(from + 200);
    const [a, b] = await Promise.all([p.acquire(600).then(clock), p.acquire(600).then(clock)]);
    expect(Math.min(a, b) - from).toBeGreaterThanOrEqual(195);
  });

  it('rejects waiting grants with the abort reason', async () => {
    const controller = new AbortController();
    const p = pacer(60, controller.signal);
    p.holdUntil(clock() + 10_000);
    const reason = new Error('stop');
    const pending = p.acquire(60);
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});
