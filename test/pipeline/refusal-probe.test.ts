// An endpoint that refuses everything the same way is told from items at fault in a few POSTs.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchRejectedError } from '../../src/destinations/types.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import { deliverPending } from '../../src/pipeline/deliver.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { fakeDestination } from './fake-destination.ts';

const DESTINATION = 'https://next.example/in';

function highlight(n: number): Highlight {
  return {
    id: `front:cnv_${n}`, version: `v${n}`, schemaVersion: 2, source: 'front', conversationId: `cnv_${n}`, title: `t${n}`, text: '',
    textTruncated: false, textAuthor: null, requester: null, assignee: null, participants: [], status: 'open', statusName: null, statusCategory: null, tags: [], labels: [], createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: null, sourceUrl: `https://app.frontapp.com/open/cnv_${n}`,
  };
}

async function storeWith(n: number) {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'fi-probe-')), 'state.db'));
  for (let i = 1; i <= n; i++) {
    const h = highlight(i);
    await store.upsert({ highlight: h, facts: { frontStatus: null, tags: [], inboxes: null }, deliveries: [{ destination: DESTINATION, highlight: h }], lastMessageId: null, frontUpdatedAt: null, lastMessage: null });
  }
  return store;
}

describe('endpoint-level refusal', () => {
  it('every part of a 100-item batch refused the same way: DestinationError after 2·log2(N)+1 POSTs at most, every item pending, none refused', async () => {
    const store = await storeWith(100);
    let posts = 0;
    const dest = fakeDestination(() => {
      posts += 1;
      throw new BatchRejectedError(400, 'unsupported schema version');
    }, 100);
    await expect(deliverPending(store.outbox(DESTINATION), store, dest)).rejects.toThrow(
      /refused every part of a batch of 100 the same way \(400: unsupported schema version\): it refuses the endpoint, not the items/,
    );
    expect(posts).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(100)) + 1);
    const outbox = store.outbox(DESTINATION);
    expect(await outbox.openBatches()).toEqual([]);
    expect(await outbox.pendingCount()).toBe(100);
    expect((await store.totals()).failed).toBe(0);
  });

  it('items refused with a message that does not name them, among good ones: only they are refused, the rest delivered', async () => {
    const store = await storeWith(100);
    const bad = new Set(['front:cnv_1', 'front:cnv_2', 'front:cnv_60']);
    const dest = fakeDestination((b) => {
      if (b.highlights.some((h) => bad.has(h.id))) throw new BatchRejectedError(422, 'title too long');
    }, 100);
    const counts = await deliverPending(store.outbox(DESTINATION), store, dest);
    expect(counts).toMatchObject({ delivered: 97, refused: 3 });
    expect((await store.totals()).failures.map((f) => f.id).sort()).toEqual([...bad].sort());
  });
});
