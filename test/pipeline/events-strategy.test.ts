import { describe, expect, it } from 'vitest';
import { FrontRequestError, ScopeError } from '../../src/errors.ts';
import type { FrontConversation, FrontEvent } from '../../src/front/types.ts';
import { eventsStream } from '../../src/pipeline/fetch/events-source.ts';
import type { PagedList, Position, SourcePage } from '../../src/pipeline/fetch/source.ts';
import type { EventMessage } from '../../src/store/types.ts';

const conv = (id: string, updatedAt: number): FrontConversation => ({ id, updated_at: updatedAt, subject: `now ${id}` });
const messageEvent = (n: number, conversationId: string, messageId: string, at: number): FrontEvent => ({
  id: `evt_${n}`,
  type: 'inbound',
  emitted_at: at,
  conversation: { id: conversationId, subject: `then ${conversationId}` },
  target: { _meta: { type: 'message' }, data: { id: messageId, created_at: at } },
});

/** Front as lists of pages addressed `events:N` / `conversations:N`, recording every request. */
function fakeFront(opts: { events: FrontEvent[][]; conversations: FrontConversation[][]; byId?: Record<string, FrontConversation | 'forbidden'> }) {
  const calls: string[] = [];
  async function* pages<T>(kind: string, all: T[][], pageUrl?: string): AsyncGenerator<PagedList<T>> {
    for (let i = pageUrl ? Number(pageUrl.split(':')[1]) : 0; i < all.length; i++) {
      calls.push(`${kind}:${i}`);
      yield { items: all[i]!, next: i + 1 < all.length ? `${kind}:${i + 1}` : null };
    }
  }
  const api = {
    events: (q: { types?: readonly string[]; pageUrl?: string }) => {
      calls.push(`events types=${[...(q.types ?? [])].join(',')}`);
      return pages('events', opts.events, q.pageUrl);
    },
    conversations: (q: { pageUrl?: string }) => pages('conversations', opts.conversations, q.pageUrl),
    async conversation(id: string) {
      calls.push(`conversation ${id}`);
      const found = opts.byId?.[id];
      if (found === 'forbidden') throw new ScopeError('private inbox', `conversation ${id}`);
      if (!found) throw new FrontRequestError('gone', 404);
      return found;
    },
  };
  return { api, calls };
}

async function collect(stream: AsyncGenerator<SourcePage>): Promise<SourcePage[]> {
  const out: SourcePage[] = [];
  for await (const page of stream) out.push(page);
  return out;
}

const WINDOW = { since: 1000, until: null };
const lanes = [{ inbox: null }];
const now = () => 2_000_000;

