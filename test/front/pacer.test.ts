// The pacer alone, on virtual time: the pacer's clock and sleep and p-throttle's own timers all run
// on vitest's fake clock, so grant times are exact whatever else the machine is doing, and the burst
// limit is checked where it is enforced (send time).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '../../src/front/pacer.ts';
import { abortableSleep } from '../../src/shared/sleep.ts';

const WINDOW_MS = 1000;
const BURST_WINDOW_MS = (1000 * WINDOW_MS) / 60_000;
const BURST = 5;
const clock = () => Date.now();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 1_800_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function pacer(maxPerWindow: number, signal?: AbortSignal, startCredit?: number): Pacer {
  return new Pacer({ maxPerWindow, windowMs: WINDOW_MS, burstPerSecond: BURST, clock, sleep: abortableSleep, signal, startCredit });
}

/** `workers` loops acquiring until `ms` of virtual time have passed; returns the grant times. */
async function grants(p: Pacer, target: number, ms: number, workers = 4): Promise<number[]> {
  const times: number[] = [];
  const end = clock() + ms;
  const running = Promise.all(
    Array.from({ length: workers }, async () => {
      while (clock() < end) {
        await p.acquire(target);
        times.push(clock());
      }
    }),
  );
  await vi.advanceTimersByTimeAsync(ms + WINDOW_MS);
  await running;
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

const ratePerWindow = (times: number[]) => ((times.length - 1) * WINDOW_MS) / (times.at(-1)! - times[0]!);

describe('Pacer', () => {
  it('spreads grants evenly at the target rate', async () => {
    const times = await grants(pacer(60), 60, 2000);
    expect(Math.abs(ratePerWindow(times) - 60) / 60).toBeLessThan(0.05);
    expect(mostWithin(times, WINDOW_MS / 10)).toBeLessThanOrEqual(60 / 10 + 1);
  });

  it('lowers the rate to a smaller target without bunching', async () => {
    const times = await grants(pacer(60), 20, 3000);
    expect(Math.abs(ratePerWindow(times) - 20) / 20).toBeLessThan(0.1);
    expect(mostWithin(times, WINDOW_MS / 10)).toBeLessThanOrEqual(20 / 10 + 1);
  });

  it('never grants more than the burst limit per burst window under a metronome faster than it', async () => {
    // 1000 per window is one tick a millisecond: 16 per burst window if nothing held them back.
    const times = await grants(pacer(1000), 1000, 400, 8);
    expect(mostWithin(times, BURST_WINDOW_MS)).toBe(BURST);
    expect(times.length).toBeGreaterThan(40);
  });

  it('after a burst 429 grants half as many per burst window, and grows back one at a time once quiet', async () => {
    const p = pacer(1000);
    // Grants in the first four burst windows only: recovery starts after sixty.
    const early = async () => {
      const from = clock();
      return (await grants(p, 1000, BURST_WINDOW_MS * 4, 8)).filter((t) => t < from + BURST_WINDOW_MS * 4);
    };
    p.narrowBurst();
    expect(mostWithin(await early(), BURST_WINDOW_MS)).toBe(3);
    for (let i = 0; i < 3; i++) p.narrowBurst();
    expect(mostWithin(await early(), BURST_WINDOW_MS)).toBe(1);
    // Quiet for long enough (sixty burst windows per step, four steps), the whole limit is back.
    const recovered = await grants(p, 1000, BURST_WINDOW_MS * 300, 8);
    expect(mostWithin(recovered.slice(-40), BURST_WINDOW_MS)).toBe(BURST);
  });

  it('a new pacer grants its start credit at once, then paces; a pause later saves no credit', async () => {
    // 60 per window: a tick every 16.7 ms.
    const p = pacer(60, undefined, 2);
    const from = clock();
    const first = await grants(p, 60, 200, 1);
    expect(first.slice(0, 3).map((t) => t - from)).toEqual([0, 0, 0]);
    expect(first[3]! - from).toBeGreaterThanOrEqual(16);
    expect(Math.abs(ratePerWindow(first.slice(2)) - 60) / 60).toBeLessThan(0.1);
    // Idle for a window: the next grants are spaced again, one at once and then a tick apart.
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    const after = await grants(p, 60, 100, 1);
    expect(after[1]! - after[0]!).toBeGreaterThanOrEqual(16);
  });

  it('a start credit larger than the burst limit still keeps to the burst limit', async () => {
    const p = pacer(1000, undefined, 50);
    const from = clock();
    const times = await grants(p, 1000, 100, 8);
    expect(times.filter((t) => t === from)).toHaveLength(BURST);
  });

  it('holds every grant until the given time', async () => {
    const p = pacer(600);
    const first = p.acquire(600);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    const from = clock();
    p.holdUntil(from + 200);
    const granted: number[] = [];
    const both = Promise.all([p.acquire(600).then(() => granted.push(clock())), p.acquire(600).then(() => granted.push(clock()))]);
    await vi.advanceTimersByTimeAsync(199);
    expect(granted).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await both;
    expect(Math.min(...granted) - from).toBeGreaterThanOrEqual(200);
  });

  it('rejects waiting grants with the abort reason', async () => {
    const controller = new AbortController();
    const p = pacer(60, controller.signal);
    p.holdUntil(clock() + 10_000);
    const reason = new Error('stop');
    const pending = p.acquire(60);
    const settled = expect(pending).rejects.toBe(reason);
    await vi.advanceTimersByTimeAsync(20);
    controller.abort(reason);
    await settled;
  });
});
