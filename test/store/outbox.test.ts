import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite-store.ts';
import { highlight, item, manualClock, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();
const freshStore = () => openStore(join(tempDir(), 'state.db'));
const pendingIds = (store: ReturnType<typeof freshStore>, limit = 100) => store.pending(limit).map((p) => `${p.highlight.id}@${p.highlight.version}`);

describe('upsert', () => {
  it('reports created, unchanged and updated, and a flip back to an earlier version is an update', () => {
    const store = freshStore();
    expect(store.upsert(item(1, 'a'))).toBe('created');
    expect(store.upsert(item(1, 'a'))).toBe('unchanged');
    expect(store.upsert(item(1, 'b'))).toBe('updated');
    expect(store.upsert(item(1, 'a'))).toBe('updated');
    expect(store.upsert(item(2, 'a'))).toBe('created');
    expect(store.totals().conversations).toBe(2);
    store.close();
  });

  it('keeps the latest payload and bookkeeping in the snapshot', () => {
    const store = freshStore();
    store.upsert(item(1, 'a', 100));
    store.upsert({ ...item(1, 'a', 200), lastMessageId: 'msg_later' });
    expect(store.getSnapshot('cnv_1')).toEqual({
      conversationId: 'cnv_1',
      version: 'a',
      deliveredVersion: null,
      lastMessageId: 'msg_later',
      frontUpdatedAt: 200,
      lastMessage: { id: 'msg_1_a', createdAt: 200, text: 'hello 1' },
    });
    expect(store.getSnapshot('cnv_missing')).toBeUndefined();
    store.close();
  });

  it('an unchanged version does not make a delivered item pending again', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.markDelivered([{ id: 'front:cnv_1', version: 'a' }]);
    expect(store.upsert(item(1, 'a', 999))).toBe('unchanged');
    expect(store.pendingCount()).toBe(0);
    store.close();
  });
});

describe('pending', () => {
  it('returns items oldest first, a re-versioned item moving to the back, with the stored payload', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.upsert(item(2, 'a'));
    store.upsert(item(3, 'a'));
    store.upsert(item(1, 'b'));
    expect(pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_3@a', 'front:cnv_1@b']);
    expect(pendingIds(store, 2)).toEqual(['front:cnv_2@a', 'front:cnv_3@a']);
    expect(store.pending(1)[0]).toEqual({ highlight: highlight(2, 'a'), attempts: 0 });
    expect(store.pendingCount()).toBe(3);
    store.close();
  });

  it('leaves out items held by an open batch until the batch is deleted', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.upsert(item(2, 'a'));
    store.saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
    store.upsert(item(1, 'b'));
    expect(pendingIds(store)).toEqual(['front:cnv_2@a']);
    expect(store.pendingCount()).toBe(2);
    store.deleteBatch('k1');
    expect(pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_1@b']);
    store.close();
  });

  it('a flip-flop back to the delivered version leaves nothing to send', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.markDelivered([{ id: 'front:cnv_1', version: 'a' }]);
    store.upsert(item(1, 'b'));
    expect(store.pendingCount()).toBe(1);
    store.upsert(item(1, 'a'));
    expect(store.pendingCount()).toBe(0);
    store.close();
  });
});

describe('markDelivered', () => {
  it('marks the stored version delivered', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.upsert(item(2, 'a'));
    store.markDelivered([{ id: 'front:cnv_1', version: 'a' }]);
    expect(pendingIds(store)).toEqual(['front:cnv_2@a']);
    expect(store.getSnapshot('cnv_1')?.deliveredVersion).toBe('a');
    expect(store.totals()).toMatchObject({ conversations: 2, delivered: 1, pending: 1, failed: 0 });
    store.close();
  });

  it('keeps a version stored while the older one was in flight pending', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
    store.upsert(item(1, 'b'));
    store.transaction(() => {
      store.markDelivered([{ id: 'front:cnv_1', version: 'a' }]);
      store.deleteBatch('k1');
    });
    expect(store.getSnapshot('cnv_1')).toMatchObject({ version: 'b', deliveredVersion: 'a' });
    expect(pendingIds(store)).toEqual(['front:cnv_1@b']);
    expect(store.totals()).toMatchObject({ delivered: 0, pending: 1 });
    store.close();
  });

  it('ignores ids the store does not know', () => {
    const store = freshStore();
    store.markDelivered([{ id: 'front:cnv_404', version: 'a' }]);
    expect(store.totals().conversations).toBe(0);
    store.close();
  });
});

