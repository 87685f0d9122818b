// HTTP plumbing for the simulated API: one pipeline per request, in the order Front's edge would
// apply it: latency, one-shot faults, rate limits, random faults, auth, then the endpoint. Every
// answer (errors included) carries the rate-limit headers; tokens never reach the log.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiResponse, ApiError, type Route, matchRoute } from './api.js';
import { type Access, FULL_ACCESS, identify } from './auth.js';
import type { SandboxOAuth } from './oauth.js';
import type { Fault, FaultInjector } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import type { LoggedToken, RequestLogEntry, TokenLabel } from './types.js';
import { itemAt } from '../shared/item-at.js';

export interface ServerDeps {
  routes: readonly Route[];
  tokens: Record<TokenLabel, string>;
  oauth: SandboxOAuth;
  limiter: RateLimiter | null;
  faults: FaultInjector;
  now: () => number;
  /** The sandbox's own origin, for `_links.self`. */
  origin: string;
  log: RequestLogEntry[];
  /** Handles `/__sandbox/...` (the control API over HTTP). */
  control(req: IncomingMessage, res: ServerResponse, method: string): void;
  /** Timers the server is waiting on, so close() can cut them short. */
  wait(ms: number): Promise<void>;
}

export const CONTROL_PREFIX = '/__sandbox/';
/** The request log keeps the newest entries only, so a sandbox left running does not grow without end. */
export const REQUEST_LOG_LIMIT = 50_000;

interface Answer {
  status: number;
  body: unknown;
  /** Sent as is instead of the JSON of `body` (the malformed-body fault). */
  raw?: string;
  headers?: Record<string, string>;
}

export function createRequestHandler(deps: ServerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', deps.origin);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      deps.control(req, res, url.pathname.slice(CONTROL_PREFIX.length));
      return;
    }
    if (deps.oauth.handle(req, res, url)) return;
    handleApi(deps, req, res, url).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, errorAnswer(500, 'Internal server error', String(err)), null, deps.now());
    });
  };
}

async function handleApi(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const matched = matchRoute(deps.routes, url.pathname);
  const template = matched?.route.template ?? null;
  const who = identifyCaller(req.headers.authorization, deps);
  const entry: RequestLogEntry = {
    method: req.method ?? 'GET',
    path: url.pathname,
    pathTemplate: template,
    query: queryObject(url.searchParams),
    status: 0,
    token: who.label,
    at: deps.now(),
  };
  deps.log.push(entry);
  // Trimmed in chunks: one splice per 5,000 requests rather than one per request.
  if (deps.log.length > REQUEST_LOG_LIMIT + 5_000) deps.log.splice(0, deps.log.length - REQUEST_LOG_LIMIT);
  const finish = (answer: Answer | null) => {
    entry.status = answer?.status ?? 0;
    if (answer) send(res, answer, deps.limiter, deps.now());
    else res.destroy();
  };
  // Drain the request so keep-alive connections stay usable whatever we answer.
  req.resume();

  if (deps.faults.settings.latencyMs > 0) await deps.wait(deps.faults.settings.latencyMs);
  const held = deps.faults.gate(url.pathname);
  if (held) await held;

  const shot = deps.faults.oneShot(url.pathname, template);
  if (shot && !AFTER_ANSWER.has(shot.kind)) return finish(faultAnswer(shot as InsteadOfAnswer, deps.limiter));

  if (deps.limiter) {
    const decision = deps.limiter.take(template ?? 'unknown', matched?.route.isSearch ?? false);
    if (!decision.allowed) {
      const wait = Math.max(1, Math.ceil(decision.retryAfterMs));
      const message =
        decision.scope === 'burst'
          ? `Rate limit exceeded for tier-${decision.tier} route. Please retry in ${wait} milliseconds.`
          : decision.scope === 'search'
            ? `Rate limit exceeded for search. Please retry in ${wait} milliseconds.`
            : `Rate limit exceeded. Please retry in ${wait} milliseconds.`;
      const headers: Record<string, string> = {};
      const retryAfter = deps.limiter.retryAfterHeader(wait);
      if (retryAfter !== null) headers['retry-after'] = retryAfter;
      if (decision.tier !== null) headers['x-front-tier'] = String(decision.tier);
      return finish({ ...errorAnswer(429, 'Too many requests', message), headers });
    }
  }

  const fault = shot ?? deps.faults.random();
  if (fault?.kind === 'hang') await deps.wait(fault.ms);
  else if (fault && !AFTER_ANSWER.has(fault.kind)) return finish(faultAnswer(fault as InsteadOfAnswer, deps.limiter));

  const answer = respond(deps, req, url, who.access, who.label, matched);
  if (fault?.kind === 'malformed' && answer.status === 200) {
    const json = JSON.stringify(answer.body);
    return finish({ ...answer, raw: json.slice(0, Math.max(1, Math.floor(json.length / 2))) });
  }
  if (fault?.kind === 'no-pagination' && answer.status === 200 && answer.body && typeof answer.body === 'object') {
    const { _pagination: _dropped, ...rest } = answer.body as Record<string, unknown>;
    return finish({ ...answer, body: rest });
  }
  finish(answer);
}

