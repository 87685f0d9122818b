// The one Front client: every request goes through the same slots (concurrency), pacing, retries
// and counters. The transport (http/service-http.ts, got) follows no redirect and retries nothing,
// because 429s, redirects and the token's destination are decided here.

import { AuthError, FrontProtocolError, FrontUnavailableError, RateLimitError } from '../errors.js';
import { createServiceHttp, describeNetworkFailure, isUntrustedCertificate, ResponseTooLargeError, type ServiceHttp } from '../http/service-http.js';
import { backoffDelay } from '../shared/backoff.js';
import { classify, type Answer, type Outcome } from './classify.js';
import { clean } from './front-errors.js';
import { allowedUrl } from './origin.js';
import { burstCapPerWindow, Pacer } from './pacer.js';
import { RateBudget } from './rate-budget.js';
import { FrontClock } from './front-clock.js';
import { parseRateLimit, type RateLimitSnapshot } from './rate-headers.js';
import { endpointKey, requestUrl, type Query } from './request-url.js';
import { scrub } from '../shared/secrets.js';
import { abortableSleep, type Sleep } from '../shared/sleep.js';
import { Slots } from './slots.js';
import { StatsRecorder, type ClientStats } from './stats.js';
import { apiTokenCredentials, type FrontCredentials } from './credentials.js';
import type { FrontPage } from './types.js';

export type { Query, QueryValue } from './request-url.js';
export type { ClientStats } from './stats.js';

/** Merged conversations redirect once; a longer chain is a loop. */
const MAX_REDIRECTS = 5;
/** Consecutive 429s on one request before giving up. */
const MAX_CONSECUTIVE_429 = 30;
/** Cumulative 429 wait on one request before giving up, in rate windows. */
const MAX_RATE_LIMIT_WAIT_WINDOWS = 5;
/** What to look at when Front's host cannot be reached: where its URL comes from. */
const CHECK_URL = 'check FRONT_API_URL (or front.url in the config; default https://api2.frontapp.com) and the network or proxy';
/** Requests a run sends before pacing starts, besides its first: an idle sync's /me, events page and listing page. */
const START_CREDIT = 2;

/** Logged pacing changes smaller than this fraction are noise. */
const PACING_LOG_STEP = 0.1;
/** Holds longer than this (5 s of a 60 s window, scaled with it) are told without --verbose. */
const HOLD_NOTICE_FRACTION = 5 / 60;

/**
 * Pacing and retry settings, which config's `front.*` hands the client as they are. Declared here,
 * by the client, because config sits above the client in the layers, not the other way round.
 */
export interface FrontTuning {
  /** Fraction of the company limit this tool may use (default 0.8). */
  share: number;
  /** Burst limit, requests per second (default 5); scaled with rateWindowMs. */
  burstPerSecond: number;
  /** Length of Front's rate window in ms (60000; tests compress it). */
  rateWindowMs: number;
  /** Requests in flight at once (default 4). */
  concurrency: number;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  /** Largest answer body Front may send, in MB (default 64); a larger one fails as Front misbehaving. */
  maxResponseMB?: number;
}

export interface FrontClientOptions extends FrontTuning {
  /** e.g. https://api2.frontapp.com or http://127.0.0.1:PORT */
  baseUrl: string;
  /** A fixed API token, or OAuth credentials (`credentials` wins when both are given). */
  token?: string;
  credentials?: FrontCredentials;
  /** Where the token was set (a variable, or a key in a file), named when Front refuses it. */
  tokenFrom?: string;
  /** "front-import/<version>" */
  userAgent: string;
  /** Company limit per window (plan rpm or explicit override). */
  rpm: number;
  /** Default true; false = no throttling at all (local-cost benchmarks). 429s are still obeyed. */
  pacing?: boolean;
  clock?: () => number;
  sleep?: Sleep;
  /** Never given the token. */
  log?: (level: 'debug' | 'warn', line: string) => void;
  /** Abort = stop waiting and retrying; pending calls reject with the signal's reason. */
  signal?: AbortSignal;
  /** How one GET is made; by default over got (http/service-http.ts, proxy from the environment). */
  transport?: FrontTransport;
}

