// The HTTP side of `listen`: route, read at most 1 MB, authenticate, answer Front's validation
// challenge, and put accepted events in the durable queue before answering 200. No Front request
// and no mapping happens here, so Front gets its answer within its timeout whatever the backlog.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookQueue } from '../store/roles.js';
import { authenticate, type AuthSettings } from './authenticate.js';
import { parseWebhookEvent } from './parse-event.js';
import { MAX_BODY_BYTES, readBody } from './read-body.js';
import { routeRequest } from './route.js';
import { errorMessage } from '../shared/error-message.js';
import type { HealthReport } from './health.js';

export interface WebhookHandlerDeps {
  path: string;
  auth: AuthSettings;
  queue: Pick<WebhookQueue, 'enqueueWebhookEvent' | 'recordWebhookRejected' | 'listenerStats'>;
  clock(): number;
  /** Called after a new event was queued. */
  onQueued(): void;
  /** False once shutdown began: requests still arriving on open connections get 503. */
  accepting(): boolean;
  warn(line: string): void;
  debug(line: string): void;
  maxBodyBytes?: number;
  /** The Prometheus text served on GET /metrics; 404 without it. */
  metrics?: () => Promise<string>;
  /** How the latest batches went (see health.ts); ok when not given. */
  health?: () => HealthReport;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createWebhookHandler(deps: WebhookHandlerDeps): RequestHandler {
  const maxBody = deps.maxBodyBytes ?? MAX_BODY_BYTES;

  const refuse = async (req: IncomingMessage, res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}) => {
    try {
      await deps.queue.recordWebhookRejected(reason);
    } catch (err) {
      deps.debug(`listen: could not count a refused request: ${errorMessage(err)}`);
    }
    deps.warn(`webhook refused (${status} ${reason}) from ${req.socket.remoteAddress ?? 'unknown address'}`);
    reply(res, status, { error: reason }, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = routeRequest(req.method, req.url, deps.path);
    if (route.kind === 'health') {
      const stats = await deps.queue.listenerStats();
      const health = deps.health?.() ?? { status: 'ok' };
      const ok = health.status === 'ok';
      // A degraded listener is still alive (200, so a liveness probe does not restart it for a
      // destination's outage); `?strict` is for monitors that alert on it (503).
      reply(res, ok || !route.strict ? 200 : 503, { ok, ...health, queueDepth: stats.queued, lastDeliveryAt: stats.lastReceivedAt, lastProcessedAt: stats.lastProcessedAt });
      return;
    }
    if (route.kind === 'metrics') {
      if (!deps.metrics) return refuse(req, res, 404, 'unknown path');
      const text = await deps.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (route.kind === 'refuse') return refuse(req, res, route.status, route.reason, route.allow ? { allow: route.allow } : {});
    if (route.pathSecret !== null && deps.auth.ruleSecret === null) return refuse(req, res, 404, 'unknown path');
    if (!deps.accepting()) {
      reply(res, 503, { error: 'shutting down' }, { connection: 'close', 'retry-after': '5' });
      return;
    }

    const body = await readBody(req, maxBody, req.headers['content-length']);
    if (!body.ok) {
      if (body.reason === 'aborted') return;
      // Closing the connection is what stops the sender; the unread rest is never consumed.
      res.on('finish', () => req.socket.destroy());
      return refuse(req, res, 413, `body over ${maxBody} bytes`, { connection: 'close' });
    }
    const auth = authenticate({ headers: req.headers, pathSecret: route.pathSecret, rawBody: body.body }, deps.auth, deps.clock());
    if (!auth.ok) return refuse(req, res, 401, auth.reason);

    const challenge = req.headers['x-front-challenge'];
    if (typeof challenge === 'string') {
      reply(res, 200, { challenge });
      deps.debug('listen: answered the webhook validation challenge');
      return;
    }
    const parsed = parseWebhookEvent(body.body);
    if (!parsed.ok) return refuse(req, res, 400, parsed.reason);
    const queued = await deps.queue.enqueueWebhookEvent(parsed.event);
    reply(res, 200, { ok: true, duplicate: !queued });
    const { eventId, type, conversationId } = parsed.event;
    deps.debug(`listen: ${queued ? 'queued' : 'already seen'} ${type} event ${eventId}${conversationId ? ` (${conversationId})` : ''} via ${auth.via}`);
    if (queued) deps.onQueued();
  };

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Front retries a 5xx, and the event id dedupes the retry.
      deps.warn(`listen: could not handle a webhook request: ${errorMessage(err)}`);
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}
