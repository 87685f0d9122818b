import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import { manualClock } from './helpers.ts';
import type { Store } from '../../src/store/roles.ts';
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

  describe('claims shared by listener replicas', () => {
    const LEASE = 60_000;
    const claim = (store: Store, owner: string, limit = 10, skip: string[] = []) =>
      store.claimWebhookEvents({ owner, limit, leaseMs: LEASE, skip }).then((rows) => rows.map((r) => r.eventId));
    /** Two replicas' stores on one state, on one manual clock. */
    const twoReplicas = async () => {
      const state = await backend.state();
      const clock = manualClock();
      return { clock, a: await state.open({ clock: clock.now }), b: await state.open({ clock: clock.now }) };
    };
    const enqueueAll = async (store: Store, events: readonly (readonly [string, string | null])[]) => {
      for (const [eventId, conversationId] of events) await store.enqueueWebhookEvent({ eventId, type: 'inbound', conversationId });
    };

    it('gives two replicas disjoint events, whole conversations each, oldest first', async () => {
      const { a, b } = await twoReplicas();
      await enqueueAll(a, [['evt_1', 'cnv_x'], ['evt_2', 'cnv_y'], ['evt_3', 'cnv_x'], ['evt_4', null], ['evt_5', 'cnv_z']]);
      expect(await claim(a, 'replica-a', 1)).toEqual(['evt_1']);
      // cnv_x is replica-a's while it holds evt_1: its later event waits, the rest is free.
      expect(await claim(b, 'replica-b')).toEqual(['evt_2', 'evt_4', 'evt_5']);
      expect(await claim(a, 'replica-a')).toEqual(['evt_1', 'evt_3']);
      expect(await claim(b, 'replica-b')).toEqual(['evt_2', 'evt_4', 'evt_5']);
      // A claim takes nothing from the queue: every event is still queued until processed.
      expect((await a.queuedWebhookEvents(10)).map((e) => e.eventId)).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']);
      await a.close();
      await b.close();
    });

    it('lets replicas claiming at the same moment split the queue without sharing a conversation', async () => {
      const state = await backend.state();
      const replicas = await Promise.all(['r1', 'r2', 'r3'].map(() => state.open()));
      const events = Array.from({ length: 60 }, (_, n) => [`evt_${n}`, `cnv_${n % 12}`] as const);
      await enqueueAll(replicas[0]!, events);
      // Each replica's connection is open before the claims, so they reach the server together.
      await Promise.all(replicas.map((r) => r.listenerStats()));
      const claimed = await Promise.all(replicas.map((r, n) => claim(r, `r${n}`, 15)));
      const all = claimed.flat();
      expect(new Set(all).size).toBe(all.length);
      const conversationOf = new Map<string, string>(events);
      const owners = new Map<string, number>();
      claimed.forEach((ids, n) => {
        for (const id of ids) {
          const conversation = conversationOf.get(id)!;
          expect(owners.get(conversation) ?? n).toBe(n);
          owners.set(conversation, n);
        }
      });
      await Promise.all(replicas.map((r) => r.close()));
    });

    it("claims an expired lease again, and an event released or skipped as asked", async () => {
      const { clock, a, b } = await twoReplicas();
      await enqueueAll(a, [['evt_1', 'cnv_x'], ['evt_2', 'cnv_y']]);
      expect(await claim(a, 'replica-a')).toEqual(['evt_1', 'evt_2']);
      clock.advance(LEASE - 1);
      expect(await claim(b, 'replica-b')).toEqual([]);
      // replica-a died: once its lease ran out its events are anyone's.
      clock.advance(1);
      expect(await claim(b, 'replica-b', 10, ['evt_1'])).toEqual(['evt_2']);
      expect(await claim(a, 'replica-a')).toEqual(['evt_1']);
      await a.releaseWebhookEvents(['evt_1']);
      expect(await claim(b, 'replica-b')).toEqual(['evt_1', 'evt_2']);
      await a.close();
      await b.close();
    });

    it('never claims a processed event again, and its id stays deduplicated', async () => {
      const { clock, a, b } = await twoReplicas();
      await enqueueAll(a, [['evt_1', 'cnv_x'], ['evt_2', 'cnv_x']]);
      expect(await claim(a, 'replica-a')).toEqual(['evt_1', 'evt_2']);
      await a.recordWebhookFailure(['evt_2'], 'Front 503');
      await a.markWebhookEventsProcessed(['evt_1']);
      // A failed event stays its replica's, to retry after its backoff.
      expect(await claim(b, 'replica-b')).toEqual([]);
      clock.advance(LEASE);
      expect(await claim(b, 'replica-b')).toEqual(['evt_2']);
      await b.markWebhookEventsProcessed(['evt_2']);
      clock.advance(LEASE);
      expect(await claim(a, 'replica-a')).toEqual([]);
      expect(await claim(b, 'replica-b')).toEqual([]);
      expect(await b.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_x' })).toBe(false);
      expect(await a.listenerStats()).toMatchObject({ queued: 0, processed: 2 });
      await a.close();
      await b.close();
    });
  });
});
