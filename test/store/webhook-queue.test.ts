import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import { manualClock } from './helpers.ts';
const backends = storeBackends();

describe.each(backends)('$name store', (backend) => {
  describe('webhook queue', () => {
    it('queues each event id once, oldest first, and survives a reopen', async () => {
      const state = await backend.state();
      const clock = manualClock('2024-05-01T10:00:00.000Z');
      const store = await state.open({ clock: clock.now });
      expect(await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' })).toBe(true);
      clock.advance(1000);
      expect(await store.enqueueWebhookEvent({ eventId: 'evt_2', type: 'tag', conversationId: null })).toBe(true);
      expect(await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' })).toBe(false);
      await store.close();

      const reopened = await state.open({ clock: clock.now });
      expect(await reopened.queuedWebhookEvents(10)).toEqual([
        { eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1', receivedAt: '2024-05-01T10:00:00.000Z', attempts: 0, emittedAt: null, full: null },
        { eventId: 'evt_2', type: 'tag', conversationId: null, receivedAt: '2024-05-01T10:00:01.000Z', attempts: 0, emittedAt: null, full: null },
      ]);
      expect((await reopened.queuedWebhookEvents(1)).map((e) => e.eventId)).toEqual(['evt_1']);
      await reopened.close();
    });

    it("keeps when an event happened and a rule webhook's full event data with the queued event", async () => {
      const store = await backend.open();
      const full = { conversation: { id: 'cnv_1', status: 'unassigned', tags: [], updated_at: 5 } as never, message: { id: 'msg_1', body: '<p>hi</p>' } as never };
      await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1', emittedAt: 5.25, full });
      expect(await store.queuedWebhookEvents(1)).toEqual([expect.objectContaining({ eventId: 'evt_1', emittedAt: 5.25, full })]);
      await store.close();
    });

    it('drops processed events from the queue, counts failures, and a processed id stays deduplicated', async () => {
      const clock = manualClock('2024-05-01T10:00:00.000Z');
      const store = await backend.open({ clock: clock.now });
      await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' });
      await store.enqueueWebhookEvent({ eventId: 'evt_2', type: 'inbound', conversationId: 'cnv_2' });
      await store.recordWebhookFailure(['evt_2'], 'Front 503');
      await store.recordWebhookFailure(['evt_2'], 'Front 503');
      clock.advance(2000);
      await store.markWebhookEventsProcessed(['evt_1']);

      expect(await store.queuedWebhookEvents(10)).toEqual([expect.objectContaining({ eventId: 'evt_2', attempts: 2 })]);
      expect(await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' })).toBe(false);
      expect((await store.queuedWebhookEvents(10)).map((e) => e.eventId)).toEqual(['evt_2']);
      await store.close();
    });

    it('reports listener activity', async () => {
      const clock = manualClock('2024-05-01T10:00:00.000Z');
      const store = await backend.open({ clock: clock.now });
      expect(await store.listenerStats()).toEqual({
        received: 0,
        rejected: 0,
        queued: 0,
        processed: 0,
        lastReceivedAt: null,
        lastProcessedAt: null,
        lastRejectReason: null,
      });
      await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' });
      await store.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' });
      clock.advance(1000);
      await store.enqueueWebhookEvent({ eventId: 'evt_2', type: 'inbound', conversationId: 'cnv_2' });
      await store.recordWebhookRejected('bad signature');
      clock.advance(1000);
      await store.markWebhookEventsProcessed(['evt_1']);

      expect(await store.listenerStats()).toEqual({
        received: 3,
        rejected: 1,
        queued: 1,
        processed: 1,
        lastReceivedAt: '2024-05-01T10:00:01.000Z',
        lastProcessedAt: '2024-05-01T10:00:02.000Z',
        lastRejectReason: 'bad signature',
      });
      await store.close();
    });
  });
});
