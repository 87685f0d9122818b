// A tiny stand-in for Front on 127.0.0.1: each test scripts exactly the answers it needs and reads
// back what arrived (path, query, headers, arrival time). `memoryFront` answers the same scripts
// in-process, for tests that run the client on virtual time (no sockets, no wall clock).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach } from 'vitest';
import { createFrontClient, type FrontClient, type FrontClientOptions, type FrontTransport } from '../../src/front/client.ts';

export const TOKEN = 'tok_SECRET_5f2c9a1e7b3d';

export interface Arrival {
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  at: number;
}

/** What to answer: a JSON reply, or a broken connection of some kind. */
export type Reply =
  | { status?: number; statusText?: string; headers?: Record<string, string>; json?: unknown; raw?: string }
  | 'reset'
  | 'hang';

export interface FakeFront {
  url: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

const servers: FakeFront[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Starts a server answering every request with `respond(arrival, n)` (n counts from 0); closed after each test. */
export async function startFakeFront(respond: (arrival: Arrival, n: number) => Reply): Promise<FakeFront> {
  const arrivals: Arrival[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const arrival: Arrival = { path: url.pathname, url, headers: req.headers, at: performance.now() };
    arrivals.push(arrival);
    const reply = respond(arrival, arrivals.length - 1);
    if (reply === 'hang') return;
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    const body = reply.raw ?? JSON.stringify(reply.json ?? {});
    res.writeHead(reply.status ?? 200, reply.statusText ?? '', { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeFront = {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

/**
 * The same scripted Front as a transport: arrivals are stamped with Date.now(), which fake timers
 * control. 'hang' waits for the request's abort; 'reset' fails like a dropped connection.
 */
export function memoryFront(respond: (arrival: Arrival, n: number) => Reply): { transport: FrontTransport; arrivals: Arrival[] } {
  const arrivals: Arrival[] = [];
  const transport: FrontTransport = {
    secrets: [],
    async get(url, headers, signal) {
      const arrival: Arrival = { path: url.pathname, url, headers, at: Date.now() };
      arrivals.push(arrival);
      const reply = respond(arrival, arrivals.length - 1);
      if (reply === 'hang') return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
      if (reply === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const body = reply.raw ?? JSON.stringify(reply.json ?? {});
      return { status: reply.status ?? 200, statusText: reply.statusText ?? '', headers: { 'content-type': 'application/json', ...reply.headers }, body };
    },
  };
  return { transport, arrivals };
}

/** A client with test-sized timings; pacing off unless a test turns it on. */
export function clientFor(baseUrl: string, overrides: Partial<FrontClientOptions> = {}): FrontClient {
  return createFrontClient({
    baseUrl,
    token: TOKEN,
    userAgent: 'front-import/0.0.0-test',
    rpm: 6000,
    share: 0.8,
    burstPerSecond: 5,
    rateWindowMs: 60_000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 3,
    retryBaseMs: 5,
    pacing: false,
    ...overrides,
  });
}

export function page<T>(results: T[], next: string | null): { _results: T[]; _pagination: { next: string | null } } {
  return { _results: results, _pagination: { next } };
}

/** Every string an error exposes: message, stack, own properties, and the same for each cause. */
export function everythingIn(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (e instanceof Error) {
      parts.push(e.message, e.stack ?? '');
      for (const key of Object.getOwnPropertyNames(e)) parts.push(String((e as unknown as Record<string, unknown>)[key]));
      e = e.cause;
    } else {
      parts.push(String(e));
      e = undefined;
    }
  }
  parts.push(inspect(err, { depth: 10, showHidden: true }));
  return parts.join('\n');
}
