import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DestinationError } from '../../src/errors.ts';
import { BatchRejectedError } from '../../src/destinations/types.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import { deliverPending } from '../../src/pipeline/deliver/deliver.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { useTempDirs } from '../store/helpers.ts';
import { fakeDestination, fakeFileDestination } from './fake-destination.ts';

const DESTINATION = 'https://next.example/in';

/** A conversation whose Highlight is queued for DESTINATION. */
function queued(h: Highlight) {
  return { highlight: h, facts: { frontStatus: null, tags: [], inboxes: null }, deliveries: [{ destination: DESTINATION, highlight: h }], lastMessageId: null, frontUpdatedAt: null, lastMessage: null };
}

function highlight(n: number): Highlight {
  return {
    id: `front:cnv_${n}`, version: `v${n}`, schemaVersion: 3, source: 'front', conversationId: `cnv_${n}`, title: `t${n}`, text: '',
    textTruncated: false, textAuthor: null, requester: null, assignee: null, participants: [], status: 'open', statusName: null, statusCategory: null, tags: [], labels: [], customFields: {}, ticketIds: [], links: [], team: [], language: null, createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: null, sourceUrl: `https://app.frontapp.com/open/cnv_${n}`,
  };
}

const tempDir = useTempDirs();
/** A state file path in a folder of its own, removed after the test. */
const statePath = () => join(tempDir(), 'state.db');

async function storeWith(n: number) {
  const store = openStore(statePath());
  for (let i = 1; i <= n; i++) await store.upsert(queued(highlight(i)));
  return store;
}

