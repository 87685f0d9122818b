// A NEXT AI stand-in on 127.0.0.1: records every POSTed batch with its Idempotency-Key and can be
// told to fail (status codes, retry-after, slowness, poisoned items, or not listen at all), or be
// given a script of exact answers (the destination's unit tests). It also keeps every request's
// raw headers and body, so tests can search all bytes it was sent.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ReceivedBatch {
  key: string | undefined;
  authorization: string | undefined;
  highlights: Array<Record<string, unknown> & { id: string; version: string }>;
  at: number;
}

/** One scripted answer; `hang` never answers (close() drops the connection). */
export type ScriptedReply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface ReceiverBehaviour {
  /** Answer request n with script[n] (the last one repeats) instead of acting as a receiver. */
  script?: ScriptedReply[];
  /** Answer the next N requests with this status (and retry-after seconds, if given). */
  failNext?: { count: number; status: number; retryAfter?: number };
  /** Reject (400) any batch containing one of these Highlight ids. */
  poison?: string[];
  /** Delay every answer. */
  delayMs?: number;
  /** Delay the next N answers by `ms` (on top of delayMs), e.g. past the client's timeout. */
  slowNext?: { count: number; ms: number };
  /**
   * Called as each request arrives, before it is answered (1 = the first request this receiver got),
   * so a test can act at an exact point of a delivery, e.g. kill the sender mid-batch.
   */
  onRequest?: (n: number) => void;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** As sent, decoded as UTF-8. */
  body: string;
}

export interface Receiver {
  url: string;
  batches: ReceivedBatch[];
  /** Accepted (id, version) pairs in arrival order; a repeated key is recorded once, as a deduping receiver would. */
  accepted(): Array<{ id: string; version: string; key: string | undefined }>;
  requests: number;
  /** Every request as received, accepted or not. */
  raw: RawRequest[];
  behave(b: ReceiverBehaviour): void;
  /** Stops listening (connections are refused) until up(); the URL stays the same. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A port on 127.0.0.1 nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  // Below the ports the system hands out for listen(0) and outgoing connections (Linux: from 32768;
  // others from 49152): a port freed here cannot be taken by another test's server or connection
  // before the caller connects to it, as one from listen(0) could be.
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await freePort(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000 on 127.0.0.1');
}

/** Whether nothing listens on the port: listening on it once, then closing. */
async function freePort(port: number): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  return listening;
}

export interface ReceiverOptions {
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

export async function startReceiver(initial: ReceiverBehaviour = {}, opts: ReceiverOptions = {}): Promise<Receiver> {
  let behaviour: ReceiverBehaviour = { ...initial };
  const batches: ReceivedBatch[] = [];
  const seenKeys = new Set<string>();
  const raw: RawRequest[] = [];
  let requests = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests += 1;
      raw.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      behaviour.onRequest?.(requests);
      if (behaviour.script?.length) {
        const reply = behaviour.script[Math.min(requests - 1, behaviour.script.length - 1)]!;
        if (reply !== 'hang') res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
        return;
      }
      const slow = behaviour.slowNext && behaviour.slowNext.count > 0 ? behaviour.slowNext : null;
      if (slow) slow.count -= 1;
      const delayMs = (behaviour.delayMs ?? 0) + (slow?.ms ?? 0);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        };
        if (delayMs) setTimeout(send, delayMs);
        else send();
      };
      const fail = behaviour.failNext;
      if (fail && fail.count > 0) {
        fail.count -= 1;
        answer(fail.status, { error: `injected ${fail.status}` }, fail.retryAfter !== undefined ? { 'retry-after': String(fail.retryAfter) } : {});
        return;
      }
      let body: { highlights?: ReceivedBatch['highlights'] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        answer(400, { error: 'body is not JSON' });
        return;
      }
      const highlights = body.highlights ?? [];
      const bad = highlights.find((h) => behaviour.poison?.includes(h.id));
      if (bad) {
        answer(422, { error: `highlight ${bad.id} rejected: title too spicy` });
        return;
      }
      const key = req.headers['idempotency-key'] as string | undefined;
      if (key && seenKeys.has(key)) {
        answer(409, { error: 'duplicate idempotency key' });
        return;
      }
      if (key) seenKeys.add(key);
      batches.push({ key, authorization: req.headers.authorization, highlights, at: Date.now() });
      answer(200, { accepted: highlights.length });
    });
  };
  const server: Server = opts.tls ? createTlsServer(opts.tls, handler) : createServer(handler);
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1/highlights`,
    batches,
    get requests() {
      return requests;
    },
    raw,
    accepted: () => batches.flatMap((b) => b.highlights.map((h) => ({ id: h.id, version: h.version, key: b.key }))),
    behave(b) {
      behaviour = { ...behaviour, ...b };
    },
    down: stop,
    up: () => listen(port),
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
