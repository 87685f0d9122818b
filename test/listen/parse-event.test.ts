import { describe, expect, it } from 'vitest';
import { parseWebhookEvent } from '../../src/listen/parse-event.ts';

const parse = (value: unknown) => parseWebhookEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseWebhookEvent', () => {
  it('reads the event preview wrapped in an application webhook', () => {
    const body = { type: 'tag', authorization: { id: 'cmp_1' }, payload: { id: 'evt_9', type: 'tag', emitted_at: 1.5, conversation: { id: 'cnv_3', _links: {} } } };
    expect(parse(body)).toEqual({ ok: true, event: { eventId: 'evt_9', type: 'tag', conversationId: 'cnv_3', emittedAt: 1.5, full: null } });
  });

  it('reads a rule webhook, which posts the preview itself', () => {
    expect(parse({ id: 'evt_8', type: 'archive', conversation: { id: 'cnv_4' } })).toEqual({
      ok: true,
      event: { eventId: 'evt_8', type: 'archive', conversationId: 'cnv_4', emittedAt: null, full: null },
    });
  });

  it('keeps a rule webhook\'s full event data: the conversation, and the message of a message event', () => {
    const conversation = { id: 'cnv_5', subject: 'Refund', status: 'unassigned', tags: [], updated_at: 20, _links: { related: { last_message: 'http://x/messages/msg_9' } } };
    const message = { id: 'msg_9', body: '<p>Please refund</p>', is_inbound: true, created_at: 20 };
    const parsed = parse({ id: 'evt_6', type: 'inbound', emitted_at: 20, conversation, target: { _meta: { type: 'message' }, data: message } });
    expect(parsed).toEqual({ ok: true, event: { eventId: 'evt_6', type: 'inbound', conversationId: 'cnv_5', emittedAt: 20, full: { conversation, message } } });
    // A tag event: the conversation whole, no message.
    const tagged = parse({ id: 'evt_5', type: 'tag', emitted_at: 21, conversation, target: { _meta: { type: 'tag' }, data: { id: 'tag_1' } } });
    expect(tagged.ok && tagged.event.full).toEqual({ conversation, message: null });
  });

  it('keeps events that name no conversation, with a null id', () => {
    expect(parse({ type: 'teammate_update', payload: { id: 'evt_7' } })).toEqual({ ok: true, event: { eventId: 'evt_7', type: 'teammate_update', conversationId: null, emittedAt: null, full: null } });
  });

  it('refuses what is not a Front event', () => {
    expect(parse('not json')).toEqual({ ok: false, reason: 'body is not JSON' });
    expect(parse([1, 2])).toEqual({ ok: false, reason: 'body is not a JSON object' });
    expect(parse({ type: 'sync', authorization: { id: 'cmp_1' } })).toEqual({ ok: false, reason: 'no event id' });
    expect(parse({ id: 'evt_1' })).toEqual({ ok: false, reason: 'no event type' });
    expect(parse({ id: 'x'.repeat(500), type: 'tag' })).toEqual({ ok: false, reason: 'no event id' });
  });
});
