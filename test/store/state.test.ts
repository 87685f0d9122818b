import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import { manualClock } from './helpers.ts';
const backends = storeBackends();

describe.each(backends)('$name store', (backend) => {
  describe('cursors, checkpoints and meta', () => {
    it('store values with the time they were set, and keep them across a reopen', async () => {
      const state = await backend.state();
      const clock = manualClock('2024-05-01T10:00:00.000Z');
      const store = await state.open({ clock: clock.now });
      expect(await store.getCursor('sync')).toBeUndefined();
      await store.commitRun({ cursors: [{ name: 'sync', value: 1_714_550_000.25 }], clearCheckpoints: [] });
      clock.advance(60_000);
      await store.commitRun({ cursors: [{ name: 'sync', value: 1_714_560_000.75 }], clearCheckpoints: [] });
      await store.setCheckpoint('backfill', { page: 'https://example/next?page_token=abc', seen: 150 });
      await store.setMeta('rateLimit', { limit: 100, remaining: 80 });
      await store.close();

      const reopened = await state.open();
      expect(await reopened.getCursor('sync')).toEqual({ value: 1_714_560_000.75, updatedAt: '2024-05-01T10:01:00.000Z' });
      expect(await reopened.getCheckpoint('backfill')).toEqual({ page: 'https://example/next?page_token=abc', seen: 150 });
      expect(await reopened.getMeta('rateLimit')).toEqual({ limit: 100, remaining: 80 });
      expect(await reopened.getMeta('never-set')).toBeUndefined();
      await reopened.close();
    });

    it('a run commit moves cursors and clears checkpoints together; onlyIfUnset keeps an existing cursor', async () => {
      const store = await backend.open();
      await store.setCheckpoint('backfill:x', { at: 1 });
      await store.setCheckpoint('sync', { at: 2 });
      await store.commitRun({ cursors: [{ name: 'sync', value: 100, onlyIfUnset: true }], clearCheckpoints: ['backfill:x'] });
      expect((await store.getCursor('sync'))?.value).toBe(100);
      expect(await store.getCheckpoint('backfill:x')).toBeUndefined();
      expect(await store.getCheckpoint('sync')).toEqual({ at: 2 });
      await store.commitRun({ cursors: [{ name: 'sync', value: 200, onlyIfUnset: true }], clearCheckpoints: [] });
      expect((await store.getCursor('sync'))?.value).toBe(100);
      await store.commitRun({ cursors: [{ name: 'sync', value: 300 }], clearCheckpoints: ['sync'] });
      expect((await store.getCursor('sync'))?.value).toBe(300);
      expect(await store.getCheckpoint('sync')).toBeUndefined();
      await store.close();
    });

    it('stores undefined as null rather than failing', async () => {
      const store = await backend.open();
      await store.setMeta('nothing', undefined);
      expect(await store.getMeta('nothing')).toBeNull();
      await store.close();
    });

    it('deletes a meta entry: the key itself leaves the state, others stay', async () => {
      const store = await backend.open();
      await store.setMeta('scope@https://example.com/?jwt=secret', { inboxes: [] });
      await store.setMeta('rateLimit', { limit: 100 });
      await store.deleteMeta('scope@https://example.com/?jwt=secret');
      await store.deleteMeta('never-set');
      expect(await store.getMeta('scope@https://example.com/?jwt=secret')).toBeUndefined();
      expect(await store.getMeta('rateLimit')).toEqual({ limit: 100 });
      await store.close();
    });
  });

  describe('runs', () => {
    it('records runs, lists them newest first and finds the last success per command', async () => {
      const clock = manualClock('2024-05-01T10:00:00.000Z');
      const store = await backend.open({ clock: clock.now });
      const backfill = await store.startRun('backfill', { since: '30d' });
      clock.advance(5_000);
      await store.finishRun(backfill, { outcome: 'success', exitCode: 0, counts: { seen: 10 }, requests: { requests: 4 } });
      const sync1 = await store.startRun('sync', {});
      await store.finishRun(sync1, { outcome: 'success', exitCode: 0, counts: { seen: 1 }, requests: {} });
      clock.advance(5_000);
      const sync2 = await store.startRun('sync', { to: 'out.ndjson' });
      await store.finishRun(sync2, { outcome: 'failed', exitCode: 5, error: 'front_unavailable: 503', counts: {}, requests: { retries: 3 } });
      const running = await store.startRun('sync', {});

      expect((await store.lastRuns(10)).map((r) => [r.id, r.command, r.outcome])).toEqual([
        [running, 'sync', null],
        [sync2, 'sync', 'failed'],
        [sync1, 'sync', 'success'],
        [backfill, 'backfill', 'success'],
      ]);
      expect(await store.lastRuns(2)).toHaveLength(2);
      expect((await store.lastRuns(10))[1]).toEqual({
        id: sync2,
        command: 'sync',
        args: { to: 'out.ndjson' },
        startedAt: '2024-05-01T10:00:10.000Z',
        endedAt: '2024-05-01T10:00:10.000Z',
        outcome: 'failed',
        exitCode: 5,
        error: 'front_unavailable: 503',
        counts: {},
        requests: { retries: 3 },
      });
      expect((await store.lastRuns(10))[0]).toMatchObject({ endedAt: null, exitCode: null, error: null, counts: {}, requests: {} });
      expect((await store.lastSuccessfulRun('sync'))?.id).toBe(sync1);
      expect(await store.lastSuccessfulRun('backfill')).toMatchObject({ id: backfill, startedAt: '2024-05-01T10:00:00.000Z', endedAt: '2024-05-01T10:00:05.000Z' });
      expect(await store.lastSuccessfulRun('listen')).toBeUndefined();
      await store.close();
    });
  });

  describe('two stores on one file', () => {
    it('see each other\'s committed writes', async () => {
      const state = await backend.state();
      const syncer = await state.open();
      const listener = await state.open();
      await syncer.commitRun({ cursors: [{ name: 'sync', value: 42 }], clearCheckpoints: [] });
      await listener.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' });
      expect((await listener.getCursor('sync'))?.value).toBe(42);
      expect((await syncer.listenerStats()).queued).toBe(1);
      await syncer.close();
      await listener.close();
    });
  });
});
