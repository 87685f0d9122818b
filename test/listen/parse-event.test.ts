import { describe, expect, it } from 'vitest';
import { parseWebhookEvent } from '../../src/listen/parse-event.ts';

const parse = (value: unknown) => parseWebhookEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseWebhookEvent', () => {
  it('reads the event preview wrapped in an application webhook', () => {
    const body = { type: 'tag', authorization: { id: 'cmp_1' }, payload: { id: 'evt_9', type: 'tag', emitted_at: 1.5, conversation: { id: 'cnv_3', _links: {} } } };
    expect(parse(body)).toEqual({ ok: true, event: { eventId: 'evt_9', type: 'tag', conversationId: 'cnv_3' } });
  });

  it('reads a rule webhook, which posts the preview itself', () => {
    expect(parse({ id: 'evt_8', type: 'archive', conversation: { id: 'cnv_4' } })).toEqual({
      ok: true,
      event: { eventId: 'evt_8', type: 'archive', conversationId: 'cnv_4' },
    });
  });

  it('keeps events that name no conversation, with a null id', () => {
    expect(parse({ type: 'teammate_update', payload: { id: 'evt_7' } })).toEqual({ ok: true, event: { eventId: 'evt_7', type: 'teammate_update', conversationId: null } });
  });

  it('refuses what is not a Front event', () => {
    expect(parse('not json')).toEqual({ ok: false, reason: 'body is not JSON' });
    expect(parse([1, 2])).toEqual({ ok: false, reason: 'body is not a JSON object' });
    expect(parse({ type: 'sync', authorization: { id: 'cmp_1' } })).toEqual({ ok: false, reason: 'no event id' });
    expect(parse({ id: 'evt_1' })).toEqual({ ok: false, reason: 'no event type' });
    expect(parse({ id: 'x'.repeat(500), type: 'tag' })).toEqual({ ok: false, reason: 'no event id' });
  });
});