describe('deliverPending', () => {
  it('delivers in order, in batches, and marks everything delivered', async () => {
    const store = await storeWith(10);
    const dest = fakeDestination(() => undefined);
    const counts = await deliverPending(store.outbox(DESTINATION), store, dest);
    expect(counts).toEqual({ delivered: 10, refused: 0, batches: 3 });
    expect(dest.sent.flatMap((b) => b.highlights.map((h) => h.id))).toEqual(Array.from({ length: 10 }, (_, i) => `front:cnv_${i + 1}`));
    expect(await store.outbox(DESTINATION).pendingCount()).toBe(0);
  });

  it('isolates a refused item by splitting; the rest go through and the item is marked failed', async () => {
    const store = await storeWith(8);
    const dest = fakeDestination((b) => {
      if (b.highlights.some((h) => h.id === 'front:cnv_6')) throw new BatchRejectedError(422, 'bad title');
    });
    const counts = await deliverPending(store.outbox(DESTINATION), store, dest);
    expect(counts.delivered).toBe(7);
    expect(counts.refused).toBe(1);
    const totals = await store.totals();
    expect(totals.failed).toBe(1);
    expect(totals.failures[0]).toMatchObject({ id: 'front:cnv_6', error: 'bad title' });
  });

  it('a batch that failed to send is re-sent unchanged (same key) by the next delivery', async () => {
    const store = await storeWith(3);
    const down = fakeDestination(() => {
      throw new DestinationError('down');
    });
    await expect(deliverPending(store.outbox(DESTINATION), store, down)).rejects.toThrow('down');
    await store.upsert(queued({ ...highlight(2), version: 'v2b' }));
    const up = fakeDestination(() => undefined);
    await deliverPending(store.outbox(DESTINATION), store, up);
    expect(up.sent[0]!.highlights.map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_1@v1', 'front:cnv_2@v2', 'front:cnv_3@v3']);
    expect(up.sent[1]!.highlights.map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_2@v2b']);
    expect(await store.outbox(DESTINATION).pendingCount()).toBe(0);
  });
});

// A file's readers dedupe by item (Destination.keyedBatches false): its batches are not written to
// the state before a send, only re-cut from the pending items; an HTTP receiver's are.
describe('batches fixed before a send', () => {
  const ids = (highlights: readonly Highlight[]) => highlights.map((h) => `${h.id}@${h.version}`);

  it('to a file: no open batch while the send runs, and the items end delivered', async () => {
    const store = await storeWith(5);
    const outbox = store.outbox(DESTINATION);
    const openDuringSend: number[] = [];
    const dest = fakeFileDestination(async () => {
      openDuringSend.push((await outbox.openBatches()).length);
    }, 2);
    expect(await deliverPending(outbox, store, dest)).toEqual({ delivered: 5, refused: 0, batches: 3 });
    expect(openDuringSend).toEqual([0, 0, 0]);
    expect(dest.sent.flatMap((b) => ids(b.highlights))).toEqual(['front:cnv_1@v1', 'front:cnv_2@v2', 'front:cnv_3@v3', 'front:cnv_4@v4', 'front:cnv_5@v5']);
    expect(await outbox.totals()).toMatchObject({ highlights: 5, delivered: 5, pending: 0 });
    await store.close();
  });

  it('to a keyed receiver (HTTP): the very batch being sent is open during the send, then settled', async () => {
    const store = await storeWith(3);
    const outbox = store.outbox(DESTINATION);
    const openDuringSend: Array<{ key: string; ids: string[] }> = [];
    const dest = fakeDestination(async (batch) => {
      for (const open of await outbox.openBatches()) openDuringSend.push({ key: open.key, ids: ids(open.highlights) });
      expect(openDuringSend.at(-1)?.key).toBe(batch.key);
    }, 2);
    await deliverPending(outbox, store, dest);
    expect(openDuringSend).toEqual([
      { key: dest.sent[0]!.key, ids: ['front:cnv_1@v1', 'front:cnv_2@v2'] },
      { key: dest.sent[1]!.key, ids: ['front:cnv_3@v3'] },
    ]);
    expect(await outbox.openBatches()).toEqual([]);
    expect(await outbox.pendingCount()).toBe(0);
    await store.close();
  });

  it('a file send that fails leaves the items pending with no open batch; the next delivery cuts and sends them again', async () => {
    const store = await storeWith(3);
    const outbox = store.outbox(DESTINATION);
    const full = fakeFileDestination(() => {
      throw new DestinationError('cannot write to out.ndjson: ENOSPC');
    }, 10);
    await expect(deliverPending(outbox, store, full)).rejects.toThrow('ENOSPC');
    expect(await outbox.openBatches()).toEqual([]);
    expect(await outbox.totals()).toMatchObject({ delivered: 0, pending: 3 });
    expect(ids(await outbox.pending(10))).toEqual(['front:cnv_1@v1', 'front:cnv_2@v2', 'front:cnv_3@v3']);

    // A version stored meanwhile is what the re-cut batch carries (a fixed batch would hold the old one).
    await store.upsert(queued({ ...highlight(2), version: 'v2b' }));
    const file = fakeFileDestination(() => undefined, 10);
    expect(await deliverPending(outbox, store, file)).toEqual({ delivered: 3, refused: 0, batches: 1 });
    expect(file.sent.map((b) => ids(b.highlights))).toEqual([['front:cnv_1@v1', 'front:cnv_3@v3', 'front:cnv_2@v2b']]);
    expect(await outbox.totals()).toMatchObject({ delivered: 3, pending: 0 });
    await store.close();
  });
});

describe('delivery by two processes on one state', () => {
  let waits = 0;
  const turn = () => {
    waits += 1;
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
  const slowly = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

  it('deliver everything between them, one at a time, sending nothing twice', async () => {
    const path = statePath();
    const syncer = openStore(path, { pid: 1001, isProcessAlive: () => true });
    const listener = openStore(path, { pid: 1002, isProcessAlive: () => true });
    for (let i = 1; i <= 10; i++) await syncer.upsert(queued(highlight(i)));
    const dest = fakeDestination(slowly, 2);
    const [a, b] = await Promise.all([
      deliverPending(syncer.outbox(DESTINATION), syncer, dest, { command: 'sync', sleep: turn }),
      deliverPending(listener.outbox(DESTINATION), listener, dest, { command: 'listen', sleep: turn }),
    ]);
    const sent = dest.sent.flatMap((batch) => batch.highlights.map((h) => h.id));
    expect(sent.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `front:cnv_${i + 1}`).sort());
    expect(a.delivered + b.delivered).toBe(10);
    // They did overlap: one waited for the other's batch at least once.
    expect(waits).toBeGreaterThan(0);
    expect(await syncer.outbox(DESTINATION).pendingCount()).toBe(0);
    await syncer.close();
    await listener.close();
  });

  it('waits for a delivery lock held by a live process, and gives up with a LockError after the tries allowed', async () => {
    const path = statePath();
    const other = openStore(path, { pid: 1001, isProcessAlive: () => true });
    const store = openStore(path, { pid: 1002, isProcessAlive: () => true });
    await store.upsert(queued(highlight(1)));
    await other.acquireLock('delivery', 'listen');
    let tries = 0;
    const dest = fakeDestination();
    const sleep = async () => {
      tries += 1;
    };
    await expect(deliverPending(store.outbox(DESTINATION), store, dest, { command: 'sync', maxTries: 3, sleep })).rejects.toThrow(
      /another front-import listen \(pid 1001/,
    );
    expect(tries).toBe(2);
    expect(dest.sent).toEqual([]);

    const released = deliverPending(store.outbox(DESTINATION), store, dest, { command: 'sync', sleep: async () => other.releaseLock('delivery') });
    expect((await released).delivered).toBe(1);
    await other.close();
    await store.close();
  });
});

// An endpoint that refuses everything the same way is told from items at fault in a few POSTs (refusal-probe.ts).
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
