import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import type { EventMessage, PagesWrite } from '../../src/store/types.ts';
import { DESTINATION, item } from './helpers.ts';

const kept = (conversationId: string, id: string, createdAt: number, inbox: EventMessage['inbox'] = null): EventMessage => ({
  conversationId,
  message: { id, created_at: createdAt, body: `<p>${id}</p>` },
  inbox,
});
const stage = (runKey: string, messages: EventMessage[], more: Partial<PagesWrite> = {}): PagesWrite => ({
  runKey,
  messages,
  items: [],
  imported: [],
  ...more,
});
const backends = storeBackends();

describe.each(backends)('$name store', (backend) => {
  const freshStore = () => backend.open();

  describe('messages staged from the event stream', () => {
    it('keeps the newest message per conversation; an imported older one arriving later does not replace it', async () => {
      const store = await freshStore();
      await store.persistPages(stage('backfill:a', [kept('cnv_1', 'msg_1', 100), kept('cnv_2', 'msg_2', 100)]));
      await store.persistPages(stage('backfill:a', [kept('cnv_1', 'msg_3', 200)]));
      await store.persistPages(stage('backfill:a', [kept('cnv_1', 'msg_old', 50)]));
      const found = await store.eventMessagesFor('backfill:a', ['cnv_1', 'cnv_2', 'cnv_9']);
      expect(found.get('cnv_1')?.message.id).toBe('msg_3');
      expect(found.get('cnv_2')?.message.id).toBe('msg_2');
      expect(found.has('cnv_9')).toBe(false);
      await store.close();
    });

    it('keeps the oldest instead for rows staged with keep "oldest" (first-inbound text candidates)', async () => {
      const store = await freshStore();
      const oldest = (conversationId: string, id: string, createdAt: number): EventMessage => ({ ...kept(conversationId, id, createdAt), keep: 'oldest' });
      await store.persistPages(stage('backfill:a#first-inbound', [oldest('cnv_1', 'msg_2', 200)]));
      await store.persistPages(stage('backfill:a#first-inbound', [oldest('cnv_1', 'msg_1', 100)]));
      await store.persistPages(stage('backfill:a#first-inbound', [oldest('cnv_1', 'msg_3', 300)]));
      expect((await store.eventMessagesFor('backfill:a#first-inbound', ['cnv_1'])).get('cnv_1')?.message.id).toBe('msg_1');
      await store.close();
    });

    it('remembers every inbox lane whose events showed the conversation', async () => {
      const store = await freshStore();
      const support = { id: 'inb_1', name: 'Support' };
      const billing = { id: 'inb_2', name: 'Billing' };
      await store.persistPages(stage('sync', [kept('cnv_1', 'msg_1', 100, billing)]));
      await store.persistPages(stage('sync', [kept('cnv_1', 'msg_2', 200, support), kept('cnv_1', 'msg_0', 50, billing)]));
      const found = (await store.eventMessagesFor('sync', ['cnv_1'])).get('cnv_1')!;
      expect(found.message.id).toBe('msg_2');
      expect(found.inboxes).toEqual([billing, support]);
      await store.close();
    });

    it('keeps each run apart, lists in conversation id order after a given id, drops imported ones and clears per run', async () => {
      const store = await freshStore();
      const inbox = { id: 'inb_1', name: 'Support' };
      await store.persistPages(stage('sync', ['cnv_c', 'cnv_a', 'cnv_d', 'cnv_b'].map((id) => kept(id, `msg_${id}`, 1, inbox))));
      await store.persistPages(stage('backfill:x', [kept('cnv_a', 'msg_other', 1)]));
      expect((await store.eventMessagesFor('sync', ['cnv_a'])).get('cnv_a')?.message.id).toBe('msg_cnv_a');

      const first = await store.eventMessagesAfter('sync', null, 2);
      expect(first.map((m) => m.conversationId)).toEqual(['cnv_a', 'cnv_b']);
      expect(first[0]).toEqual(kept('cnv_a', 'msg_cnv_a', 1, inbox));
      expect((await store.eventMessagesAfter('sync', 'cnv_b', 2)).map((m) => m.conversationId)).toEqual(['cnv_c', 'cnv_d']);

      await store.persistPages(stage('sync', [], { imported: ['cnv_b', 'cnv_c'] }));
      expect((await store.eventMessagesAfter('sync', null, 10)).map((m) => m.conversationId)).toEqual(['cnv_a', 'cnv_d']);
      await store.clearEventMessages('sync');
      expect(await store.eventMessagesAfter('sync', null, 10)).toEqual([]);
      expect((await store.eventMessagesAfter('backfill:x', null, 10)).map((m) => m.message.id)).toEqual(['msg_other']);
      await store.close();
    });
  });

  describe('persistPages', () => {
    it('writes messages, items and checkpoint together, reporting each item\'s outcome, and they are there after reopening', async () => {
      const state = await backend.state();
      const store = await state.open();
      await store.upsert(item(2, 'new', 2000));
      const outcomes = await store.persistPages(
        stage('sync', [kept('cnv_3', 'msg_3', 1)], { items: [item(1, 'a'), item(2, 'old', 1000)], imported: ['cnv_1', 'cnv_2'], checkpoint: { at: 2 } }),
      );
      expect(outcomes).toEqual(['created', 'unchanged']);
      await store.close();
      const reopened = await state.open();
      expect((await reopened.eventMessagesFor('sync', ['cnv_3'])).get('cnv_3')?.message.id).toBe('msg_3');
      expect(await reopened.getCheckpoint('sync')).toEqual({ at: 2 });
      expect((await reopened.snapshots(['cnv_2'])).get('cnv_2')?.version).toBe('new');
      expect(await reopened.outbox(DESTINATION).pendingCount()).toBe(2);
      await reopened.close();
    });

    it('is all or nothing: a page that fails half way leaves no message, item or checkpoint behind', async () => {
      const store = await freshStore();
      await store.setCheckpoint('sync', { at: 1 });
      // A Highlight that cannot be serialised makes the write fail after the messages were staged.
      const broken = item(2, 'b');
      (broken.highlight as unknown as { self: unknown }).self = broken.highlight;
      await expect(
        store.persistPages(stage('sync', [kept('cnv_1', 'msg_1', 1)], { items: [item(1, 'a'), broken], checkpoint: { at: 2 } })),
      ).rejects.toThrow();
      expect(await store.eventMessagesAfter('sync', null, 10)).toEqual([]);
      expect(await store.totals()).toMatchObject({ conversations: 0 });
      expect(await store.getCheckpoint('sync')).toEqual({ at: 1 });
      await store.close();
    });

    it('without a checkpoint (a dry run) leaves the saved one as it was', async () => {
      const store = await freshStore();
      await store.setCheckpoint('sync', { at: 1 });
      await store.persistPages(stage('sync', [], { items: [item(1, 'a')] }));
      expect(await store.getCheckpoint('sync')).toEqual({ at: 1 });
      await store.close();
    });
  });
});