describe('failures', () => {
  it('a failed version leaves the pending list and shows in totals with its error; a new version retries', () => {
    const clock = manualClock();
    const store = openStore(join(tempDir(), 'state.db'), { clock: clock.now });
    store.upsert(item(1, 'a'));
    store.upsert(item(2, 'a'));
    store.recordAttempt(['front:cnv_1', 'front:cnv_2'], 'HTTP 503');
    expect(store.pending(10).map((p) => p.attempts)).toEqual([1, 1]);
    store.markFailed('front:cnv_1', 'a', 'text too long');
    expect(pendingIds(store)).toEqual(['front:cnv_2@a']);
    expect(store.totals()).toEqual({
      conversations: 2,
      delivered: 0,
      pending: 1,
      failed: 1,
      failures: [{ id: 'front:cnv_1', version: 'a', error: 'text too long', attempts: 2 }],
    });

    expect(store.upsert(item(1, 'b'))).toBe('updated');
    expect(pendingIds(store)).toEqual(['front:cnv_2@a', 'front:cnv_1@b']);
    expect(store.totals()).toMatchObject({ failed: 0, pending: 2, failures: [] });
    store.close();
  });

  it('lists at most 20 failures', () => {
    const store = freshStore();
    store.transaction(() => {
      for (let n = 0; n < 25; n++) {
        store.upsert(item(n, 'a'));
        store.markFailed(`front:cnv_${n}`, 'a', `bad ${n}`);
      }
    });
    const totals = store.totals();
    expect(totals.failed).toBe(25);
    expect(totals.failures).toHaveLength(20);
    store.close();
  });
});

describe('batches', () => {
  it('survive a reopen byte for byte, in the order they were saved, and are fixed once saved', () => {
    const path = join(tempDir(), 'state.db');
    const first = openStore(path);
    const b1 = [highlight(1, 'a'), highlight(2, 'a', { text: 'ünïcødé 🎉 "quoted"' })];
    first.saveBatch({ key: 'key-1', highlights: b1 });
    first.saveBatch({ key: 'key-2', highlights: [highlight(3, 'a')] });
    first.saveBatch({ key: 'key-1', highlights: [highlight(9, 'z')] });
    first.close();

    const second = openStore(path);
    expect(second.openBatches()).toEqual([
      { key: 'key-1', highlights: b1, attempts: 0 },
      { key: 'key-2', highlights: [highlight(3, 'a')], attempts: 0 },
    ]);
    second.deleteBatch('key-1');
    expect(second.openBatches().map((b) => b.key)).toEqual(['key-2']);
    second.close();
  });

  it('counts failed sends against the batch holding the items', () => {
    const store = freshStore();
    store.upsert(item(1, 'a'));
    store.upsert(item(2, 'a'));
    store.saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
    store.saveBatch({ key: 'k2', highlights: [highlight(2, 'a')] });
    store.recordAttempt(['front:cnv_1'], 'connection reset');
    store.recordAttempt(['front:cnv_1'], 'connection reset');
    expect(store.openBatches().map((b) => [b.key, b.attempts])).toEqual([
      ['k1', 2],
      ['k2', 0],
    ]);
    store.close();
  });
});

describe('transaction', () => {
  it('rolls back everything when the function throws, and rethrows the same error', () => {
    const store = freshStore();
    const boom = new Error('boom');
    expect(() =>
      store.transaction(() => {
        store.upsert(item(1, 'a'));
        store.setCheckpoint('sync', { page: 2 });
        throw boom;
      }),
    ).toThrow(boom);
    expect(store.totals().conversations).toBe(0);
    expect(store.getCheckpoint('sync')).toBeUndefined();
    store.close();
  });
});

describe('throughput', () => {
  it('stores 50,000 Highlights in transactions of 100 well within a few seconds', () => {
    const store = freshStore();
    const started = performance.now();
    for (let start = 0; start < 50_000; start += 100) {
      store.transaction(() => {
        for (let n = start; n < start + 100; n++) store.upsert(item(n, 'v1'));
      });
    }
    const elapsedMs = performance.now() - started;
    expect(store.pendingCount()).toBe(50_000);
    expect(elapsedMs).toBeLessThan(5000);
    store.close();
  });
});
