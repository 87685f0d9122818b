// Front's answers are capped (front.maxResponseMB, default 64): a 200 that streams without end, or
// declares a huge length, fails as Front misbehaving instead of growing the process without bound.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceHttp, ResponseTooLargeError } from '../../src/http/service-http.ts';
import { run, testWorkdir } from '../helpers/cli.ts';

const MB = 1024 * 1024;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Answers every request 200 with JSON that never ends (bounded at 256 MB so a broken client cannot hang the test); counts the bytes it sent. */
async function endlessFront(): Promise<{ url: string; sent(): number; requests(): number }> {
  let sent = 0;
  let requests = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() });
    res.write('{"_results":[');
    let written = 0;
    const pump = () => {
      while (written < 256 * MB && !res.destroyed) {
        written += chunk.length;
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, sent: () => sent, requests: () => requests };
}

describe('Front response size cap', () => {
  it('the transport cuts a body over the cap with ResponseTooLargeError, having read little more than the cap', async () => {
    const front = await endlessFront();
    const http = createServiceHttp({ url: front.url, timeoutMs: 20_000, what: 'Front', maxResponseBytes: 2 * MB });
    try {
      await expect(http.got.get(`${front.url}/me`)).rejects.toBeInstanceOf(ResponseTooLargeError);
      expect(front.sent()).toBeLessThan(16 * MB);
    } finally {
      http.close();
    }
  });

  it('the binary: a 200 that never ends exits 5 at once, naming the endpoint and front.maxResponseMB, without retrying', async () => {
    const front = await endlessFront();
    const work = testWorkdir({ FRONT_API_TOKEN: 'token-for-the-endless-front', FRONT_API_URL: front.url });
    work.config(['front:', '  maxResponseMB: 2', '  retryBaseMs: 10', '  timeoutMs: 20000'].join('\n'));
    const r = await run(['sync', '--to', '-'], { cwd: work.dir, env: work.env });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/Front answered GET \S+ with more than 2 MB \(front\.maxResponseMB\); Front is misbehaving/);
    expect(front.requests()).toBe(1);
    expect(front.sent()).toBeLessThan(32 * MB);
    console.log(`front-response-cap: exit ${r.code} after ${front.requests()} request, ${(front.sent() / MB).toFixed(1)} MB sent by the server before the cut`);
  });
});
