import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/types.ts';
import { type ApiAnswer, apiGet, type ErrorBody } from '../helpers/sandbox.ts';

/** A minute boundary, so windows (aligned to the clock) start exactly here. */
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('rate limiting', () => {
  let sandbox: SandboxHandle | null = null;
  let now = T0;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
  const start = async (opts: SandboxOptions = {}) => {
    now = T0;
    sandbox = await startSandbox({ conversations: 20, plan: 'starter', now: () => now, ...opts });
    return sandbox;
  };
  const remaining = (a: { headers: Headers }) => Number(a.headers.get('x-ratelimit-remaining'));

  it('sends the limit headers on every answer, errors included', async () => {
    const s = await start();
    const answers = [await apiGet(s, '/me'), await apiGet(s, '/nope'), await apiGet(s, '/me', 'revoked')];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-limit'))).toEqual(['50', '50', '50']);
    expect(answers.map(remaining)).toEqual([49, 48, 47]);
    expect(answers.every((a) => a.headers.get('x-ratelimit-reset') === String((T0 + 60_000) / 1000))).toBe(true);
  });

  it('answers 429 with retry-after once the company budget is spent, and lets requests through after the reset', async () => {
    const s = await start();
    for (let i = 0; i < 50; i++) {
      now += 300; // 3-4 requests a second: under the burst limit
      expect((await apiGet(s, '/me')).status).toBe(200);
    }
    const refused = await apiGet<ErrorBody>(s, '/me');
    expect(refused.status).toBe(429);
    expect(refused.body._error).toEqual({ status: 429, title: 'Too many requests', message: expect.stringContaining('retry') });
    expect(remaining(refused)).toBe(0);
    const waitSeconds = Number(refused.headers.get('retry-after'));
    expect(waitSeconds).toBe(Math.ceil((T0 + 60_000 - now) / 1000));
    expect(refused.headers.get('x-front-tier')).toBeNull();

    now += waitSeconds * 1000;
    const again = await apiGet(s, '/me');
    expect(again.status).toBe(200);
    expect(remaining(again)).toBe(49);
  });

  it('limits bursts per resource with x-front-tier, without counting the 429s', async () => {
    const s = await start();
    const statuses: number[] = [];
    let burst: ApiAnswer<ErrorBody> | null = null;
    for (let i = 0; i < 8; i++) {
      const answer = await apiGet<ErrorBody>(s, '/me');
      statuses.push(answer.status);
      if (answer.status === 429) burst = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(burst!.headers.get('x-front-tier')).toBe('2');
    expect(remaining(burst!)).toBe(45);
    expect(burst!.body._error.message).toMatch(/tier-2 route.*retry in \d+ milliseconds/);
    expect(Number(burst!.headers.get('retry-after'))).toBe(1);
    // Another resource is not affected, and the refused requests cost nothing.
    const other = await apiGet(s, '/inboxes');
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe(44);
    now += 1000;
    expect((await apiGet(s, '/me')).status).toBe(200);
  });

  it('compresses time: a short window gives fractional retry-after and reset', async () => {
    const s = await start({ windowMs: 1000 });
    now = T0 + 100;
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0) now += 17; // the burst window shrinks with the rate window (1000/60 ms)
      expect((await apiGet(s, '/me')).status, `request ${i}`).toBe(200);
    }
    const refused = await apiGet<ErrorBody>(s, '/me');
    expect(refused.status).toBe(429);
    const retryAfter = refused.headers.get('retry-after')!;
    expect(retryAfter).toMatch(/^0\.\d+$/);
    expect(Number(retryAfter) * 1000).toBe(T0 + 1000 - now);
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBe((T0 + 1000) / 1000);
    now += Number(retryAfter) * 1000;
    expect((await apiGet(s, '/me')).status).toBe(200);
  });

  it('gives search its own budget at 40% of the limit', async () => {
    const s = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      now += 250;
      statuses.push((await apiGet(s, '/conversations/search/is:open')).status);
    }
    expect(statuses.filter((x) => x === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    now += 250;
    expect((await apiGet(s, '/me')).status).toBe(200);
  });

  it('shows other integrations\' background load in the headers', async () => {
    const s = await start();
    s.control.setOtherLoad(40);
    expect(remaining(await apiGet(s, '/me'))).toBe(49);
    now = T0 + 30_000;
    expect(remaining(await apiGet(s, '/me'))).toBe(50 - 2 - 20);
    now = T0 + 59_000;
    const spent = await apiGet(s, '/me');
    expect(remaining(spent)).toBe(50 - 3 - 39);
    s.control.setOtherLoad(50);
    now = T0 + 59_999;
    expect((await apiGet(s, '/me')).status).toBe(429);
  });

  it('has no limits and no limit headers when rate limiting is off', async () => {
    const s = await start({ rateLimit: false });
    for (let i = 0; i < 60; i++) {
      const answer = await apiGet(s, '/me');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});
