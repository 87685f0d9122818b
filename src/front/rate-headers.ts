// Front's rate-limit headers (absent from the OpenAPI spec; see spec/front-api-NOTES.md).

import { parseRetryAfter as parseRetryAfterValue } from '../shared/backoff.js';

export type Headers = Record<string, string | string[] | undefined>;

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** Epoch ms when Front's window resets. */
  resetAt: number;
  /** Epoch ms (our clock) when the headers were read. */
  observedAt: number;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function finiteNumber(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function parseRateLimit(headers: Headers, observedAt: number): RateLimitSnapshot | null {
  const limit = finiteNumber(header(headers, 'x-ratelimit-limit'));
  const remaining = finiteNumber(header(headers, 'x-ratelimit-remaining'));
  const reset = finiteNumber(header(headers, 'x-ratelimit-reset'));
  if (limit === null || remaining === null || reset === null || limit <= 0 || remaining < 0) return null;
  return { limit, remaining, resetAt: reset * 1000, observedAt };
}

/**
 * `retry-after` in ms: seconds, possibly decimal (compressed sandbox windows), or an HTTP date. A
 * date is on Front's clock, so it is measured from the answer's own Date header (our clock `now`
 * only when there is none): with clocks minutes apart, our clock would make it minutes off.
 */
export function parseRetryAfter(headers: Headers, now: number): number | null {
  const sent = Date.parse(header(headers, 'date') ?? '');
  return parseRetryAfterValue(header(headers, 'retry-after'), Number.isFinite(sent) ? sent : now);
}
