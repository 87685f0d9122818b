// The control API: in process as `SandboxControl`, and over HTTP as `POST /__sandbox/<method>` so
// tests can drive a sandbox running in another process. HTTP body: a JSON array of the method's
// arguments, or a single non-array value as its only argument, or nothing; answer `{"result": …}`,
// or 400 `{"error": …}` when the call is refused.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { FrontImportError, UsageError } from '../errors.js';
import { LIMITER_MODELS } from './limiter-models.js';
import { type FaultInjector, refuseUnknownKeys } from './faults.js';
import type { LiveWorkspace } from './live-workspace.js';
import type { Mutations } from './mutations.js';
import { type OAuthSettings, REFRESH_TOKEN_MODES, type SandboxOAuth, TOKEN_HOLDS } from './oauth.js';
import type { Quirks } from './quirks.js';
import { RETRY_AFTER_FORMATS, type RateLimiter } from './rate-limit.js';
import type { Renderer } from './render.js';
import { buildTruth, copyTruth } from './truth.js';
import type { RequestLogEntry, SandboxControl, SandboxTruth } from './types.js';
import type { WebhookSender } from './webhooks.js';
import { errorMessage } from '../shared/error-message.js';

export interface ControlDeps {
  ws: LiveWorkspace;
  mutations: Mutations;
  faults: FaultInjector;
  limiter: RateLimiter | null;
  renderer: Renderer;
  webhooks: WebhookSender;
  log: RequestLogEntry[];
  setForeignNextOrigin(origin: string | null): void;
  setClockSkew(ms: number): void;
  quirks: Quirks;
  oauth: SandboxOAuth;
}

export function createControl(deps: ControlDeps): SandboxControl {
  const { mutations, faults, webhooks, log, quirks } = deps;
  // Rendering the whole workspace is the costly part of truth() (a quarter of a second at 1,200
  // conversations), and tests ask for it several times between changes: it is kept per version,
  // weakly, so a long-lived sandbox (the bench's 50,000 conversations, `front-import sandbox`) does
  // not hold every rendered body once nobody asks.
  let truth: { version: number; value: WeakRef<SandboxTruth> } | null = null;
  return {
    addConversation: (spec) => mutations.addConversation(spec),
    addMessage: (id, message) => mutations.addMessage(id, message),
    setStatus: (id, status) => mutations.setStatus(id, status),
    tag: (id, name) => mutations.tag(id, name),
    untag: (id, name) => mutations.untag(id, name),
    assign: (id, teammateId) => mutations.assign(id, teammateId),
    setMessageBody: (id, body, text) => mutations.setMessageBody(id, body, text),
    setTags: (id, names) => mutations.setTags(id, names),
    setFaults: (patch) => faults.set(patch),
    failNext: (rule) => faults.failNext(rule),
    clearFaults: () => faults.clear(),
    holdRequests: () => faults.holdRequests(),
    releaseRequests: () => faults.releaseRequests(),
    throttleNext: (opts) => faults.throttleNext(opts),
    setOtherLoad: (n) => deps.limiter?.setOtherLoad(n),
    setForeignNextOrigin: (origin) => deps.setForeignNextOrigin(origin),
    setRateLimiter: (model) => {
      if (!LIMITER_MODELS.includes(model)) throw new UsageError(`setRateLimiter: model must be one of ${LIMITER_MODELS.join(', ')}`);
      deps.limiter?.setModel(model);
    },
    setRetryAfter: (format) => {
      if (!RETRY_AFTER_FORMATS.includes(format)) throw new UsageError(`setRetryAfter: format must be one of ${RETRY_AFTER_FORMATS.join(', ')}`);
      deps.limiter?.setRetryAfterFormat(format);
    },
    setClockSkew: (ms) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new UsageError('setClockSkew: ms must be a number');
      deps.setClockSkew(ms);
    },
    expirePageTokens: () => quirks.expirePageTokens(),
    setPageTokens: (style) => quirks.setPageTokens(style),
    setDeletesDuringPaging: (perPage) => quirks.setDeletesDuringPaging(perPage),
    setCyclicNext: (cycle) => quirks.setCyclicNext(cycle),
    poisonConversation: (id, poisoned = true) => quirks.poison(id, poisoned),
    requestLog: () => log.map((entry) => ({ ...entry, query: { ...entry.query } })),
    clearRequestLog: () => {
      log.length = 0;
    },
    truth: () => {
      let value = truth?.version === deps.ws.version ? truth.value.deref() : undefined;
      if (!value) {
        value = buildTruth(deps.ws, deps.renderer);
        truth = { version: deps.ws.version, value: new WeakRef(value) };
      }
      // A copy each time: callers may change it freely without touching the renderer's shared objects.
      return copyTruth(value);
    },
    configureOAuth: (settings) => deps.oauth.configure(checkedOAuthSettings(settings)),
    revokeOAuth: () => deps.oauth.revoke(),
    oauthStats: () => deps.oauth.stats(),
    releaseOAuth: () => deps.oauth.release(),
    expireOAuth: () => deps.oauth.expireAccessTokens(),
    oauthIssued: () => deps.oauth.issued(),
    setWebhook: (target) => webhooks.set(target),
    flushWebhooks: () => webhooks.flush(),
    webhookLog: () => webhooks.log(),
  };
}

