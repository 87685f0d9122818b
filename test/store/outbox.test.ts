import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import type { Store } from '../../src/store/roles.ts';
import { toStoredConversation } from '../../src/store/rows.ts';
import { DESTINATION, highlight, item, manualClock } from './helpers.ts';

const pendingIds = async (store: Store, limit = 100) => (await store.outbox(DESTINATION).pending(limit)).map((h) => `${h.id}@${h.version}`);
const snapshot = async (store: Store, id: string) => (await store.snapshots([id])).get(id);
const backends = storeBackends();

describe.each(backends)('$name store', (backend) => {
  const freshStore = () => backend.open();

  describe('upsert', () => {
    it('reports created, unchanged and updated, and a flip back to an earlier version is an update', async () => {
      const store = await freshStore();
      expect(await store.upsert(item(1, 'a'))).toBe('created');
      expect(await store.upsert(item(1, 'a'))).toBe('unchanged');
      expect(await store.upsert(item(1, 'b'))).toBe('updated');
      expect(await store.upsert(item(1, 'a'))).toBe('updated');
      expect(await store.upsert(item(2, 'a'))).toBe('created');
      expect((await store.totals()).conversations).toBe(2);
      await store.close();
    });

    it('keeps the latest payload and bookkeeping in the snapshot', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a', 100));
      // The last message id is the stored message's: the row keeps it once.
      const later = { id: 'msg_later', createdAt: 200, text: 'hello 1' };
      await store.upsert({ ...item(1, 'a', 200), lastMessageId: later.id, lastMessage: later });
      expect(await snapshot(store, 'cnv_1')).toEqual({
        conversationId: 'cnv_1',
        version: 'a',
        lastMessageId: 'msg_later',
        frontUpdatedAt: 200,
        lastMessage: later,
        status: 'open',
        inboxes: [],
      });
      expect(await snapshot(store, 'cnv_missing')).toBeUndefined();
      await store.close();
    });

    it('reads the snapshots of many conversations at once, leaving out the unknown ones', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.upsert(item(2, 'b'));
      const found = await store.snapshots(['cnv_2', 'cnv_404', 'cnv_1']);
      expect([...found.keys()].sort()).toEqual(['cnv_1', 'cnv_2']);
      expect(found.get('cnv_2')?.version).toBe('b');
      expect((await store.snapshots([])).size).toBe(0);
      await store.close();
    });

    it('never replaces a newer stored state with an older one, whatever its version', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'new', 2000));
      expect(await store.upsert(item(1, 'old', 1500))).toBe('unchanged');
      expect(await snapshot(store, 'cnv_1')).toMatchObject({ version: 'new', frontUpdatedAt: 2000, lastMessageId: 'msg_1_new' });
      expect(await pendingIds(store)).toEqual(['front:cnv_1@new']);
      expect(await store.upsert(item(1, 'newer', 2000))).toBe('updated');
      await store.close();
    });

    it('a stored updated_at ahead of Front\'s clock or in milliseconds does not hold back a later state (a poisoned state heals); an incoming one does not freeze the next', async () => {
      const store = await freshStore();
      const now = 1_760_000_000;
      for (const [n, poisoned] of [[1, now + 86_400 * 365], [2, now * 1000]] as const) {
        await store.upsert(item(n, 'poisoned', poisoned));
        // Read later, with Front's clock known: the poisoned time does not rank above it.
        expect(await store.upsert({ ...item(n, 'real', now - 60), frontNow: now })).toBe('updated');
        expect(await snapshot(store, `cnv_${n}`)).toMatchObject({ version: 'real', frontUpdatedAt: now - 60 });
        expect(await store.upsert({ ...item(n, 'stale', now - 120), frontNow: now })).toBe('unchanged');
      }
      // Milliseconds are out of range even where Front's clock is unknown.
      await store.upsert(item(3, 'ms', now * 1000));
      expect(await store.upsert(item(3, 'later', now))).toBe('updated');
      await store.close();
    });

    it('an unchanged version does not make a delivered item pending again', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.outbox(DESTINATION).saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
      await store.outbox(DESTINATION).batchAccepted('k1', [{ id: 'front:cnv_1', version: 'a' }]);
      expect(await store.upsert(item(1, 'a', 1_700_000_999))).toBe('unchanged');
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(0);
      await store.close();
    });
  });

  describe('pending', () => {
    it('returns items oldest first, a re-versioned item moving to the back, with the stored payload', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.upsert(item(2, 'a'));
      await store.upsert(item(3, 'a'));
      await store.upsert(item(1, 'b'));
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_3@a', 'front:cnv_1@b']);
      expect(await pendingIds(store, 2)).toEqual(['front:cnv_2@a', 'front:cnv_3@a']);
      expect((await store.outbox(DESTINATION).pending(1))[0]).toEqual(highlight(2, 'a'));
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(3);
      await store.close();
    });

    it('leaves out items held by an open batch until the batch is settled', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.upsert(item(2, 'a'));
      await store.outbox(DESTINATION).saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
      await store.upsert(item(1, 'b'));
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a']);
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(2);
      await store.outbox(DESTINATION).batchAccepted('k1', [{ id: 'front:cnv_1', version: 'a' }]);
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_1@b']);
      await store.close();
    });

    it('a flip-flop back to the delivered version leaves nothing to send', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.outbox(DESTINATION).batchAccepted('none', [{ id: 'front:cnv_1', version: 'a' }]);
      await store.upsert(item(1, 'b'));
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(1);
      await store.upsert(item(1, 'a'));
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(0);
      await store.close();
    });
  });

  describe('batchAccepted', () => {
    it('marks the accepted version delivered and removes the batch', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.upsert(item(2, 'a'));
      await store.outbox(DESTINATION).saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
      await store.outbox(DESTINATION).batchAccepted('k1', [{ id: 'front:cnv_1', version: 'a' }]);
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a']);
      expect(await store.outbox(DESTINATION).totals()).toMatchObject({ highlights: 2, delivered: 1, pending: 1, refused: 0 });
      expect(await store.outbox(DESTINATION).openBatches()).toEqual([]);
      expect(await store.totals()).toMatchObject({ conversations: 2, delivered: 1, pending: 1, failed: 0 });
      await store.close();
    });

    it('keeps a version stored while the older one was in flight pending', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.outbox(DESTINATION).saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
      await store.upsert(item(1, 'b'));
      await store.outbox(DESTINATION).batchAccepted('k1', [{ id: 'front:cnv_1', version: 'a' }]);
      expect(await snapshot(store, 'cnv_1')).toMatchObject({ version: 'b' });
      expect(await pendingIds(store)).toEqual(['front:cnv_1@b']);
      expect(await store.totals()).toMatchObject({ delivered: 0, pending: 1 });
      await store.close();
    });

    it('ignores ids the store does not know', async () => {
      const store = await freshStore();
      await store.outbox(DESTINATION).batchAccepted('k', [{ id: 'front:cnv_404', version: 'a' }]);
      expect((await store.totals()).conversations).toBe(0);
      await store.close();
    });
  });

  describe('failures', () => {
    it('a refused version leaves the pending list and shows in totals with its error; a new version retries', async () => {
      const clock = manualClock();
      const store = await backend.open({ clock: clock.now });
      await store.upsert(item(1, 'a'));
      await store.upsert(item(2, 'a'));
      await store.outbox(DESTINATION).recordAttempt(['front:cnv_1', 'front:cnv_2'], 'HTTP 503');
      await store.outbox(DESTINATION).saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
      await store.outbox(DESTINATION).batchRefused('k1', { id: 'front:cnv_1', version: 'a' }, 'text too long');
      expect(await store.outbox(DESTINATION).openBatches()).toEqual([]);
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a']);
      expect(await store.totals()).toEqual({
        conversations: 2,
        delivered: 0,
        pending: 1,
        failed: 1,
        failures: [{ id: 'front:cnv_1', version: 'a', error: 'text too long', attempts: 2, refusedAt: '2024-05-01T10:00:00.000Z' }],
      });

      expect(await store.upsert(item(1, 'b'))).toBe('updated');
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_1@b']);
      expect(await store.totals()).toMatchObject({ failed: 0, pending: 2, failures: [] });
      await store.close();
    });

    it('lists at most 20 failures', async () => {
      const store = await freshStore();
      for (let n = 0; n < 25; n++) {
        await store.upsert(item(n, 'a'));
        await store.outbox(DESTINATION).batchRefused(`k${n}`, { id: `front:cnv_${n}`, version: 'a' }, `bad ${n}`);
      }
      const totals = await store.totals();
      expect(totals.failed).toBe(25);
      expect(totals.failures).toHaveLength(20);
      await store.close();
    });
  });

  describe('batches', () => {
    it('survive a reopen byte for byte, in the order they were saved, and are fixed once saved', async () => {
      const state = await backend.state();
      const first = await state.open();
      const b1 = [highlight(1, 'a'), highlight(2, 'a', { text: 'ünïcødé 🎉 "quoted"' })];
      await first.outbox(DESTINATION).saveBatch({ key: 'key-1', highlights: b1 });
      await first.outbox(DESTINATION).saveBatch({ key: 'key-2', highlights: [highlight(3, 'a')] });
      await first.outbox(DESTINATION).saveBatch({ key: 'key-1', highlights: [highlight(9, 'z')] });
      await first.close();

      const second = await state.open();
      expect(await second.outbox(DESTINATION).openBatches()).toEqual([
        { key: 'key-1', highlights: b1 },
        { key: 'key-2', highlights: [highlight(3, 'a')] },
      ]);
      await second.outbox(DESTINATION).batchAccepted('key-1', []);
      expect((await second.outbox(DESTINATION).openBatches()).map((b) => b.key)).toEqual(['key-2']);
      await second.close();
    });

    it('a split replaces the batch by its parts, in order, in one step', async () => {
      const store = await freshStore();
      await store.outbox(DESTINATION).saveBatch({ key: 'whole', highlights: [highlight(1, 'a'), highlight(2, 'a')] });
      await store.outbox(DESTINATION).saveBatch({ key: 'other', highlights: [highlight(3, 'a')] });
      await store.outbox(DESTINATION).splitBatch('whole', [
        { key: 'left', highlights: [highlight(1, 'a')] },
        { key: 'right', highlights: [highlight(2, 'a')] },
      ]);
      expect((await store.outbox(DESTINATION).openBatches()).map((b) => b.key)).toEqual(['other', 'left', 'right']);
      await store.close();
    });
  });

  // A replay to a file sends straight from the stored conversations, then records what went.
  describe('sentDirectly', () => {
    /** Sent at `version`; the destination's row held `prior` when the conversation was read (null: none). */
    const sent = (n: number, version: string, prior: string | null) => ({ id: `front:cnv_${n}`, version, prior });
    /** How many of these versions the destination lacks (0: it has each at that version). */
    const lacks = (store: Store, ...versions: [number, string][]) =>
      store.outbox(DESTINATION).enqueue(versions.map(([n, v]) => highlight(n, v)), { resend: false });

    it('reads each stored conversation with the version its delivery row holds for a destination, in the same statement', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      await store.upsert({ ...item(2, 'a'), deliveries: [{ destination: 'other.ndjson', highlight: highlight(2, 'a') }] });
      const versions = async (destination?: string) =>
        (destination === undefined ? await store.storedConversations(null, 10, null) : (await store.storedRows(null, 10, null, destination)).map(toStoredConversation)).map((c) => c.deliveryVersion);
      expect(await versions(DESTINATION)).toEqual(['a', null]);
      expect(await versions('other.ndjson')).toEqual([null, 'a']);
      expect(await versions('never-used.ndjson')).toEqual([null, null]);
      // Not asked: not read.
      expect(await versions()).toEqual([undefined, undefined]);
      await store.close();
    });

    it('a conversation the destination has no row for becomes delivered at the sent version, nothing pending', async () => {
      const clock = manualClock();
      const store = await backend.open({ clock: clock.now });
      // Stored for another destination only: this one has never been sent it.
      await store.upsert({ ...item(1, 'a'), deliveries: [{ destination: 'other.ndjson', highlight: highlight(1, 'a') }] });
      const outbox = store.outbox(DESTINATION);
      expect(await outbox.totals()).toMatchObject({ highlights: 0, delivered: 0 });
      clock.advance(1_000);
      await outbox.sentDirectly([sent(1, 'a', null)]);
      expect(await outbox.totals()).toMatchObject({ highlights: 1, delivered: 1, pending: 0, refused: 0, lastDeliveryAt: '2024-05-01T10:00:01.000Z' });
      expect(await pendingIds(store)).toEqual([]);
      expect(await store.destinations()).toContain(DESTINATION);
      expect(await lacks(store, [1, 'a'])).toBe(0);
      await store.close();
    });

    it('a row pending at the same version leaves the pending list and its counts', async () => {
      const store = await freshStore();
      await store.persistPages({ runKey: 'r', messages: [], items: [item(1, 'a'), item(2, 'a'), item(3, 'a')], imported: [], checkpoint: undefined });
      const outbox = store.outbox(DESTINATION);
      expect(await outbox.pendingCount()).toBe(3);
      await outbox.sentDirectly([sent(1, 'a', 'a'), sent(3, 'a', 'a')]);
      expect(await pendingIds(store)).toEqual(['front:cnv_2@a']);
      expect(await outbox.pendingCount()).toBe(1);
      expect(await outbox.totals()).toMatchObject({ highlights: 3, delivered: 2, pending: 1, refused: 0 });
      expect(await store.totals()).toMatchObject({ conversations: 3, delivered: 2, pending: 1, failed: 0 });
      expect(await lacks(store, [1, 'a'], [3, 'a'])).toBe(0);
      await store.close();
    });

    it('a refused row becomes delivered at the sent version, its refusal gone', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      const outbox = store.outbox(DESTINATION);
      await outbox.batchRefused('k1', { id: 'front:cnv_1', version: 'a' }, 'title too long');
      expect(await store.totals()).toMatchObject({ failed: 1, pending: 0 });
      await outbox.sentDirectly([sent(1, 'a', 'a')]);
      expect(await outbox.totals()).toMatchObject({ highlights: 1, delivered: 1, pending: 0, refused: 0, refusals: [] });
      expect(await store.totals()).toMatchObject({ failed: 0, failures: [] });
      // Nothing left for retry-refused to send again.
      expect(await outbox.retryRefused()).toBe(0);
      expect(await pendingIds(store)).toEqual([]);
      await store.close();
    });

    it('a row another process queued again since the read stays as it is, whatever the clocks say; an unchanged one becomes delivered at the sent version', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a', 100));
      await store.upsert(item(2, 'a', 100));
      // Pending at 'b' when read: the replay sent 'a' anyway (its rules say so), which the destination now has.
      await store.upsert(item(2, 'b', 200));
      await store.upsert({ ...item(3, 'a', 100), deliveries: [{ destination: 'other.ndjson', highlight: highlight(3, 'a') }] });
      const read = (await store.storedRows(null, 10, null, DESTINATION)).map(toStoredConversation);
      expect(read.map((c) => c.deliveryVersion)).toEqual(['a', 'b', null]);
      // Another process stores and queues newer versions after the read: of cnv_1, and of cnv_3, new to this destination.
      await store.upsert(item(1, 'c', 300));
      await store.upsert(item(3, 'c', 300));
      await store.outbox(DESTINATION).sentDirectly(read.map((c) => sent(Number(c.highlight.conversationId.slice(4)), 'a', c.deliveryVersion ?? null)));

      expect(await pendingIds(store)).toEqual(['front:cnv_1@c', 'front:cnv_3@c']);
      expect((await store.outbox(DESTINATION).pending(10))[0]).toEqual(highlight(1, 'c'));
      expect(await store.outbox(DESTINATION).totals()).toMatchObject({ highlights: 3, delivered: 1, pending: 2 });
      // cnv_2 is delivered at 'a', the version sent, not at 'b'.
      expect(await lacks(store, [2, 'a'])).toBe(0);
      expect(await lacks(store, [2, 'b'])).toBe(1);
      await store.close();
    });

    it('an empty list changes nothing', async () => {
      const store = await freshStore();
      await store.upsert(item(1, 'a'));
      const before = await store.outbox(DESTINATION).totals();
      await store.outbox(DESTINATION).sentDirectly([]);
      await store.outbox('never-used.ndjson').sentDirectly([]);
      expect(await store.outbox(DESTINATION).totals()).toEqual(before);
      expect(await pendingIds(store)).toEqual(['front:cnv_1@a']);
      expect(await store.destinations()).toEqual([DESTINATION]);
      await store.close();
    });
  });

  describe('persistPages at volume', () => {
    it('keeps every item of many pages pending, in the order written', async () => {
      const store = await freshStore();
      for (let start = 0; start < 5_000; start += 100) {
        const items = Array.from({ length: 100 }, (_, i) => item(start + i, 'v1'));
        await store.persistPages({ runKey: 'bulk', messages: [], items, imported: [], checkpoint: { start } });
      }
      expect(await store.outbox(DESTINATION).pendingCount()).toBe(5_000);
      expect((await store.outbox(DESTINATION).pending(3)).map((h) => h.id)).toEqual(['front:cnv_0', 'front:cnv_1', 'front:cnv_2']);
      expect(await store.getCheckpoint('bulk')).toEqual({ start: 4_900 });
      await store.close();
    });
  });
});
