import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../src/destinations/backoff.ts';

describe('retryDelayMs', () => {
  it('doubles per retry, between half and all of base * 2^(retry-1)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 100, undefined, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 100, undefined, () => 0.999999))).toEqual([100, 200, 400, 800]);
  });

  it('uses retry-after seconds, fractional too', () => {
    expect(retryDelayMs(1, 100, '2', () => 0)).toBe(2000);
    expect(retryDelayMs(4, 100, ' 0.25 ', () => 0)).toBe(250);
    expect(retryDelayMs(1, 100, '0', () => 0)).toBe(0);
  });

  it('falls back to backoff for a retry-after it cannot read', () => {
    for (const header of ['', 'soon', '-3', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      expect(retryDelayMs(2, 100, header, () => 0)).toBe(100);
    }
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(1, 100, '86400', () => 0)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(30, 500, undefined, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(MAX_RETRY_DELAY_MS).toBe(60_000);
  });
});