const METHODS = new Set<string>([
  'addConversation',
  'addMessage',
  'setStatus',
  'tag',
  'untag',
  'assign',
  'setMessageBody',
  'setTags',
  'setFaults',
  'failNext',
  'clearFaults',
  'holdRequests',
  'releaseRequests',
  'throttleNext',
  'setOtherLoad',
  'setForeignNextOrigin',
  'setRateLimiter',
  'setRetryAfter',
  'setClockSkew',
  'expirePageTokens',
  'setPageTokens',
  'setDeletesDuringPaging',
  'setCyclicNext',
  'poisonConversation',
  'requestLog',
  'clearRequestLog',
  'truth',
  'configureOAuth',
  'revokeOAuth',
  'oauthStats',
  'releaseOAuth',
  'expireOAuth',
  'oauthIssued',
  'setWebhook',
  'flushWebhooks',
  'webhookLog',
] satisfies (keyof SandboxControl)[]);

export function controlOverHttp(control: SandboxControl) {
  return (req: IncomingMessage, res: ServerResponse, method: string): void => {
    const reply = (status: number, body: unknown) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    if (req.method !== 'POST') {
      req.resume();
      reply(405, { error: 'control methods are called with POST' });
      return;
    }
    if (!METHODS.has(method)) {
      req.resume();
      reply(404, { error: `no control method ${method}` });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8').trim();
          const parsed: unknown = text === '' ? [] : JSON.parse(text);
          const args = Array.isArray(parsed) ? parsed : [parsed];
          const fn = control[method as keyof SandboxControl] as (...a: unknown[]) => unknown;
          const result = await fn(...args);
          reply(200, { result: result ?? null });
        } catch (err) {
          const refused = err instanceof FrontImportError || err instanceof SyntaxError;
          reply(refused ? 400 : 500, { error: errorMessage(err) });
        }
      })();
    });
  };
}

function checkedOAuthSettings(settings: Partial<OAuthSettings>): Partial<OAuthSettings> {
  refuseUnknownKeys('configureOAuth', settings, ['lifetimeMs', 'refreshTokens', 'autoApprove', 'hold', 'errorStatus'] satisfies (keyof OAuthSettings)[]);
  if (settings.lifetimeMs !== undefined && !(Number.isInteger(settings.lifetimeMs) && settings.lifetimeMs > 0)) {
    throw new UsageError('configureOAuth: lifetimeMs must be a whole number of milliseconds > 0');
  }
  if (settings.refreshTokens !== undefined && !REFRESH_TOKEN_MODES.includes(settings.refreshTokens)) {
    throw new UsageError(`configureOAuth: refreshTokens must be one of ${REFRESH_TOKEN_MODES.join(', ')}`);
  }
  if (settings.hold !== undefined && !TOKEN_HOLDS.includes(settings.hold)) {
    throw new UsageError(`configureOAuth: hold must be one of ${TOKEN_HOLDS.join(', ')}`);
  }
  if (settings.errorStatus !== undefined && settings.errorStatus !== null && !(Number.isInteger(settings.errorStatus) && settings.errorStatus >= 400 && settings.errorStatus <= 599)) {
    throw new UsageError('configureOAuth: errorStatus must be an HTTP error status (400-599) or null');
  }
  return settings;
}
