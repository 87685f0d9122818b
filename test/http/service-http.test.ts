// The transport alone: what got gives each service (whole bodies, decompression, a timeout on the
// whole exchange) and what it must not do on its own (follow redirects, retry, quote the token).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceHttp, describeNetworkFailure } from '../../src/http/service-http.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server whose every answer is written by `answer`; returns its URL and the requests it saw. */
async function serve(answer: (res: ServerResponse, req: IncomingMessage) => void) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    answer(res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = createServiceHttp({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1000, what: 'test' });
  closers.push(() => {
    http.close();
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`, seen, http };
}

const TOKEN = 'tok_service_http_secret_1234';

describe('createServiceHttp', () => {
  it('answers with the whole body as text, a character split between two writes intact', async () => {
    const bytes = Buffer.from('{"name":"Zoë ☃"}');
    const { url, http } = await serve((res) => {
      res.writeHead(201, 'Made', { 'x-ratelimit-remaining': '7' });
      res.write(bytes.subarray(0, 12));
      setTimeout(() => res.end(bytes.subarray(12)), 20);
    });
    const answer = await http.got.get(url);
    expect([answer.statusCode, answer.statusMessage, answer.body]).toEqual([201, 'Made', '{"name":"Zoë ☃"}']);
    expect(answer.headers['x-ratelimit-remaining']).toBe('7');
  });

  it('decompresses a gzip answer', async () => {
    const { url, http, seen } = await serve((res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(gzipSync('{"_results":[]}'));
    });
    expect((await http.got.get(url)).body).toBe('{"_results":[]}');
    expect(seen[0]!.headers['accept-encoding']).toMatch(/gzip/);
  });

  it('neither follows a redirect nor retries a failure: both are the service client’s decisions', async () => {
    const { url, http, seen } = await serve((res, req) => {
      if (req.url === '/me') res.writeHead(302, { location: '/elsewhere' }).end();
      else res.writeHead(503).end();
    });
    expect((await http.got.get(url)).statusCode).toBe(302);
    expect((await http.got.get(url.replace('/me', '/down'))).statusCode).toBe(503);
    expect(seen.map((r) => r.url)).toEqual(['/me', '/down']);
  });

  it('times out on the whole exchange, body included, and says so without the token', async () => {
    const { url, http } = await serve((res) => {
      res.writeHead(200);
      res.write('{');
    });
    const err = await http.got.get(url, { headers: { authorization: `Bearer ${TOKEN}` } }).catch((e: unknown) => e);
    expect(describeNetworkFailure(err, 1000)).toBe('timeout after 1000 ms');
  });

  it('reports an answer cut off before its end by its code alone', async () => {
    const { url, http } = await serve((res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"_results": [');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await http.got.get(url, { headers: { authorization: `Bearer ${TOKEN}` } }).catch((e: unknown) => e);
    expect(String((err as Error).message)).not.toBe('');
    expect(describeNetworkFailure(err, 1000)).toMatch(/^E[A-Z_]+$/);
    expect(describeNetworkFailure(err, 1000)).not.toContain(TOKEN);
  });

  it('has no proxy without the proxy variables', async () => {
    const { http } = await serve((res) => res.end('{}'));
    expect([http.proxy, http.secrets]).toEqual([null, []]);
  });
});