/** One GET, answered whole. Redirects are answers, not followed; failures to connect reject. */
export interface FrontTransport {
  get(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer>;
  /** Secrets the transport brings (a proxy password), scrubbed like the token. */
  readonly secrets: readonly string[];
}

function gotTransport(http: ServiceHttp): FrontTransport {
  return {
    secrets: http.secrets,
    async get(url, headers, signal) {
      const response = await http.got.get(url, { headers, signal });
      return { status: response.statusCode, statusText: response.statusMessage ?? '', headers: response.headers, body: response.body };
    },
  };
}

export interface FrontPageResult<T> {
  items: T[];
  next: string | null;
  url: string;
}

export interface FrontClient {
  get<T>(pathOrUrl: string, query?: Query, opts?: { resource?: string }): Promise<T>;
  /**
   * Follows _pagination.next until null; yields each page (so callers can checkpoint `next`).
   * `readAhead(items)`: true when the caller will want the page after these items, which is then
   * requested before this one is yielded, so Front's latency overlaps the caller's work.
   */
  pages<T>(pathOrUrl: string, query?: Query, opts?: { readAhead?: (items: T[]) => boolean }): AsyncGenerator<FrontPageResult<T>>;
  stats(): ClientStats;
  rateLimit(): RateLimitSnapshot | null;
  /** Front's clock as its Date headers show it (null before any answer carried one). */
  readonly frontClock: FrontClock;
}

export function createFrontClient(opts: FrontClientOptions): FrontClient {
  const clock = opts.clock ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const maxResponseBytes = (opts.maxResponseMB ?? 64) * 1024 * 1024;
  const transport = opts.transport ?? gotTransport(createServiceHttp({ url: opts.baseUrl, timeoutMs: opts.timeoutMs, what: 'Front', maxResponseBytes }));
  const credentials = opts.credentials ?? apiTokenCredentials(opts.token ?? '');
  const secrets = [...transport.secrets];
  credentials.onSecret((secret) => secrets.push(secret));
  // Lines can quote what Front sent back (status text, URLs): redacted in case it echoes the token.
  const log = (level: 'debug' | 'warn', line: string) => opts.log?.(level, scrub(line, secrets));
  const { signal, baseUrl, rateWindowMs: windowMs } = opts;
  const configured = Math.max(1, Math.floor(opts.rpm * opts.share));
  const burstPerSecond = Math.max(1, Math.floor(opts.burstPerSecond));
  const maxPerWindow = Math.max(1, Math.min(configured, burstCapPerWindow(burstPerSecond)));
  const budget = new RateBudget({ configured: maxPerWindow, share: opts.share, windowMs });
  const pacer =
    opts.pacing === false
      ? null
      : new Pacer({ maxPerWindow, windowMs, burstPerSecond, clock, sleep, signal, startCredit: START_CREDIT });
  const slots = new Slots(Math.max(1, opts.concurrency), signal);
  const stats = new StatsRecorder(clock, windowMs);
  let lastRate: RateLimitSnapshot | null = null;
  let inFlight = 0;
  let loggedTarget = maxPerWindow;
  const frontClock = new FrontClock();
  const holdNoticeMs = windowMs * HOLD_NOTICE_FRACTION;

  const fixedHeaders = { 'user-agent': opts.userAgent, accept: 'application/json' };

  const target = () => budget.target(clock());

  /** Holds every request; a long hold is said plainly, with why and until when. */
  function holdAll(until: number, reason: string): void {
    if (!pacer) return;
    const now = clock();
    const level = until - now > holdNoticeMs ? 'warn' : 'debug';
    log(level, `${reason}: holding requests for ${((until - now) / 1000).toFixed(1)} s, until ${clockTime(until)}`);
    pacer.holdUntil(until);
  }

  function learn(answer: Answer, sentAt: number): void {
    const now = clock();
    frontClock.observe(answer.headers, sentAt, now);
    const snapshot = parseRateLimit(answer.headers, now);
    if (!snapshot) return;
    lastRate = snapshot;
    const hold = budget.observe({ snapshot, inFlight, refused: answer.status === 429, offsetMs: frontClock.resetOffsetMs(), sentAt });
    for (const note of budget.takeNotes()) log('warn', `pacing: ${note}`);
    if (hold) holdAll(hold.until, `pacing: ${hold.reason}`);
    const current = target();
    if (Math.abs(current - loggedTarget) >= loggedTarget * PACING_LOG_STEP) {
      log('debug', `pacing: ${current} requests per window (Front limit ${snapshot.limit}, others using ~${budget.othersPerWindow()})`);
      loggedTarget = current;
    }
  }

  async function attempt(url: URL, endpoint: string, resource: string | undefined): Promise<Outcome> {
    await slots.take();
    try {
      if (pacer) await stats.waiting(() => pacer.acquire(target()));
      signal?.throwIfAborted();
      stats.sent(endpoint);
      inFlight++;
      const started = clock();
      let answer: Answer;
      const authorization = await credentials.header();
      try {
        answer = await transport.get(url, { ...fixedHeaders, authorization }, signal);
      } catch (err) {
        // Only a sanitised description leaves: an error could quote the request, token included.
        if (signal?.aborted) throw signal.reason;
        // Asking again would only fetch the same flood: Front is misbehaving.
        if (err instanceof ResponseTooLargeError) {
          return {
            kind: 'fatal',
            error: new FrontProtocolError(`Front answered ${endpoint} with more than ${err.limitBytes / 1024 / 1024} MB (front.maxResponseMB); Front is misbehaving, try again later or raise the limit`),
          };
        }
        const reason = describeNetworkFailure(err, opts.timeoutMs);
        // A name that does not resolve is almost always a mistyped URL or no network at all: six
        // tries over 15 s would only delay saying so. The next cron run tries again anyway.
        if (reason === 'ENOTFOUND' || reason === 'EAI_AGAIN') {
          return { kind: 'fatal', error: new FrontUnavailableError(`cannot reach Front: ${url.hostname} does not resolve (${reason}); ${CHECK_URL}`) };
        }
        if (isUntrustedCertificate(err)) return { kind: 'fatal', error: new FrontUnavailableError(`cannot reach Front at ${url.host}: ${reason}`) };
        return { kind: 'transient', reason, network: true };
      } finally {
        inFlight--;
        stats.answered();
      }
      learn(answer, started);
      log('debug', `GET ${url.pathname}${url.search} -> ${answer.status} (${clock() - started} ms)`);
      const outcome = classify(answer, { method: 'GET', pathname: url.pathname, resource }, clock(), secrets);
      return answer.status === 401 && outcome.kind === 'fatal' ? { ...outcome, refused: authorization } : outcome;
    } finally {
      slots.release();
    }
  }

  /**
   * retry-after, else (headers showing room: a burst or tier limit, not the company's) a short
   * backoff, else the window's reset unless the headers showed resets that move or never come,
   * else a longer backoff.
   */
  function rateLimitWait(retryAfterMs: number | null, consecutive: number): number {
    if (retryAfterMs !== null) return retryAfterMs;
    if (lastRate && lastRate.remaining - inFlight >= 1) return backoffDelay(consecutive, Math.max(opts.retryBaseMs, windowMs / 120));
    const resetIn = lastRate ? lastRate.resetAt - frontClock.resetOffsetMs() - clock() : NaN;
    if (budget.limiterReading() !== 'moving' && resetIn > 0 && resetIn <= windowMs) return resetIn;
    return backoffDelay(consecutive, Math.max(opts.retryBaseMs, windowMs / 60));
  }

  /** `malformed(json)`: why a 200 answer is unusable (retried like a truncated body), or null. */
  async function request(first: URL, resource?: string, malformed?: (json: unknown) => string | null): Promise<unknown> {
    let url = first;
    let failures = 0;
    let limited = 0;
    let limitedWaitMs = 0;
    let redirects = 0;
    let renewed = false;
    for (;;) {
      const endpoint = endpointKey('GET', url.href);
      let outcome = await attempt(url, endpoint, resource);
      const problem = outcome.kind === 'ok' && malformed ? malformed(outcome.json) : null;
      if (problem) outcome = { kind: 'transient', reason: problem };
      switch (outcome.kind) {
        case 'ok':
          return outcome.json;
        case 'fatal':
          // An OAuth access token expired or was revoked early: one renewal, then the 401 stands.
          if (outcome.refused !== undefined && credentials.renewable && !renewed) {
            renewed = true;
            await credentials.renew(outcome.refused);
            continue;
          }
          stats.failed();
          // Which Front, and which setting to fix: a planted config may have pointed either elsewhere.
          if (outcome.error instanceof AuthError) throw new AuthError(`${outcome.error.message} (Front at ${baseUrl}; token from ${opts.tokenFrom ?? 'the caller'})`);
          throw outcome.error;
        case 'redirect':
          if (++redirects > MAX_REDIRECTS) throw new FrontProtocolError(`Front redirected ${endpoint} more than ${MAX_REDIRECTS} times`);
          url = allowedUrl(baseUrl, outcome.location, url.href, "Front's redirect");
          continue;
        case 'rate-limited': {
          stats.rateLimitedOnce();
          limited++;
          const wait = rateLimitWait(outcome.retryAfterMs, limited);
          const maxWaitMs = MAX_RATE_LIMIT_WAIT_WINDOWS * windowMs;
          if (outcome.retryAfterMs !== null && outcome.retryAfterMs > maxWaitMs) {
            throw new RateLimitError(
              `Front asked to wait ${formatSeconds(outcome.retryAfterMs)} s before ${endpoint} again (429 retry-after), longer than a run waits ` +
                `(${formatSeconds(maxWaitMs)} s); progress is saved: run again later, or find the integration using the company's limit`,
            );
          }
          if (limited >= MAX_CONSECUTIVE_429 || limitedWaitMs + wait > maxWaitMs) {
            throw new RateLimitError(
              `Front kept refusing ${endpoint} on rate limit (429 ${limited} times in a row, ${(limitedWaitMs / 1000).toFixed(1)} s waited); ` +
                `other integrations may be using the company's whole limit`,
            );
          }
          limitedWaitMs += wait;
          // Everyone waits, not only this request: the others would just collect 429s too.
          pacer?.holdUntil(clock() + wait);
          if (outcome.tier) pacer?.narrowBurst();
          log('warn', `Front rate limit (429) on ${endpoint}: waiting ${(wait / 1000).toFixed(1)} s, until ${clockTime(clock() + wait)}`);
          await stats.waiting(() => sleep(wait, signal));
          break;
        }
        case 'transient': {
          stats.failed();
          limited = 0;
          failures++;
          const reason = clean(outcome.reason, secrets);
          if (failures > opts.retries) {
            const hint = outcome.network ? `; ${CHECK_URL}` : '; Front itself is failing, try again later';
            throw new FrontUnavailableError(`Front unavailable at ${url.host}: ${endpoint} failed ${failures} ${failures === 1 ? 'time' : 'times'} (last: ${reason})${hint}`);
          }
          const wait = backoffDelay(failures, opts.retryBaseMs);
          log('debug', `${endpoint} failed (${reason}); retry ${failures} of ${opts.retries} in ${wait} ms`);
          await stats.waiting(() => sleep(wait, signal));
          break;
        }
      }
      stats.retried();
    }
  }

  function startUrl(pathOrUrl: string, query: Query | undefined, what: string): URL {
    return allowedUrl(baseUrl, requestUrl(baseUrl, pathOrUrl, query), baseUrl, what);
  }

  return {
    async get<T>(pathOrUrl: string, query?: Query, getOpts?: { resource?: string }): Promise<T> {
      return (await request(startUrl(pathOrUrl, query, 'the request URL'), getOpts?.resource)) as T;
    },

    async *pages<T>(pathOrUrl: string, query?: Query, pageOpts: { readAhead?: (items: T[]) => boolean } = {}): AsyncGenerator<FrontPageResult<T>> {
      let url: URL | null = startUrl(pathOrUrl, query, 'the saved page link');
      let ahead: Promise<unknown> | null = null;
      // Every page read in this walk: a next link back to any of them is a cycle, whatever its length.
      const read = new Set<string>();
      while (url) {
        read.add(url.href);
        const page = (await (ahead ?? request(url, undefined, pageProblem))) as FrontPage<T>;
        const next: string | null = page._pagination?.next ?? null;
        // Checked before the page is yielded, so a refused link is never saved as a checkpoint.
        const nextUrl: URL | null = next ? allowedUrl(baseUrl, next, url.href, "Front's next page link") : null;
        if (nextUrl && read.has(nextUrl.href)) {
          const endpoint = endpointKey('GET', url.href);
          throw new FrontProtocolError(
            nextUrl.href === url.href
              ? `Front's next page link for ${endpoint} repeats the page just read`
              : `Front's next page links for ${endpoint} loop back to a page already read (after ${read.size} pages); progress up to the loop is saved`,
          );
        }
        ahead = nextUrl && pageOpts.readAhead?.(page._results) ? settledLater(request(nextUrl, undefined, pageProblem)) : null;
        yield { items: page._results, next: nextUrl?.href ?? null, url: url.href };
        url = nextUrl;
      }
    },

    stats: () => stats.snapshot(),
    rateLimit: () => (lastRate ? { ...lastRate } : null),
    frontClock,
  };
}

/** HH:MM:SS (UTC) of an epoch ms, for "until when" in log lines. */
function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

/** A request read ahead may never be awaited (the caller stopped): its failure must not go unhandled. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * A list page must carry `_results` and `_pagination` (the spec's every list does): reading a page
 * without `_pagination` as the last one would end the listing early and silently, so it is a
 * malformed answer, retried like a truncated body.
 */
function pageProblem(body: unknown): string | null {
  const page = body as Partial<FrontPage<unknown>> | null;
  if (!page || typeof page !== 'object' || !Array.isArray(page._results)) return 'a list answer without _results';
  if (!page._pagination || typeof page._pagination !== 'object') return 'a list page without _pagination';
  return null;
}

/** Seconds for a message: whole ones, or one decimal below ten (the sandbox compresses time). */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return seconds >= 10 ? String(Math.round(seconds)) : seconds.toFixed(1);
}
