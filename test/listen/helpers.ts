// An in-process listener (handler + HTTP server + in-memory store) and a tiny HTTP client, so
// request-handling tests talk HTTP to the real code without spawning anything.

import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { createWebhookHandler, type WebhookHandlerDeps } from '../../src/listen/handler.ts';
import { startHttpServer } from '../../src/listen/http-server.ts';
import type { AuthSettings } from '../../src/listen/authenticate.ts';

export const SECRET = 'app-signing-secret-0123456789';
export const RULE_SECRET = 'rule-shared-secret-9876543210';

/** Front's scheme, computed here independently of src/listen. */
export function sign(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}:`), Buffer.from(body)])).digest('base64');
}

export function signedHeaders(body: string | Buffer, opts: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const ts = String(opts.timestamp ?? Date.now());
  return { 'content-type': 'application/json', 'x-front-request-timestamp': ts, 'x-front-signature': sign(opts.secret ?? SECRET, ts, body) };
}

let counter = 0;
export function appEvent(conversationId = 'cnv_1', eventId = `evt_${++counter}`, type = 'inbound'): string {
  return JSON.stringify({
    type,
    authorization: { id: 'cmp_1' },
    payload: {
      _links: { self: `http://front.invalid/events/${eventId}` },
      id: eventId,
      type,
      emitted_at: Date.now() / 1000,
      conversation: { id: conversationId, _links: { self: `http://front.invalid/conversations/${conversationId}` } },
    },
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed; T names what the test reads of it. */
  json<T = unknown>(): T;
}

export function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; writeBody?: (req: ReturnType<typeof request>) => void } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (opts.writeBody) opts.writeBody(req);
    else req.end(opts.body);
  });
}

export interface TestListener {
  url: string;
  base: string;
  store: Store;
  warnings: string[];
  queuedSignals: number;
  close(): Promise<void>;
}

export async function startTestListener(
  auth: Partial<AuthSettings> = {},
  extra: Partial<Pick<WebhookHandlerDeps, 'clock' | 'maxBodyBytes' | 'accepting' | 'health'>> = {},
  /** The state behind it; an in-memory SQLite store by default. */
  store: Store = openStore(':memory:'),
): Promise<TestListener> {
  const warnings: string[] = [];
  const state = { queuedSignals: 0 };
  const handler = createWebhookHandler({
    path: '/front/webhook',
    auth: { secret: SECRET, ruleSecret: null, ruleSecretHeader: 'x-front-import-secret', insecure: false, ...auth },
    queue: store,
    clock: Date.now,
    onQueued: () => (state.queuedSignals += 1),
    accepting: () => true,
    warn: (line) => warnings.push(line),
    debug: () => undefined,
    ...extra,
  });
  const server = await startHttpServer(handler, '127.0.0.1', 0);
  const base = `http://127.0.0.1:${server.port}`;
  return {
    url: `${base}/front/webhook`,
    base,
    store,
    warnings,
    get queuedSignals() {
      return state.queuedSignals;
    },
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
