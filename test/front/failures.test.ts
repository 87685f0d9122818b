import { describe, expect, it } from 'vitest';
import {
  AuthError,
  FrontProtocolError,
  FrontRequestError,
  FrontUnavailableError,
  RateLimitError,
  ScopeError,
} from '../../src/errors.ts';
import { TOKEN, clientFor, everythingIn, page, startFakeFront, type Reply } from './fake-front.ts';

const ok: Reply = { json: { id: 'cmp_1', name: 'Acme' } };

describe('429', () => {
  it('waits retry-after (decimal seconds) and then succeeds', async () => {
    const front = await startFakeFront((_a, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0.3' } } : ok));
    const client = clientFor(front.url);

    await expect(client.get('/me')).resolves.toEqual({ id: 'cmp_1', name: 'Acme' });

    const gap = front.arrivals[1]!.at - front.arrivals[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(1000);
    const stats = client.stats();
    expect(stats).toMatchObject({ requests: 2, rateLimited: 1, retries: 1, failures: 0 });
    expect(stats.waitMs).toBeGreaterThanOrEqual(290);
  });

  it('without retry-after, waits until x-ratelimit-reset', async () => {
    let resetAt = 0;
    const front = await startFakeFront((_a, n) => {
      if (n > 0) return ok;
      resetAt = Date.now() + 250;
      return { status: 429, headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt / 1000) } };
    });
    await clientFor(front.url).get('/me');
    expect(front.arrivals[1]!.at - front.arrivals[0]!.at).toBeGreaterThanOrEqual(230);
  });

  it('holds the other requests too, not only the one that was refused', async () => {
    const front = await startFakeFront((a) => (a.path === '/first' && front.arrivals.length === 1 ? { status: 429, headers: { 'retry-after': '0.4' } } : ok));
    const client = clientFor(front.url, { pacing: true, rpm: 6000, share: 1, burstPerSecond: 100 });
    const first = client.get('/first');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([first, client.get('/second')]);

    const refusedAt = front.arrivals[0]!.at;
    const secondAt = front.arrivals.find((a) => a.path === '/second')!.at;
    expect(secondAt - refusedAt).toBeGreaterThanOrEqual(380);
  });

  it('gives up with RateLimitError after many 429s in a row', async () => {
    const front = await startFakeFront(() => ({ status: 429, headers: { 'retry-after': '0.001' } }));
    const client = clientFor(front.url);
    await expect(client.get('/events')).rejects.toBeInstanceOf(RateLimitError);
    expect(front.arrivals.length).toBeGreaterThan(5);
    expect(front.arrivals.length).toBeLessThanOrEqual(100);
    expect(client.stats().failures).toBe(0);
  });
});

describe('transient failures', () => {
  it('retries 5xx and fails with FrontUnavailableError naming the endpoint, attempts and last failure', async () => {
    const front = await startFakeFront(() => ({ status: 503, statusText: 'Service Unavailable' }));
    const client = clientFor(front.url, { retries: 5 });

    const err = await client.get('/events?limit=1').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(FrontUnavailableError);
    const host = new URL(front.url).host;
    expect((err as Error).message).toBe(`Front unavailable at ${host}: GET /events failed 6 times (last: 503 Service Unavailable); Front itself is failing, try again later`);
    expect(front.arrivals).toHaveLength(6);
    expect(client.stats()).toMatchObject({ requests: 6, failures: 6, retries: 5, rateLimited: 0 });
  });

  it.each<[string, Reply]>([
    ['a 500', { status: 500, statusText: 'Internal Server Error' }],
    ['a connection reset', 'reset'],
    ['malformed JSON in a 200', { raw: '{"_results": [' }],
  ])('retries after %s, then succeeds', async (_name, failure) => {
    const front = await startFakeFront((_a, n) => (n < 2 ? failure : ok));
    const client = clientFor(front.url);
    await expect(client.get('/me')).resolves.toEqual({ id: 'cmp_1', name: 'Acme' });
    expect(client.stats()).toMatchObject({ requests: 3, failures: 2, retries: 2 });
  });

  it('retries a timeout, then succeeds', async () => {
    const front = await startFakeFront((_a, n) => (n === 0 ? 'hang' : ok));
    const client = clientFor(front.url, { timeoutMs: 150 });
    await expect(client.get('/me')).resolves.toEqual({ id: 'cmp_1', name: 'Acme' });
    expect(front.arrivals).toHaveLength(2);
  });

  it('names the last failure when resets never stop', async () => {
    const front = await startFakeFront(() => 'reset');
    await expect(clientFor(front.url, { retries: 2 }).get('/messages/msg_1')).rejects.toThrow(
      /^Front unavailable at 127\.0\.0\.1:\d+: GET \/messages\/:id failed 3 times \(last: [A-Z_]+\); check FRONT_API_URL \(or front\.url/,
    );
  });

  it('stops retrying promptly when aborted', async () => {
    const front = await startFakeFront(() => ({ status: 503 }));
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const client = clientFor(front.url, { retries: 10, retryBaseMs: 10_000, signal: controller.signal });
    const started = Date.now();
    const pending = client.get('/me');
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('4xx', () => {
  it('401 is an AuthError telling the user to check the token', async () => {
    const front = await startFakeFront(() => ({ status: 401, json: { _error: { status: 401, title: 'Unauthorized', message: 'Invalid token' } } }));
    const err = await clientFor(front.url).get('/me').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(/rejected the token \(401\).*active.*copied in full/);
    expect(front.arrivals).toHaveLength(1);
  });

  it('403 on /events is a ScopeError naming the scope and Front\'s message', async () => {
    const front = await startFakeFront(() => ({
      status: 403,
      json: { _error: { status: 403, title: 'Forbidden', message: 'Missing scope events:*:read' } },
    }));
    const err = await clientFor(front.url).get('/events').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScopeError);
    expect((err as ScopeError).resource).toBe('/events');
    expect((err as Error).message).toContain('events:*:read');
    expect((err as Error).message).toContain('Missing scope events:*:read');
  });

  it('403 on a conversation names the conversation and says private inbox', async () => {
    const front = await startFakeFront(() => ({
      status: 403,
      json: { _error: { status: 403, title: 'Forbidden', message: 'This agent is not allowed to read the conversation cnv_9' } },
    }));
    const err = await clientFor(front.url).get('/conversations/cnv_9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScopeError);
    expect((err as Error).message).toMatch(/conversation cnv_9.*private inbox/);
  });

  it('404 is a FrontRequestError with the status and Front\'s message, not retried', async () => {
    const front = await startFakeFront(() => ({ status: 404, json: { _error: { status: 404, title: 'Not found', message: 'Message msg_1 not found' } } }));
    const err = await clientFor(front.url).get('/messages/msg_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrontRequestError);
    expect((err as FrontRequestError).status).toBe(404);
    expect((err as Error).message).toContain('Message msg_1 not found');
    expect(front.arrivals).toHaveLength(1);
  });

  it('a list without _results, or a page without _pagination, is malformed: retried, then FrontUnavailableError', async () => {
    for (const json of [{ results: [] }, { _results: [{ id: 'tag_1' }] }]) {
      const front = await startFakeFront(() => ({ json }));
      const failure = clientFor(front.url).pages('/tags').next();
      await expect(failure).rejects.toBeInstanceOf(FrontUnavailableError);
      await expect(failure).rejects.toThrow(/without _(results|pagination)/);
      expect(front.arrivals.length).toBeGreaterThan(1);
    }
  });

  it('a page without _pagination once is retried and the listing goes on', async () => {
    let n = 0;
    const front = await startFakeFront(() => (n++ === 0 ? { json: { _results: [{ id: 'tag_1' }] } } : { json: page([{ id: 'tag_1' }], null) }));
    const pages = [];
    for await (const p of clientFor(front.url).pages('/tags')) pages.push(p);
    expect(pages.map((p) => p.items.length)).toEqual([1]);
    expect(front.arrivals).toHaveLength(2);
  });

  it('a cycle of next links of any length is a protocol error before the looping page is yielded', async () => {
    // Page 0 -> 1 -> 2 -> 3 -> 1: a three-page cycle.
    const front = await startFakeFront((arrival) => {
      const at = Number(arrival.url.searchParams.get('p') ?? 0);
      const next = at === 3 ? 1 : at + 1;
      return { json: page([{ id: `tag_${at}` }], `${front.url}/tags?p=${next}`) };
    });
    const seen: string[] = [];
    const walk = (async () => {
      for await (const p of clientFor(front.url).pages<{ id: string }>('/tags')) seen.push(...p.items.map((i) => i.id));
    })();
    await expect(walk).rejects.toThrow(/loop back to a page already read \(after 4 pages\)/);
    await expect(walk).rejects.toBeInstanceOf(FrontProtocolError);
    expect(seen).toEqual(['tag_0', 'tag_1', 'tag_2']);
    expect(front.arrivals.length).toBeLessThanOrEqual(5);
  });
});

describe('the token never leaks', () => {
  // The server echoes the token back everywhere it can, to prove our own messages are clean too.
  const echo = (status: number): Reply => ({
    status,
    statusText: `Bad ${TOKEN}`,
    json: { _error: { status, title: `T ${TOKEN}`, message: `you sent Bearer ${TOKEN}` } },
  });

  it.each<[string, Reply, number?]>([
    ['401', echo(401)],
    ['403', echo(403)],
    ['404', echo(404)],
    ['503 until exhausted', echo(503)],
    ['resets until exhausted', 'reset'],
    ['timeouts until exhausted', 'hang'],
    ['malformed JSON until exhausted', { raw: `not json ${TOKEN}` }],
    ['429 until exhausted', { status: 429, headers: { 'retry-after': '0.001' }, raw: TOKEN }],
  ])('%s', async (_name, reply) => {
    const front = await startFakeFront(() => reply);
    const logged: string[] = [];
    const client = clientFor(front.url, { retries: 1, timeoutMs: 100, log: (_l, line) => logged.push(line) });

    const err = await client.get('/conversations/cnv_1').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(Error);
    expect(everythingIn(err)).not.toContain(TOKEN);
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('foreign next link', async () => {
    const front = await startFakeFront(() => ({ json: { _results: [], _pagination: { next: `https://evil.example/${TOKEN}` } } }));
    const err = await clientFor(front.url).pages('/events').next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FrontProtocolError);
    expect(everythingIn(err)).not.toContain('Bearer');
  });
});
