import { describe, expect, it } from 'vitest';
import type { FrontEvent } from '../../src/front/types.ts';
import { groupEvents } from '../../src/pipeline/fetch/events-source.ts';

const conv = (id: string, subject: string) => ({ id, subject, _links: { related: { last_message: `https://x/messages/msg_${subject}` } } });
const event = (id: string, type: string, c: ReturnType<typeof conv>, message?: { id: string; created_at: number }): FrontEvent => ({
  id,
  type,
  emitted_at: Number(id.slice(4)),
  conversation: c,
  target: message ? { _meta: { type: 'message' }, data: message } : null,
});

describe('groupEvents', () => {
  it('keeps one update per conversation: the last snapshot and the newest embedded message', () => {
    const updates = groupEvents(
      [
        event('evt_1', 'inbound', conv('cnv_a', 'first'), { id: 'msg_1', created_at: 10 }),
        event('evt_2', 'inbound', conv('cnv_b', 'other'), { id: 'msg_2', created_at: 11 }),
        event('evt_3', 'outbound', conv('cnv_a', 'second'), { id: 'msg_3', created_at: 12 }),
        event('evt_4', 'tag', conv('cnv_a', 'third')),
      ],
      null,
    );
    expect(updates.map((u) => u.conversation.id)).toEqual(['cnv_a', 'cnv_b']);
    expect(updates[0]!.conversation.subject).toBe('third');
    expect(updates[0]!.message?.id).toBe('msg_3');
    expect(updates[1]!.message?.id).toBe('msg_2');
  });

  it('ignores events without a conversation and non-message targets', () => {
    const updates = groupEvents(
      [
        { id: 'evt_1', type: 'inbound', emitted_at: 1, conversation: null },
        { id: 'evt_2', type: 'tag', emitted_at: 2, conversation: conv('cnv_a', 'x'), target: { data: { id: 'tag_1', name: 'urgent' } } },
      ],
      { id: 'inb_1', name: 'Support' },
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]!.message).toBeNull();
    expect(updates[0]!.inbox).toEqual({ id: 'inb_1', name: 'Support' });
  });
});
