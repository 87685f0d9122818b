import { describe, expect, it } from 'vitest';
import { createFrontApi } from '../../src/front/api.ts';
import { clientFor, page, startFakeFront, type Arrival } from './fake-front.ts';

/** Every answer is both an item (id = its path) and a last page of one item, so any helper can read it. */
async function frontEcho() {
  const front = await startFakeFront((a: Arrival) => ({ json: { id: a.path, ...page([{ id: `item of ${a.path}` }], null) } }));
  return { front, api: createFrontApi(clientFor(front.url)), last: () => front.arrivals.at(-1)! };
}

async function drain<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...p.items);
  return out;
}

describe('Front API helpers', () => {
  it('events: ascending by created_at, 15 per page, bounds as unix seconds with 3 decimals, filters as arrays', async () => {
    const { api, last } = await frontEcho();
    await drain(api.events({ after: 1700000000.12345, before: 1700000100.5, types: ['inbound', 'archive'], inboxes: ['inb_1'] }));
    const q = last().url.searchParams;
    expect(last().path).toBe('/events');
    expect(q.get('sort_by')).toBe('created_at');
    expect(q.get('sort_order')).toBe('asc');
    expect(q.get('limit')).toBe('15');
    expect(q.get('q[after]')).toBe('1700000000.123');
    expect(q.get('q[before]')).toBe('1700000100.500');
    expect(q.getAll('q[types][]')).toEqual(['inbound', 'archive']);
    expect(q.getAll('q[inboxes][]')).toEqual(['inb_1']);
  });

  it('events: an `after` bound is never rounded up past an event', async () => {
    const { api, last } = await frontEcho();
    await drain(api.events({ after: 1700000000.9996 }));
    expect(Number(last().url.searchParams.get('q[after]'))).toBeLessThanOrEqual(1700000000.9996);
  });

  it('conversations: newest first, 100 per page, per inbox when asked (which takes no sort parameters), statuses as q[statuses][]', async () => {
    const { api, last } = await frontEcho();
    await drain(api.conversations({ inboxId: 'inb_7', statuses: ['archived'] }));
    expect(last().path).toBe('/inboxes/inb_7/conversations');
    const inInbox = last().url.searchParams;
    expect([...inInbox.keys()].sort()).toEqual(['limit', 'q[statuses][]']);
    expect(inInbox.get('limit')).toBe('100');
    expect(inInbox.getAll('q[statuses][]')).toEqual(['archived']);

    await drain(api.conversations({ statuses: ['archived'] }));
    expect(last().path).toBe('/conversations');
    const all = last().url.searchParams;
    expect([all.get('sort_by'), all.get('sort_order'), all.get('limit')]).toEqual(['date', 'desc', '100']);
    expect(all.getAll('q[statuses][]')).toEqual(['archived']);
  });

  it('resumes a listing from a saved next link as given', async () => {
    const { front, api, last } = await frontEcho();
    await drain(api.events({ pageUrl: `${front.url}/events?page_token=abc&limit=15` }));
    expect(last().url.search).toBe('?page_token=abc&limit=15');
  });

  it('single items and the latest message', async () => {
    const { api, last } = await frontEcho();
    expect((await api.conversation('cnv_1')).id).toBe('/conversations/cnv_1');
    expect((await api.message('msg_1')).id).toBe('/messages/msg_1');
    expect((await api.me()).id).toBe('/me');
    expect((await api.latestMessage('cnv_2'))?.id).toBe('item of /conversations/cnv_2/messages');
    expect(last().url.searchParams.get('limit')).toBe('1');
  });

  it('latestMessage is null for a conversation without messages', async () => {
    const front = await startFakeFront(() => ({ json: page([], null) }));
    expect(await createFrontApi(clientFor(front.url)).latestMessage('cnv_1')).toBeNull();
  });

  it('inboxes collect every page', async () => {
    const front = await startFakeFront((a) => {
      const second = a.url.searchParams.get('page_token') === '2';
      return { json: page([{ id: `${a.path}#${second ? 2 : 1}` }], second ? null : `${front.url}${a.path}?page_token=2`) };
    });
    const api = createFrontApi(clientFor(front.url));
    expect((await api.inboxes()).map((i) => i.id)).toEqual(['/inboxes#1', '/inboxes#2']);
  });
});