function respond(
  deps: ServerDeps,
  req: IncomingMessage,
  url: URL,
  access: Access | null,
  who: LoggedToken,
  matched: ReturnType<typeof matchRoute>,
): Answer {
  if (!access) {
    const message = !req.headers.authorization
      ? 'Missing Authorization header with a Bearer token'
      : who === 'expired'
        ? 'The access token has expired'
        : 'The API token is invalid or has been revoked';
    return errorAnswer(401, 'Unauthorized', message);
  }
  if (!matched) return errorAnswer(404, 'Not found', `Unknown route ${url.pathname}`);
  if (req.method !== 'GET') return errorAnswer(405, 'Method not allowed', `The sandbox serves GET ${matched.route.template} only`);
  try {
    const result: ApiResponse = matched.route.handle({
      params: matched.params,
      query: url.searchParams,
      access,
      rawPath: url.pathname,
      selfUrl: `${deps.origin}${url.pathname}${url.search}`,
    });
    return result;
  } catch (err) {
    if (err instanceof ApiError) return errorAnswer(err.status, err.title, err.message);
    throw err;
  }
}

/** An API token, else an OAuth access token (an OAuth app reads what an admin's full token reads). */
function identifyCaller(authorization: string | undefined, deps: ServerDeps): { label: LoggedToken; access: Access | null } {
  const who = identify(authorization, deps.tokens);
  if (who.label !== 'unknown') return who;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  const oauth = deps.oauth.identify(bearer);
  if (oauth.kind === 'valid') return { label: 'oauth', access: FULL_ACCESS };
  return { label: oauth.kind === 'expired' ? 'expired' : 'unknown', access: null };
}

/** Faults that spoil the endpoint's own answer rather than replace it (a hang delays it). */
const AFTER_ANSWER: ReadonlySet<Fault['kind']> = new Set(['hang', 'malformed', 'no-pagination']);
type InsteadOfAnswer = Exclude<Fault, { kind: 'hang' | 'malformed' | 'no-pagination' }>;

function faultAnswer(fault: InsteadOfAnswer, limiter: RateLimiter | null): Answer | null {
  switch (fault.kind) {
    case 'reset':
      return null;
    case 'status':
      return errorAnswer(fault.status, STATUS_TITLES[fault.status] ?? 'Error', 'The sandbox injected this failure');
    case 'throttle': {
      const ms = fault.retryAfterSeconds * 1000;
      const retryAfter = limiter ? limiter.retryAfterHeader(ms) : String(fault.retryAfterSeconds);
      return {
        ...errorAnswer(429, 'Too many requests', `Rate limit exceeded. Please retry in ${Math.ceil(ms)} milliseconds.`),
        headers: retryAfter === null ? {} : { 'retry-after': retryAfter },
      };
    }
  }
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

function errorAnswer(status: number, title: string, message: string): Answer {
  return { status, body: { _error: { status, title, message } } };
}

/** `now` is the sandbox's clock, which may differ from the machine's (clock-skew mode): the Date header says so. */
function send(res: ServerResponse, answer: Answer, limiter: RateLimiter | null, now: number): void {
  const payload = answer.raw ?? JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    date: new Date(now).toUTCString(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...limiter?.headers(),
    ...answer.headers,
  });
  res.end(payload);
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? itemAt(values, 0) : values;
  }
  return out;
}
