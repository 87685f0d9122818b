import type { Got } from 'got';
import { ConfigError, DestinationError } from '../errors.js';
import { serializeHighlight } from '../highlight/serialize.js';
import { createServiceHttp, describeNetworkFailure, isUntrustedCertificate } from '../http/service-http.js';
import { retryDelay } from '../shared/backoff.js';
import { Secrets } from '../shared/secrets.js';
import { abortableSleep } from '../shared/sleep.js';
import type { HttpDestinationSettings } from '../config/types.js';
import { responseMessage } from './response-message.js';
import { signatureHeaders } from './signature.js';
import { BatchRejectedError, type Batch, type KeyedDestination } from './types.js';

export interface HttpDestinationOptions extends Omit<HttpDestinationSettings, 'type'> {
  userAgent: string;
  sleep?: (ms: number) => Promise<void>;
  /** Progress lines (a retry and why); never carries the token. */
  log?: (line: string) => void;
  /** Source of jitter, [0, 1). */
  random?: () => number;
  /** Milliseconds since the epoch, for signature timestamps and retry-after dates. */
  clock?: () => number;
}

type Outcome =
  | { kind: 'accepted' }
  | { kind: 'retry'; last: string; retryAfter?: string }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'misconfigured'; status: number; body: string }
  | { kind: 'redirect'; status: number }
  | { kind: 'html'; status: number }
  | { kind: 'untrusted'; reason: string };

/**
 * 4xx answers about the endpoint or the credentials, not about the batch: every batch would get the
 * same answer, so they stop the run (items stay pending) instead of having the pipeline split the
 * batch and mark each Highlight failed.
 */
const ENDPOINT_STATUSES = new Set([401, 403, 404, 405, 410]);

/**
 * POSTs `{"highlights":[…]}` to a receiver. 2xx and 409 (that Idempotency-Key was already received)
 * mean accepted, except a 2xx with an HTML page (a login page, a proxy's or a web server's default
 * page: nothing took the batch), a DestinationError at once; 408, 429, 5xx, network errors and
 * timeouts are retried with backoff up to `retries` times, then reported as DestinationError;
 * 401/403/404/405/410 are a DestinationError at once (see ENDPOINT_STATUSES); any other 4xx is a
 * BatchRejectedError. Redirects are not followed: a POST with
 * a bearer token must not be re-sent somewhere else unasked.
 */
export function createHttpDestination(options: HttpDestinationOptions): KeyedDestination {
  const target = publicAddress(options.url);
  const attempts = Math.max(0, options.retries) + 1;
  const sleep = options.sleep ?? ((ms: number) => abortableSleep(ms));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? Date.now;
  const http = createServiceHttp({ url: options.url, timeoutMs: options.timeoutMs, what: `destination ${target}` });
  // A receiver that echoes request headers in its error body must not put the token in our message.
  const secrets = new Secrets([options.token, options.signingSecret, ...http.secrets]);
  const redact = (s: string) => secrets.scrub(s);

  async function send(batch: Batch): Promise<void> {
    const body = `{"highlights":[${batch.highlights.map(serializeHighlight).join(',')}]}`;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': batch.key,
      'user-agent': options.userAgent,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const signed = options.signingSecret ? { ...headers, ...signatureHeaders(options.signingSecret, body, clock() / 1000) } : headers;
      const outcome = await postOnce(http.got, options.url, body, signed, options.timeoutMs);
      switch (outcome.kind) {
        case 'accepted':
          return;
        case 'rejected':
          throw new BatchRejectedError(
            outcome.status,
            responseMessage(redact(outcome.body)) || '(no message)',
            `destination ${target}`,
          );
        case 'misconfigured':
          throw new DestinationError(
            `destination ${target} refused the request (${outcome.status}: ${responseMessage(redact(outcome.body)) || 'no message'}); check the destination URL and token`,
          );
        case 'untrusted':
          throw new DestinationError(`destination ${target}: ${outcome.reason}`);
        case 'html':
          throw new DestinationError(
            `destination ${target} answered ${outcome.status} with an HTML page, not an acceptance (a login page or a proxy?); check the destination URL`,
          );
        case 'redirect':
          throw new DestinationError(
            `destination ${target} answered ${outcome.status} (redirect); set the destination URL to the final address`,
          );
        case 'retry':
          last = outcome.last;
          if (attempt < attempts) {
            const wait = retryDelay(attempt, options.retryBaseMs, outcome.retryAfter, clock(), random);
            options.log?.(`destination ${target} failed (${last}); retry ${attempt} of ${attempts - 1} in ${wait} ms`);
            await sleep(wait);
          }
      }
    }
    throw new DestinationError(`destination ${target} unavailable after ${attempts} attempts (last: ${last})`);
  }

  async function close(): Promise<void> {
    http.close();
  }

  return { maxBatchSize: options.batchSize, keyedBatches: true, send, close };
}

async function postOnce(client: Got, url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  let status: number;
  let text: string;
  let retryAfter: string | undefined;
  let contentType: string | undefined;
  try {
    const response = await client.post(url, { body, headers });
    status = response.statusCode;
    text = response.body;
    retryAfter = response.headers['retry-after'];
    contentType = response.headers['content-type'];
  } catch (err) {
    if (isUntrustedCertificate(err)) return { kind: 'untrusted', reason: describeNetworkFailure(err, timeoutMs) };
    return { kind: 'retry', last: describeNetworkFailure(err, timeoutMs) };
  }
  if (status >= 200 && status < 300 && isHtml(contentType, text)) return { kind: 'html', status };
  if ((status >= 200 && status < 300) || status === 409) return { kind: 'accepted' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', last: String(status), retryAfter };
  if (ENDPOINT_STATUSES.has(status)) return { kind: 'misconfigured', status, body: text };
  if (status >= 400) return { kind: 'rejected', status, body: text };
  return { kind: 'redirect', status };
}

/** By its content type, or by its first bytes when the server sent none or a generic one. */
function isHtml(contentType: string | undefined, body: string): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>])/i.test(body.slice(0, 512));
}

/** scheme://host[:port]/path: no credentials, query or fragment, which may carry secrets. */
function publicAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('the destination URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`the destination URL must use http or https, not ${parsed.protocol.replace(':', '')}`);
  }
  return parsed.origin + parsed.pathname;
}
