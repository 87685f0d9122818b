// Which webhook events of a batch cost a Front request: one read per conversation however many
// events its burst had, none when the stored state already covers them, none for full event data.

import { describe, expect, it } from 'vitest';
import { planBatch } from '../../src/listen/coalesce.ts';
import type { WebhookEventRow } from '../../src/store/types.ts';

let n = 0;
function row(conversationId: string, emittedAt: number | null, full: WebhookEventRow['full'] = null): WebhookEventRow {
  return { eventId: `evt_${++n}`, type: 'inbound', conversationId, receivedAt: '', attempts: 0, emittedAt, full };
}
function conversation(id: string, updatedAt: number, lastMessage: string) {
  return { id, status: 'unassigned', tags: [], updated_at: updatedAt, _links: { related: { last_message: `http://x/messages/${lastMessage}` } } } as never;
}
const message = (id: string) => ({ id, body: `<p>${id}</p>`, created_at: 1 }) as never;

describe('planBatch', () => {
  it('a burst of events on one conversation is one read', () => {
    const plan = planBatch([row('cnv_a', 10), row('cnv_a', 11), row('cnv_b', 12), row('cnv_a', 13)], new Map());
    expect(plan).toEqual({ fetch: ['cnv_a', 'cnv_b'], given: [], covered: [], untrusted: [] });
  });

  it('events older than the stored state cost nothing; one at the same instant or without a time is read', () => {
    const stored = new Map([['cnv_a', 20], ['cnv_b', 20], ['cnv_c', 20]]);
    const plan = planBatch([row('cnv_a', 10), row('cnv_a', 19.5), row('cnv_b', 20), row('cnv_c', null)], stored);
    expect(plan.covered).toEqual(['cnv_a']);
    expect(plan.fetch).toEqual(['cnv_b', 'cnv_c']);
  });

  it('full event data: the newest conversation of the burst, with its latest message from whichever body carried it', () => {
    const plan = planBatch(
      [
        row('cnv_a', 10, { conversation: conversation('cnv_a', 10, 'msg_2'), message: message('msg_2') }),
        row('cnv_a', 11, { conversation: conversation('cnv_a', 11, 'msg_2'), message: null }),
      ],
      new Map(),
    );
    expect(plan.fetch).toEqual([]);
    expect(plan.given).toHaveLength(1);
    expect(plan.given[0]!.conversation.updated_at).toBe(11);
    expect(plan.given[0]!.message?.id).toBe('msg_2');
  });

  it('a preview-only event after the newest full body means the conversation is read', () => {
    const plan = planBatch([row('cnv_a', 10, { conversation: conversation('cnv_a', 10, 'msg_1'), message: message('msg_1') }), row('cnv_a', 12)], new Map());
    expect(plan).toMatchObject({ fetch: ['cnv_a'], given: [] });
  });

  it('a body with updated_at ahead of Front\'s clock (or in milliseconds) is read again; a stored time ahead of it covers no event', () => {
    const now = 1_760_000_000;
    const future = planBatch([row('cnv_a', now, { conversation: conversation('cnv_a', now + 86_400, 'msg_1'), message: message('msg_1') })], new Map(), now);
    expect(future).toMatchObject({ fetch: ['cnv_a'], given: [], untrusted: ['cnv_a'] });
    const ms = planBatch([row('cnv_a', now, { conversation: conversation('cnv_a', now * 1000, 'msg_1'), message: message('msg_1') })], new Map());
    expect(ms).toMatchObject({ fetch: ['cnv_a'], untrusted: ['cnv_a'] });
    const poisoned = planBatch([row('cnv_b', now - 10)], new Map([['cnv_b', now + 86_400]]), now);
    expect(poisoned).toMatchObject({ fetch: ['cnv_b'], covered: [] });
  });
});
