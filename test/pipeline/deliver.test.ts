import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DestinationError } from '../../src/errors.ts';
import { BatchRejectedError, type Batch, type Destination } from '../../src/destinations/types.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import { deliverPending } from '../../src/pipeline/deliver.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';

function highlight(n: number): Highlight {
  return {
    id: `front:cnv_${n}`, version: `v${n}`, schemaVersion: 2, source: 'front', conversationId: `cnv_${n}`, title: `t${n}`, text: '',
    textTruncated: false, textAuthor: null, requester: null, assignee: null, participants: [], status: 'open', statusName: null, statusCategory: null, tags: [], labels: [], createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: null, sourceUrl: `https://app.frontapp.com/open/cnv_${n}`,
  };
}

function fakeDestination(behaviour: (batch: Batch) => void, maxBatchSize = 4): Destination & { sent: Batch[] } {
  const sent: Batch[] = [];
  return {
    maxBatchSize,
    sent,
    async send(batch) {
      behaviour(batch);
      sent.push(batch);
    },
    async close() {},
  };
}

async function storeWith(n: number) {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'fi-deliver-')), 'state.db'));
  for (let i = 1; i <= n; i++) await store.upsert({ highlight: highlight(i), lastMessageId: null, frontUpdatedAt: null, lastMessage: null });
  return store;
}

describe('deliverPending', () => {
  it('delivers in order, in batches, and marks everything delivered', async () => {
    const store = await storeWith(10);
    const dest = fakeDestination(() => undefined);
    const counts = await deliverPending(store, dest);
    expect(counts).toEqual({ delivered: 10, failed: 0, batches: 3 });
    expect(dest.sent.flatMap((b) => b.highlights.map((h) => h.id))).toEqual(Array.from({ length: 10 }, (_, i) => `front:cnv_${i + 1}`));
    expect(await store.pendingCount()).toBe(0);
  });

  it('isolates a refused item by splitting; the rest go through and the item is marked failed', async () => {
    const store = await storeWith(8);
    const dest = fakeDestination((b) => {
      if (b.highlights.some((h) => h.id === 'front:cnv_6')) throw new BatchRejectedError(422, 'bad title');
    });
    const counts = await deliverPending(store, dest);
    expect(counts.delivered).toBe(7);
    expect(counts.failed).toBe(1);
    const totals = await store.totals();
    expect(totals.failed).toBe(1);
    expect(totals.failures[0]).toMatchObject({ id: 'front:cnv_6', error: 'bad title' });
  });

  it('a batch that failed to send is re-sent unchanged (same key) by the next delivery', async () => {
    const store = await storeWith(3);
    const down = fakeDestination(() => {
      throw new DestinationError('down');
    });
    await expect(deliverPending(store, down)).rejects.toThrow('down');
    await store.upsert({ highlight: { ...highlight(2), version: 'v2b' }, lastMessageId: null, frontUpdatedAt: null, lastMessage: null });
    const up = fakeDestination(() => undefined);
    await deliverPending(store, up);
    expect(up.sent[0]!.highlights.map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_1@v1', 'front:cnv_2@v2', 'front:cnv_3@v3']);
    expect(up.sent[1]!.highlights.map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_2@v2b']);
    expect(await store.pendingCount()).toBe(0);
  });
});
