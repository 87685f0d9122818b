import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpGet, RequestTimeoutError } from '../../src/front/http-get.ts';

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A server whose every answer is written by `answer`; returns its URL. */
async function serve(answer: (res: ServerResponse) => void): Promise<URL> {
  const server = createServer((req, res) => {
    req.resume();
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/me`);
}

const get = (url: URL, timeoutMs = 1000) => httpGet(url, { headers: { accept: 'application/json' }, timeoutMs });

describe('httpGet', () => {
  it('returns status, headers and the body, with a character split between two writes intact', async () => {
    const bytes = Buffer.from('{"name":"Zoë ☃"}');
    const url = await serve((res) => {
      res.writeHead(201, 'Made', { 'x-ratelimit-remaining': '7' });
      res.write(bytes.subarray(0, 12));
      setTimeout(() => res.end(bytes.subarray(12)), 20);
    });
    const answer = await get(url);
    expect(answer).toMatchObject({ status: 201, statusText: 'Made', body: '{"name":"Zoë ☃"}' });
    expect(answer.headers['x-ratelimit-remaining']).toBe('7');
  });

  it('rejects an answer cut off before its end as a connection reset', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"_results": [');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('times out on the whole exchange, body included', async () => {
    const url = await serve((res) => {
      res.writeHead(200);
      res.write('{');
    });
    const started = Date.now();
    const err = await get(url, 150).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe('timeout after 150 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
