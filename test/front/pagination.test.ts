import { describe, expect, it } from 'vitest';
import { FrontProtocolError } from '../../src/errors.ts';
import { TOKEN, clientFor, page, startFakeFront, type Arrival } from './fake-front.ts';

/** Front's shape: three pages of ids, `next` carrying a page_token and the original query. */
function threePages(base: () => string) {
  const pages = [['a', 'b'], ['c'], ['d', 'e']];
  return (arrival: Arrival) => {
    const n = Number(arrival.url.searchParams.get('page_token') ?? 0);
    const more = n + 1 < pages.length;
    const next = new URL(`${base()}${arrival.path}`);
    for (const [k, v] of arrival.url.searchParams) {
      if (k !== 'page_token') next.searchParams.append(k, v);
    }
    next.searchParams.set('page_token', String(n + 1));
    return { json: page(pages[n]!.map((id) => ({ id })), more ? next.href : null) };
  };
}

async function collect<T>(gen: AsyncGenerator<{ items: T[]; next: string | null; url: string }>) {
  const seen: Array<{ items: T[]; next: string | null }> = [];
  for await (const p of gen) seen.push({ items: p.items, next: p.next });
  return seen;
}

describe('pages()', () => {
  it('follows _pagination.next until it is null, keeping the query on every page', async () => {
    const front = await startFakeFront(threePages(() => front.url));
    const client = clientFor(front.url);

    const seen = await collect(client.pages<{ id: string }>('/events', { 'q[types]': ['inbound', 'archive'], limit: 15 }));

    expect(seen.flatMap((p) => p.items.map((i) => i.id))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seen.at(-1)!.next).toBeNull();
    expect(front.arrivals).toHaveLength(3);
    for (const arrival of front.arrivals) {
      expect(arrival.url.searchParams.getAll('q[types][]')).toEqual(['inbound', 'archive']);
      expect(arrival.url.searchParams.get('limit')).toBe('15');
    }
    expect(client.stats().requests).toBe(3);
    expect(client.stats().byEndpoint).toEqual({ 'GET /events': 3 });
  });

  it('keeps going past an empty page when next is still set', async () => {
    const front = await startFakeFront((_a, n) => ({ json: page(n === 0 ? [] : [{ id: 'x' }], n === 0 ? `${front.url}/tags?page_token=1` : null) }));
    const seen = await collect(clientFor(front.url).pages<{ id: string }>('/tags'));
    expect(seen.map((p) => p.items.length)).toEqual([0, 1]);
  });

  it('resumes from a saved next link without repeating earlier pages', async () => {
    const front = await startFakeFront(threePages(() => front.url));
    const first = await clientFor(front.url).pages<{ id: string }>('/conversations', { limit: 100 }).next();
    const saved = first.value!.next!;
    front.arrivals.length = 0;

    const rest = await collect(clientFor(front.url).pages<{ id: string }>(saved));

    expect(rest.flatMap((p) => p.items.map((i) => i.id))).toEqual(['c', 'd', 'e']);
    expect(front.arrivals[0]!.url.searchParams.get('page_token')).toBe('1');
    expect(front.arrivals[0]!.url.searchParams.get('limit')).toBe('100');
  });

  it('sends the token, user agent and Accept header', async () => {
    const front = await startFakeFront(() => ({ json: { id: 'cmp_1', name: 'Acme' } }));
    await clientFor(front.url).get('/me');
    const headers = front.arrivals[0]!.headers;
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers['user-agent']).toBe('front-import/0.0.0-test');
    expect(headers.accept).toBe('application/json');
  });

  it('refuses a next link to another origin, and that server never hears from us', async () => {
    const foreign = await startFakeFront(() => ({ json: page([], null) }));
    const front = await startFakeFront(() => ({ json: page([{ id: 'a' }], `${foreign.url}/events?page_token=2`) }));
    const pages = clientFor(front.url).pages('/events');

    await expect(pages.next()).rejects.toBeInstanceOf(FrontProtocolError);
    expect(front.arrivals).toHaveLength(1);
    expect(foreign.arrivals).toHaveLength(0);
  });

  it('refuses a saved next link to another origin before sending anything', async () => {
    const foreign = await startFakeFront(() => ({ json: page([], null) }));
    const front = await startFakeFront(() => ({ json: page([], null) }));
    await expect(clientFor(front.url).pages(`${foreign.url}/events?page_token=1`).next()).rejects.toThrow(/refusing to send the token/);
    expect(foreign.arrivals).toHaveLength(0);
  });
});

describe('redirects', () => {
  it('follows a same-origin 301 (merged conversation) and counts it as a request', async () => {
    const front = await startFakeFront((a) =>
      a.path === '/conversations/cnv_old'
        ? { status: 301, headers: { location: '/conversations/cnv_new' } }
        : { json: { id: 'cnv_new' } },
    );
    const client = clientFor(front.url);
    const conversation = await client.get<{ id: string }>('/conversations/cnv_old');

    expect(conversation.id).toBe('cnv_new');
    expect(front.arrivals.map((a) => a.path)).toEqual(['/conversations/cnv_old', '/conversations/cnv_new']);
    expect(front.arrivals[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(client.stats().requests).toBe(2);
    expect(client.stats().byEndpoint).toEqual({ 'GET /conversations/:id': 2 });
  });

  it('refuses a redirect to another origin', async () => {
    const foreign = await startFakeFront(() => ({ json: { id: 'cnv_evil' } }));
    const front = await startFakeFront(() => ({ status: 301, headers: { location: `${foreign.url}/conversations/cnv_new` } }));
    await expect(clientFor(front.url).get('/conversations/cnv_old')).rejects.toBeInstanceOf(FrontProtocolError);
    expect(foreign.arrivals).toHaveLength(0);
  });

  it('gives up on a redirect loop', async () => {
    const front = await startFakeFront((a) => ({ status: 301, headers: { location: a.path === '/a' ? '/b' : '/a' } }));
    await expect(clientFor(front.url).get('/a')).rejects.toBeInstanceOf(FrontProtocolError);
    expect(front.arrivals.length).toBeLessThan(10);
  });
});
