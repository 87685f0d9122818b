import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, backoffDelay, parseRetryAfter, retryDelay } from '../../src/shared/backoff.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('backoffDelay', () => {
  it('doubles per retry, between half and all of base * 2^(retry-1)', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, () => 0.999999))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap', () => {
    expect(backoffDelay(30, 500, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(MAX_RETRY_DELAY_MS).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractional too, and HTTP dates against the given now', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 0.25 ', NOW)).toBe(250);
    expect(parseRetryAfter(new Date(NOW + 3000).toUTCString(), NOW)).toBe(3000);
    expect(parseRetryAfter(new Date(NOW - 3000).toUTCString(), NOW)).toBe(0);
  });

  it('is null for what it cannot read', () => {
    for (const header of [undefined, '', '  ', 'soon', '-3']) expect(parseRetryAfter(header, NOW)).toBeNull();
  });
});

describe('retryDelay', () => {
  it("uses the server's wait when readable, else the backoff", () => {
    expect(retryDelay(1, 100, '2', NOW, () => 0)).toBe(2000);
    expect(retryDelay(1, 100, '0', NOW, () => 0)).toBe(0);
    for (const header of [undefined, '', 'soon', '-3']) expect(retryDelay(2, 100, header, NOW, () => 0)).toBe(100);
  });

  it('caps a hostile retry-after', () => {
    expect(retryDelay(1, 100, '86400', NOW, () => 0)).toBe(MAX_RETRY_DELAY_MS);
  });
});