describe('the events strategy', () => {
  it('keeps message bodies from message events, then maps the listed current states, then reads what the listing missed', async () => {
    const front = fakeFront({
      events: [
        [messageEvent(1, 'cnv_a', 'msg_1', 1100), messageEvent(2, 'cnv_b', 'msg_2', 1200), messageEvent(3, 'cnv_a', 'msg_3', 1300)],
        [messageEvent(4, 'cnv_c', 'msg_4', 1400)],
      ],
      conversations: [[conv('cnv_a', 1900), conv('cnv_b', 1800)], [conv('cnv_old', 900)]],
      byId: { cnv_c: conv('cnv_c', 1950) },
    });
    // What the store still keeps once the listing has taken cnv_a and cnv_b.
    const leftovers: EventMessage[] = [{ conversationId: 'cnv_c', message: { id: 'msg_4', created_at: 1400 }, inbox: null }];
    const pages = await collect(
      eventsStream(front.api, lanes, WINDOW, now, async (after) => leftovers.filter((m) => after === null || m.conversationId > after))(null),
    );

    expect(front.calls[0]).toBe('events types=inbound,outbound,out_reply');
    expect(pages.map((p) => p.resume?.stage ?? null)).toEqual(['messages', 'conversations', 'conversations', 'leftovers', null]);
    expect(pages[0]!.messages.map((m) => [m.conversationId, m.message.id])).toEqual([['cnv_a', 'msg_3'], ['cnv_b', 'msg_2']]);
    expect(pages[0]!.updates).toEqual([]);
    // The listing's states, not the events': the kept message is looked up when each is mapped.
    expect(pages[2]!.updates.map((u) => [u.conversation.subject, u.message])).toEqual([['now cnv_a', null], ['now cnv_b', null]]);
    expect(pages[3]!.updates).toEqual([]);
    expect(pages[4]!.updates.map((u) => [u.conversation.subject, u.message?.id])).toEqual([['now cnv_c', 'msg_4']]);
    expect(front.calls.filter((c) => c.startsWith('conversation '))).toEqual(['conversation cnv_c']);
    const progress = pages.map((p) => p.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('resumes inside the stage its checkpoint names, requesting nothing of the stages before', async () => {
    const front = fakeFront({
      events: [[messageEvent(1, 'cnv_a', 'msg_1', 1100)]],
      conversations: [[conv('cnv_a', 1900)], [conv('cnv_b', 1800)]],
    });
    const stream = eventsStream(front.api, lanes, WINDOW, now, async () => []);
    const resumed = await collect(stream({ stage: 'conversations', lane: 0, next: 'conversations:1' }));
    expect(front.calls).toEqual(['conversations:1']);
    expect(resumed.flatMap((p) => p.updates.map((u) => u.conversation.id))).toEqual(['cnv_b']);
  });

  it('starts its listing stage with the page read to choose the strategy, once, instead of reading it again', async () => {
    const front = fakeFront({ events: [[messageEvent(1, 'cnv_a', 'msg_1', 1100)]], conversations: [[conv('cnv_a', 1900)]] });
    let held: SourcePage | null = { updates: [{ conversation: conv('cnv_a', 1900), message: null, inbox: null }], messages: [], resume: null, progress: 1 };
    const take = () => {
      const page = held;
      held = null;
      return page;
    };
    const stream = eventsStream(front.api, lanes, WINDOW, now, async () => [], 'latest', undefined, undefined, take);
    const pages = await collect(stream(null));
    expect(front.calls.filter((c) => c.startsWith('conversations:'))).toEqual([]);
    expect(pages.map((p) => p.resume?.stage ?? null)).toEqual(['conversations', 'leftovers']);
    expect(pages[1]!.updates.map((u) => u.conversation.id)).toEqual(['cnv_a']);
    // Taken once: a second walk (a run that switched) reads the listing itself.
    await collect(stream({ stage: 'conversations', lane: 0, next: null }));
    expect(front.calls.filter((c) => c.startsWith('conversations:'))).toEqual(['conversations:0']);
  });

  it('treats a checkpoint saved before stages existed as a position in the event stream', async () => {
    const front = fakeFront({ events: [[messageEvent(1, 'cnv_a', 'msg_1', 1100)], [messageEvent(2, 'cnv_b', 'msg_2', 1200)]], conversations: [[]] });
    const old: Position = { lane: 0, next: 'events:1' };
    const pages = await collect(eventsStream(front.api, lanes, WINDOW, now, async () => [])(old));
    expect(front.calls.filter((c) => c.startsWith('events:'))).toEqual(['events:1']);
    expect(pages[0]!.messages.map((m) => m.message.id)).toEqual(['msg_2']);
  });

  it('leaves out a missed conversation that is gone or that the token may not read, and pages through the rest', async () => {
    const front = fakeFront({ events: [[]], conversations: [[]], byId: { cnv_ok: conv('cnv_ok', 1500), cnv_private: 'forbidden' } });
    const ids = ['cnv_gone', 'cnv_ok', 'cnv_private', ...Array.from({ length: 150 }, (_, i) => `cnv_x${String(i).padStart(3, '0')}`)];
    const kept = async (after: string | null, limit: number) =>
      ids
        .filter((id) => after === null || id > after)
        .slice(0, limit)
        .map((conversationId): EventMessage => ({ conversationId, message: { id: `msg_${conversationId}` }, inbox: null }));
    const pages = await collect(eventsStream(front.api, lanes, WINDOW, now, kept)(null));
    const leftovers = pages.filter((p) => p.updates.length > 0 || p.resume === null);
    expect(leftovers.flatMap((p) => p.updates.map((u) => u.conversation.id))).toEqual(['cnv_ok']);
    expect(front.calls.filter((c) => c.startsWith('conversation ')).length).toBe(ids.length);
    expect(leftovers.map((p) => p.resume)).toEqual([{ stage: 'leftovers', lane: 0, next: 'cnv_x096' }, null]);
  });
});
