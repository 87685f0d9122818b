import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite-store.ts';
import { manualClock, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();

describe('cursors, checkpoints and meta', () => {
  it('store values with the time they were set, and keep them across a reopen', () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const store = openStore(path, { clock: clock.now });
    expect(store.getCursor('sync')).toBeUndefined();
    store.setCursor('sync', 1_714_550_000.25);
    clock.advance(60_000);
    store.setCursor('sync', 1_714_560_000.75);
    store.setCheckpoint('backfill', { page: 'https://example/next?page_token=abc', seen: 150 });
    store.setMeta('rateLimit', { limit: 100, remaining: 80 });
    store.close();

    const reopened = openStore(path);
    expect(reopened.getCursor('sync')).toEqual({ value: 1_714_560_000.75, updatedAt: '2024-05-01T10:01:00.000Z' });
    expect(reopened.getCheckpoint('backfill')).toEqual({ page: 'https://example/next?page_token=abc', seen: 150 });
    expect(reopened.getMeta('rateLimit')).toEqual({ limit: 100, remaining: 80 });
    expect(reopened.getMeta('never-set')).toBeUndefined();

    reopened.clearCheckpoint('backfill');
    expect(reopened.getCheckpoint('backfill')).toBeUndefined();
    reopened.close();
  });

  it('stores undefined as null rather than failing', () => {
    const store = openStore(':memory:');
    store.setMeta('nothing', undefined);
    expect(store.getMeta('nothing')).toBeNull();
    store.close();
  });
});

describe('runs', () => {
  it('records runs, lists them newest first and finds the last success per command', () => {
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const store = openStore(join(tempDir(), 'state.db'), { clock: clock.now });
    const backfill = store.startRun('backfill', { since: '30d' });
    clock.advance(5_000);
    store.finishRun(backfill, { outcome: 'success', exitCode: 0, counts: { seen: 10 }, requests: { requests: 4 } });
    const sync1 = store.startRun('sync', {});
    store.finishRun(sync1, { outcome: 'success', exitCode: 0, counts: { seen: 1 }, requests: {} });
    clock.advance(5_000);
    const sync2 = store.startRun('sync', { to: 'out.ndjson' });
    store.finishRun(sync2, { outcome: 'failed', exitCode: 5, error: 'front_unavailable: 503', counts: {}, requests: { retries: 3 } });
    const running = store.startRun('sync', {});

    expect(store.lastRuns(10).map((r) => [r.id, r.command, r.outcome])).toEqual([
      [running, 'sync', null],
      [sync2, 'sync', 'failed'],
      [sync1, 'sync', 'success'],
      [backfill, 'backfill', 'success'],
    ]);
    expect(store.lastRuns(2)).toHaveLength(2);
    expect(store.lastRuns(10)[1]).toEqual({
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
    expect(store.lastRuns(10)[0]).toMatchObject({ endedAt: null, exitCode: null, error: null, counts: {}, requests: {} });
    expect(store.lastSuccessfulRun('sync')?.id).toBe(sync1);
    expect(store.lastSuccessfulRun('backfill')).toMatchObject({ id: backfill, startedAt: '2024-05-01T10:00:00.000Z', endedAt: '2024-05-01T10:00:05.000Z' });
    expect(store.lastSuccessfulRun('listen')).toBeUndefined();
    store.close();
  });
});

describe('two stores on one file', () => {
  it('see each other\'s committed writes', () => {
    const path = join(tempDir(), 'state.db');
    const syncer = openStore(path);
    const listener = openStore(path);
    syncer.setCursor('sync', 42);
    listener.enqueueWebhookEvent({ eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1' });
    expect(listener.getCursor('sync')?.value).toBe(42);
    expect(syncer.listenerStats().queued).toBe(1);
    syncer.close();
    listener.close();
  });
});
