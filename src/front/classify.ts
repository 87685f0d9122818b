// What to do with one HTTP answer: use it, follow it, wait and retry, retry after backoff, or fail.
// Pure, so every status Front may send is decided in one place and testable without a server.

import { FrontProtocolError } from '../errors.js';
import { errorForStatus, parseErrorBody } from './front-errors.js';
import { parseRetryAfter, type Headers } from './rate-headers.js';

export interface Answer {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

export type Outcome =
  | { kind: 'ok'; json: unknown }
  | { kind: 'redirect'; location: string }
  /** `tier`: Front named a per-resource (burst) limit, not the company's budget. */
  | { kind: 'rate-limited'; retryAfterMs: number | null; tier: boolean }
  /** `network`: no answer at all (refused, reset, timed out), so the URL itself may be wrong. */
  | { kind: 'transient'; reason: string; network?: boolean }
  /** `refused`: the Authorization header a 401 refused (the client may renew OAuth credentials once). */
  | { kind: 'fatal'; error: Error; refused?: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function classify(
  answer: Answer,
  request: { method: string; pathname: string; resource?: string },
  now: number,
  secrets: readonly string[],
): Outcome {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    try {
      return { kind: 'ok', json: JSON.parse(answer.body) };
    } catch {
      return { kind: 'transient', reason: `malformed JSON in a ${status} answer` };
    }
  }
  if (REDIRECTS.has(status)) {
    const location = answer.headers.location;
    const target = Array.isArray(location) ? location[0] : location;
    if (target) return { kind: 'redirect', location: target };
    return { kind: 'fatal', error: new FrontProtocolError(`Front answered ${status} without a Location for ${request.method} ${request.pathname}`) };
  }
  if (status === 429) return { kind: 'rate-limited', retryAfterMs: parseRetryAfter(answer.headers, now), tier: answer.headers['x-front-tier'] !== undefined };
  if (status >= 500) return { kind: 'transient', reason: `${status}${answer.statusText ? ` ${answer.statusText}` : ''}` };
  if (status >= 400) {
    return { kind: 'fatal', error: errorForStatus(status, answer.statusText, parseErrorBody(answer.body), request, secrets) };
  }
  return { kind: 'fatal', error: new FrontProtocolError(`Front answered an unexpected ${status} for ${request.method} ${request.pathname}`) };
}
