// The sandbox: a simulated Front Core API on 127.0.0.1 over a seeded workspace, with Front's rate
// limits, injectable faults and a control API. Users try the tool with it; every test and
// benchmark runs against it.

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLAN_RPM } from '../front-api/plans.js';
import { UsageError } from '../errors.js';
import { createRoutes } from './api.js';
import { deriveTokens } from './auth.js';
import { controlOverHttp, createControl } from './control.js';
import { LIMITER_MODELS, type LimiterModel } from './limiter-models.js';
import { FaultInjector } from './faults.js';
import { generateWorkspace } from './generate.js';
import { LiveWorkspace } from './live-workspace.js';
import { SandboxOAuth } from './oauth.js';
import { Mutations } from './mutations.js';
import { seededRandom } from './random.js';
import { Quirks, type PageTokenStyle } from './quirks.js';
import { RateLimiter } from './rate-limit.js';
import { Renderer } from './render.js';
import { createRequestHandler } from './server.js';
import type { RequestLogEntry, SandboxHandle, SandboxOptions } from './types.js';
import { WebhookSender } from './webhooks.js';

export type * from './types.js';

const DEFAULTS = {
  seed: 1 as number | string,
  conversations: 200,
  days: 7,
  inboxes: 4,
  plan: 'professional' as const,
  windowMs: 60_000,
  rateLimit: true,
  limiter: 'fixed' as LimiterModel,
  clockSkewMs: 0,
  pageTokens: 'keyset' as PageTokenStyle,
  eventSnapshots: 'event-time' as const,
  ticketing: true,
  pii: false,
  port: 0,
  host: '127.0.0.1',
};

type Resolved = Omit<Required<SandboxOptions>, 'now' | 'faults' | 'messagesPerConversation' | 'oauth'>;

/** Defaults for everything left undefined (flags the user did not pass arrive as undefined). */
export function resolveSandboxOptions(opts: SandboxOptions): Resolved {
  const o: Resolved = { ...DEFAULTS };
  for (const [key, value] of Object.entries(opts)) {
    if (value !== undefined && key in DEFAULTS) (o as unknown as Record<string, unknown>)[key] = value;
  }
  const wholeAtLeast = (name: string, n: number, min: number) => {
    if (!Number.isInteger(n) || n < min) throw new UsageError(`sandbox: ${name} must be a whole number >= ${min}`);
  };
  wholeAtLeast('conversations', o.conversations, 0);
  wholeAtLeast('inboxes', o.inboxes, 1);
  wholeAtLeast('windowMs', o.windowMs, 1);
  wholeAtLeast('port', o.port, 0);
  if (!(o.days > 0) || !Number.isFinite(o.days)) throw new UsageError('sandbox: days must be a number > 0');
  if (!(o.plan in PLAN_RPM)) throw new UsageError(`sandbox: plan must be one of ${Object.keys(PLAN_RPM).join(', ')}`);
  if (!LIMITER_MODELS.includes(o.limiter)) throw new UsageError(`sandbox: limiter must be one of ${LIMITER_MODELS.join(', ')}`);
  if (!Number.isFinite(o.clockSkewMs)) throw new UsageError('sandbox: clockSkewMs must be a number');
  if (o.pageTokens !== 'keyset' && o.pageTokens !== 'offset') throw new UsageError('sandbox: pageTokens must be keyset or offset');
  checkDensity(opts.messagesPerConversation);
  if (o.eventSnapshots !== 'event-time' && o.eventSnapshots !== 'read-time') {
    throw new UsageError('sandbox: eventSnapshots must be event-time or read-time');
  }
  return o;
}

function checkDensity(density: SandboxOptions['messagesPerConversation']): void {
  if (density === undefined) return;
  const list = typeof density === 'number' ? [density] : density;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new UsageError('sandbox: messagesPerConversation must be a whole number >= 1 or a non-empty list of them');
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const o = resolveSandboxOptions(opts);
  const machineNow = opts.now ?? Date.now;
  let skewMs = o.clockSkewMs;
  // Front's clock: everything the sandbox stamps or reports runs on it.
  const now = () => machineNow() + skewMs;
  const quirks = new Quirks();
  quirks.setPageTokens(o.pageTokens);
  const faults = new FaultInjector(o.seed, opts.faults);
  const ws = new LiveWorkspace(
    generateWorkspace({ seed: o.seed, conversations: o.conversations, days: o.days, inboxes: o.inboxes, nowMs: Math.floor(now()), messagesPerConversation: opts.messagesPerConversation, pii: o.pii }),
    now,
  );
  const tokens = deriveTokens(o.seed);
  const oauth = new SandboxOAuth(o.seed, now, opts.oauth);
  const limiter = o.rateLimit ? new RateLimiter({ limit: PLAN_RPM[o.plan], windowMs: o.windowMs, now, model: o.limiter }) : null;

  const server = createServer();
  server.keepAliveTimeout = 10_000;
  await listen(server, o.port, o.host);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;

  const renderer = new Renderer(origin, o.ticketing);
  let foreignOrigin: string | null = null;
  const webhooks = new WebhookSender(ws.company.id, now);
  const mutations = new Mutations(ws, seededRandom(o.seed, 'mutations'), (events) =>
    webhooks.send(events.map((e) => ({ id: e.id, type: e.type, preview: renderer.eventPreview(e), full: renderer.event(e, 'event-time') }))),
  );
  const log: RequestLogEntry[] = [];
  const control = createControl({
    ws,
    mutations,
    faults,
    limiter,
    renderer,
    webhooks,
    log,
    setForeignNextOrigin: (value) => {
      foreignOrigin = value === null ? null : new URL(value).origin;
    },
    setClockSkew: (ms) => {
      skewMs = ms;
    },
    quirks,
    oauth,
  });

  const pending = new Set<{ timer: NodeJS.Timeout; reject: (err: Error) => void }>();
  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      pending.add(entry);
    });

  server.on(
    'request',
    createRequestHandler({
      routes: createRoutes({ ws, renderer, snapshots: o.eventSnapshots, nextOrigin: () => foreignOrigin ?? origin, quirks }),
      tokens,
      oauth,
      limiter,
      faults,
      now,
      origin,
      log,
      control: controlOverHttp(control),
      wait,
    }),
  );

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.reject(new Error('sandbox closed'));
      }
      pending.clear();
      webhooks.close();
      oauth.release();
      faults.releaseRequests();
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  return { url: origin, tokens, oauth: { clientId: oauth.clientId, clientSecret: oauth.clientSecret }, control, close };
}

/** A port that cannot be bound is the user's to change (exit 2), as for `listen`. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new UsageError(`sandbox: cannot listen on ${host}:${port} (${err.code}); choose another --port, or leave it out for a free one`)
          : err,
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
