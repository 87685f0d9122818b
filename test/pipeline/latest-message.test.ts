import { describe, expect, it } from 'vitest';
import { FrontRequestError } from '../../src/errors.js';
import type { FrontConversation, FrontMessage } from '../../src/front/types.js';
import { resolveLatestMessage, type MessageApi } from '../../src/pipeline/latest-message.js';
import type { ConversationSnapshot } from '../../src/store/types.js';

function api(messages: Record<string, FrontMessage>, latest: FrontMessage | null = null) {
  const calls: string[] = [];
  const impl: MessageApi = {
    async message(id) {
      calls.push(`message ${id}`);
      const m = messages[id];
      if (!m) throw new FrontRequestError('gone', 404);
      return m;
    },
    async latestMessage(id) {
      calls.push(`latest ${id}`);
      return latest;
    },
  };
  return { impl, calls };
}

const conversation = (lastId: string | null): FrontConversation => ({
  id: 'cnv_1',
  _links: lastId ? { related: { last_message: `https://api2.frontapp.com/messages/${lastId}?referer=conversation` } } : {},
});
const msg = (id: string, text: string, created_at = 100): FrontMessage => ({ id, text, created_at });
const snapshot = (id: string, text: string): ConversationSnapshot => ({
  conversationId: 'cnv_1', version: 'v', deliveredVersion: 'v', lastMessageId: id, frontUpdatedAt: 1, lastMessage: { id, createdAt: 90, text },
});

describe('resolveLatestMessage', () => {
  it('uses the embedded message when it is the latest: no request', async () => {
    const { impl, calls } = api({});
    const r = await resolveLatestMessage(conversation('msg_2'), msg('msg_2', 'hello'), undefined, impl, 4000);
    expect(r).toEqual({ message: { id: 'msg_2', createdAt: 100, text: 'hello' }, fetched: 0 });
    expect(calls).toEqual([]);
  });

  it('uses the stored message for a state-only change: no request', async () => {
    const { impl, calls } = api({});
    const r = await resolveLatestMessage(conversation('msg_1'), null, snapshot('msg_1', 'stored'), impl, 4000);
    expect(r.message?.text).toBe('stored');
    expect(calls).toEqual([]);
  });

  it('fetches the message the conversation names when neither the page nor the store has it (read-time snapshots)', async () => {
    const { impl, calls } = api({ msg_9: msg('msg_9', 'newest') });
    const r = await resolveLatestMessage(conversation('msg_9'), msg('msg_2', 'older'), snapshot('msg_1', 'stored'), impl, 4000);
    expect(r.message?.text).toBe('newest');
    expect(r.fetched).toBe(1);
    expect(calls).toEqual(['message msg_9']);
  });

  it('falls back to the conversation\'s latest message when the named one is gone', async () => {
    const { impl, calls } = api({}, msg('msg_8', 'replacement'));
    const r = await resolveLatestMessage(conversation('msg_9'), null, undefined, impl, 4000);
    expect(r.message?.text).toBe('replacement');
    expect(calls).toEqual(['message msg_9', 'latest cnv_1']);
  });
});
