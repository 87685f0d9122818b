// sendFromState: `replay` to a file, straight from the stored conversations. Each page of them goes
// out as the subscription's Highlights (its scope, its labels), one batch at a time under the
// delivery lock, and is then recorded delivered; nothing is staged in the outbox before the send.

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Highlight } from '../../src/highlight/types.ts';
import { DestinationError } from '../../src/errors.ts';
import { queueFromState, sendFromState, type SendFromStateOptions } from '../../src/pipeline/deliver/from-state.ts';
import { underDeliveryLock } from '../../src/pipeline/deliver/store-locks.ts';
import type { SubscriptionRules } from '../../src/pipeline/prepare/subscription-highlight.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { UpsertItem } from '../../src/store/types.ts';
import { highlight, useTempDirs } from '../store/helpers.ts';
import { fakeFileDestination } from './fake-destination.ts';

/** What the stored conversations were imported for: the replay's file has no delivery row yet. */
const IMPORTED_FOR = 'https://next.example/v1/highlights';
const FILE = '/var/out/replay.ndjson';

const tempDir = useTempDirs();

/** The subscription: all but spam, trash and `internal`; `vip` labelled `priority`. */
const rules: SubscriptionRules = {
  scope: { inboxes: [], tags: [], excludeTags: ['internal'], statuses: [] },
  labelRules: [{ when: { tag: 'vip' }, label: 'priority' }],
};

/** Conversation n, last updated at n*100 (unix seconds), stored and queued for IMPORTED_FOR only. */
function stored(n: number, opts: { tags?: string[]; status?: Highlight['status']; version?: string } = {}): UpsertItem {
  const tags = opts.tags ?? [];
  const h = highlight(n, opts.version ?? 'a', { tags, status: opts.status ?? 'open' });
  return {
    highlight: h,
    facts: { frontStatus: 'unassigned', tags: tags.map((name) => ({ id: `tag_${name}`, name })), inboxes: [] },
    deliveries: [{ destination: IMPORTED_FOR, highlight: h }],
    lastMessageId: `msg_${n}`,
    frontUpdatedAt: n * 100,
    lastMessage: { id: `msg_${n}`, createdAt: n * 100, text: `hello ${n}` },
  };
}

/** 1..7: 3 is `internal` and 5 spam (both out of scope); 2 and 6 are `vip`. */
const MIXED = [stored(1), stored(2, { tags: ['vip'] }), stored(3, { tags: ['internal'] }), stored(4), stored(5, { status: 'spam' }), stored(6, { tags: ['vip'] }), stored(7)];
const IN_SCOPE = ['front:cnv_1', 'front:cnv_2', 'front:cnv_4', 'front:cnv_6', 'front:cnv_7'];

async function stateWith(items: readonly UpsertItem[]) {
  const path = join(tempDir(), 'state.db');
  const store = openStore(path);
  await store.persistPages({ runKey: 'backfill', messages: [], items: [...items], imported: [], checkpoint: undefined });
  return { store, path };
}

/** 40 conversations in scope: 20 batches of 2, the lock held over 8 of them at a time. */
const FORTY = Array.from({ length: 40 }, (_, i) => stored(i + 1));

/** The pauses underDeliveryLock makes for a waiting process, each `waitMs` of the real clock. */
function pauses(waitMs = 0) {
  const asked: number[] = [];
  const sleep = (ms: number) => {
    asked.push(ms);
    return new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  };
  return { asked, sleep };
}

const options = (more: Partial<SendFromStateOptions> = {}): SendFromStateOptions => ({ since: null, command: 'replay', ...more });
const idsOf = (highlights: readonly Highlight[]) => highlights.map((h) => h.id);
const sentIds = (dest: { sent: { highlights: Highlight[] }[] }) => dest.sent.flatMap((b) => idsOf(b.highlights));

describe('sendFromState', () => {
  it('sends each stored conversation in the scope once, with the subscription labels, in batches of at most maxBatchSize: the Highlights queueFromState would queue', async () => {
    const { store } = await stateWith(MIXED);
    const dest = fakeFileDestination(() => undefined, 2);
    const result = await sendFromState(store, store.outbox(FILE), dest, rules, options());
    expect(result).toEqual({ sent: 5, error: null });
    expect(sentIds(dest)).toEqual(IN_SCOPE);
    for (const batch of dest.sent) expect(batch.highlights.length).toBeLessThanOrEqual(2);
    const sent = dest.sent.flatMap((b) => b.highlights);
    expect(Object.fromEntries(sent.map((h) => [h.id, h.labels]))).toEqual({
      'front:cnv_1': [],
      'front:cnv_2': ['priority'],
      'front:cnv_4': [],
      'front:cnv_6': ['priority'],
      'front:cnv_7': [],
    });
    // The very Highlights (content and version) a queued replay (to HTTP) sends.
    const queued = store.outbox('https://other.example/in');
    expect(await queueFromState(store, queued, rules, { since: null, resend: true })).toBe(5);
    expect(await queued.pending(100)).toEqual(sent);
    await store.close();
  });

  it('all in scope: full batches of maxBatchSize, then the rest', async () => {
    const { store } = await stateWith([1, 2, 3, 4, 5].map((n) => stored(n)));
    const dest = fakeFileDestination(() => undefined, 2);
    await sendFromState(store, store.outbox(FILE), dest, rules, options());
    expect(dest.sent.map((b) => idsOf(b.highlights))).toEqual([['front:cnv_1', 'front:cnv_2'], ['front:cnv_3', 'front:cnv_4'], ['front:cnv_5']]);
    await store.close();
  });

  it('`since` leaves out the conversations Front last updated before it', async () => {
    const { store } = await stateWith(MIXED);
    const dest = fakeFileDestination(() => undefined, 2);
    expect(await sendFromState(store, store.outbox(FILE), dest, rules, options({ since: 400 }))).toEqual({ sent: 3, error: null });
    expect(sentIds(dest)).toEqual(['front:cnv_4', 'front:cnv_6', 'front:cnv_7']);
    expect(await store.outbox(FILE).totals()).toMatchObject({ highlights: 3, delivered: 3 });
    await store.close();
  });

  it('holds the delivery lock while it reads each page and sends it, frees it afterwards; the destination then has them all delivered and nothing pending', async () => {
    const { store } = await stateWith(MIXED);
    const outbox = store.outbox(FILE);
    const holders: Array<string | undefined> = [];
    const dest = fakeFileDestination(async () => {
      holders.push((await store.lockHolder('delivery'))?.command);
    }, 2);
    // Read under the lock too, so no other process delivers a newer version between the read and the send.
    const readers: Array<string | undefined> = [];
    const reading = {
      ...store,
      storedRows: async (...args: Parameters<typeof store.storedRows>) => {
        readers.push((await store.lockHolder('delivery'))?.command);
        return store.storedRows(...args);
      },
    };
    await sendFromState(reading, outbox, dest, rules, options());
    expect(holders).toEqual(['replay', 'replay', 'replay', 'replay']);
    expect(readers).toEqual(['replay', 'replay', 'replay', 'replay', 'replay']);
    expect(await store.lockHolder('delivery')).toBeNull();
    expect(await outbox.totals()).toMatchObject({ highlights: 5, delivered: 5, pending: 0, refused: 0 });
    expect(await outbox.pending(100)).toEqual([]);
    expect(await outbox.openBatches()).toEqual([]);
    // What was imported for the other destination is as it was.
    expect(await store.outbox(IMPORTED_FOR).totals()).toMatchObject({ highlights: 7, pending: 7, delivered: 0 });
    await store.close();
  });

  it('holds the delivery lock over up to 8 pages at a time, then lets go, so a sync or listen on the same state can deliver between', async () => {
    const { store } = await stateWith(FORTY.slice(0, 20));
    const events: string[] = [];
    const locks = {
      ...store,
      acquireLock: async (...args: Parameters<typeof store.acquireLock>) => {
        events.push('acquire');
        return store.acquireLock(...args);
      },
      releaseLock: async (...args: Parameters<typeof store.releaseLock>) => {
        events.push('release');
        return store.releaseLock(...args);
      },
    };
    const dest = fakeFileDestination((batch) => void events.push(`send ${batch.highlights.length}`), 2);
    expect(await sendFromState(locks, store.outbox(FILE), dest, rules, options())).toEqual({ sent: 20, error: null });
    const hold = ['acquire', ...Array(8).fill('send 2'), 'release'];
    expect(events).toEqual([...hold, 'acquire', 'send 2', 'send 2', 'release']);
    await store.close();
  });

  /** A replay of 4 conversations in batches of 2 that records the order of its reads, writes and records; the first write waits for `written()`. */
  async function replayOrder(inProcess: boolean) {
    const { store } = await stateWith([1, 2, 3, 4].map((n) => stored(n)));
    const outbox = store.outbox(FILE);
    const events: string[] = [];
    const reading = {
      ...store,
      inProcess,
      storedRows: async (...args: Parameters<typeof store.storedRows>) => {
        events.push(`read after ${args[0] ?? 'start'}`);
        return store.storedRows(...args);
      },
    };
    const recording = {
      ...outbox,
      sentDirectly: async (items: Parameters<typeof outbox.sentDirectly>[0]) => {
        events.push(`recorded ${items.map((i) => i.id.replace('front:cnv_', '')).join(' ')}`);
        return outbox.sentDirectly(items);
      },
    };
    // The file's write of the first page takes until it is let go.
    let written: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (written = resolve));
    const dest = fakeFileDestination(async (batch) => {
      events.push(`write ${idsOf(batch.highlights).map((id) => id.replace('front:cnv_', '')).join(' ')}`);
      if (batch.highlights[0]?.id === 'front:cnv_1') await writing;
    }, 2);
    const replay = sendFromState(reading, recording, dest, rules, options());
    return { events, written, replay, store };
  }

  it.each([
    {
      where: 'beside a server (PostgreSQL)',
      inProcess: false,
      // The next page is read while the first is still being written.
      heldUntil: 'read after cnv_2',
      order: ['read after start', 'write 1 2', 'read after cnv_2', 'recorded 1 2', 'write 3 4', 'read after cnv_4', 'recorded 3 4'],
    },
    {
      where: 'on this thread (SQLite)',
      inProcess: true,
      // Nothing of the store runs beside us: each page is done before the next is read.
      heldUntil: 'write 1 2',
      order: ['read after start', 'write 1 2', 'recorded 1 2', 'read after cnv_2', 'write 3 4', 'recorded 3 4', 'read after cnv_4'],
    },
  ])('$where: a page is sent only once the one before is written and recorded', async ({ inProcess, heldUntil, order }) => {
    const { events, written, replay, store } = await replayOrder(inProcess);
    await vi.waitFor(() => expect(events).toContain(heldUntil));
    written();
    expect(await replay).toEqual({ sent: 4, error: null });
    expect(events).toEqual(order);
    await store.close();
  });

  it('takes turns: a sync on the same state that waits for the delivery lock delivers after the hold it waited on, not after the whole replay', async () => {
    const { store: replaying, path } = await stateWith(FORTY);
    // The sync is another process on the state (another pid).
    const syncing = openStore(path, { pid: process.ppid });
    const events: string[] = [];
    let sync: Promise<void> | null = null;
    const dest = fakeFileDestination(() => {
      events.push('replay batch');
      // The sync asks for the lock while the replay's first hold has it. It tries again at every turn
      // of the event loop: a replay that took the lock straight back would never let it in.
      sync ??= underDeliveryLock(syncing, { command: 'sync', sleep: () => new Promise((resolve) => setImmediate(resolve)) }, async () => {
        events.push('sync batch');
      });
    }, 2);
    const pause = pauses(5);
    expect(await sendFromState(replaying, replaying.outbox(FILE), dest, rules, options({ sleep: pause.sleep }))).toEqual({ sent: 40, error: null });
    await sync;
    expect(events.indexOf('sync batch')).toBe(8);
    expect(events.filter((e) => e === 'replay batch')).toHaveLength(20);
    // One pause of 1.5 tries' time (150 ms) for the one try seen; the sync's mark is gone.
    expect(pause.asked).toEqual([150]);
    expect(await replaying.otherWaiting('delivery')).toBeNull();
    await replaying.close();
    await syncing.close();
  });

  it('a mark left by a process that stopped waiting (killed) costs one pause, not one per hold', async () => {
    const { store: replaying, path } = await stateWith(FORTY);
    const gone = openStore(path, { pid: process.ppid });
    await gone.markWaiting('delivery', 'sync');
    await gone.close();
    const pause = pauses();
    const dest = fakeFileDestination(() => undefined, 2);
    expect(await sendFromState(replaying, replaying.outbox(FILE), dest, rules, options({ sleep: pause.sleep }))).toEqual({ sent: 40, error: null });
    expect(pause.asked).toEqual([150]);
    await replaying.close();
  });

  it('a wait that ends without the lock (tries used up, or Ctrl+C) takes its mark back', async () => {
    const path = join(tempDir(), 'state.db');
    const holding = openStore(path);
    const waiting = openStore(path, { pid: process.ppid });
    await holding.acquireLock('delivery', 'listen');
    await expect(underDeliveryLock(waiting, { command: 'sync', maxTries: 3, sleep: async () => undefined }, async () => 'sent')).rejects.toThrow(/holds|running/);
    expect(await holding.otherWaiting('delivery')).toBeNull();
    const stop = new AbortController();
    const abortingSleep = async () => {
      stop.abort(new Error('Ctrl+C'));
      throw stop.signal.reason;
    };
    await expect(underDeliveryLock(waiting, { command: 'sync', signal: stop.signal, sleep: abortingSleep }, async () => 'sent')).rejects.toThrow('Ctrl+C');
    expect(await holding.otherWaiting('delivery')).toBeNull();
    await holding.close();
    await waiting.close();
  });

  it('a page that cannot be recorded stops the sending: the page after it is not sent, the failure is returned and the lock freed', async () => {
    const { store } = await stateWith([1, 2, 3, 4, 5].map((n) => stored(n)));
    const outbox = store.outbox(FILE);
    const failure = new Error('SQLITE_FULL: database or disk is full');
    let records = 0;
    const failing = {
      ...outbox,
      sentDirectly: async (items: Parameters<typeof outbox.sentDirectly>[0]) => {
        records += 1;
        if (records === 2) throw failure;
        return outbox.sentDirectly(items);
      },
    };
    const dest = fakeFileDestination(() => undefined, 2);
    const result = await sendFromState(store, failing, dest, rules, options());
    expect(result).toEqual({ sent: 2, error: failure });
    expect(dest.sent.map((b) => idsOf(b.highlights))).toEqual([['front:cnv_1', 'front:cnv_2'], ['front:cnv_3', 'front:cnv_4']]);
    expect(await outbox.totals()).toMatchObject({ highlights: 2, delivered: 2, pending: 0 });
    expect(await store.lockHolder('delivery')).toBeNull();
    await store.close();
  });

  it('a version another process queues while a page is out stays pending at it; the rest of the page is delivered', async () => {
    const { store } = await stateWith([1, 2, 3].map((n) => stored(n)));
    const outbox = store.outbox(FILE);
    let stored2 = false;
    const dest = fakeFileDestination(async () => {
      if (stored2) return;
      stored2 = true;
      // A sync on the same state, after the replay read cnv_2 at 'a': it queues 'b' for the file too.
      const b = stored(2, { version: 'b' });
      await store.upsert({ ...b, frontUpdatedAt: 1_000, deliveries: [{ destination: FILE, highlight: b.highlight }] });
    }, 2);
    await sendFromState(store, outbox, dest, rules, options());
    expect((await outbox.pending(10)).map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_2@b']);
    expect(await outbox.totals()).toMatchObject({ highlights: 3, delivered: 2, pending: 1 });
    await store.close();
  });

  it('a destination that fails on the second batch: what the first took is delivered, the failure returned, later conversations untouched', async () => {
    const { store } = await stateWith([1, 2, 3, 4, 5].map((n) => stored(n)));
    const outbox = store.outbox(FILE);
    const failure = new DestinationError(`cannot write to ${FILE}: ENOSPC`);
    let sends = 0;
    const dest = fakeFileDestination(() => {
      sends += 1;
      if (sends === 2) throw failure;
    }, 2);
    const result = await sendFromState(store, outbox, dest, rules, options());
    expect(result).toEqual({ sent: 2, error: failure });
    expect(result.error).toBe(failure);
    expect(sends).toBe(2);
    expect(sentIds(dest)).toEqual(['front:cnv_1', 'front:cnv_2']);
    // Only the first batch's two rows exist for the file: delivered. cnv_3.. have none, pending nothing.
    expect(await outbox.totals()).toMatchObject({ highlights: 2, delivered: 2, pending: 0, refused: 0 });
    // ... at the versions sent (queueing them again changes nothing).
    expect(await outbox.enqueue(dest.sent[0]!.highlights, { resend: false })).toBe(0);
    expect(await store.lockHolder('delivery')).toBeNull();
    await store.close();
  });

  it('an abort is thrown (not returned): before the first page nothing is sent; after a batch, that batch stays recorded', async () => {
    const { store } = await stateWith([1, 2, 3, 4, 5].map((n) => stored(n)));
    const outbox = store.outbox(FILE);
    const stopped = new AbortController();
    stopped.abort(new Error('interrupted'));
    const idle = fakeFileDestination(() => undefined, 2);
    await expect(sendFromState(store, outbox, idle, rules, options({ signal: stopped.signal }))).rejects.toThrow('interrupted');
    expect(idle.sent).toEqual([]);

    const ctrlC = new AbortController();
    const dest = fakeFileDestination(() => ctrlC.abort(new Error('Ctrl+C')), 2);
    await expect(sendFromState(store, outbox, dest, rules, options({ signal: ctrlC.signal }))).rejects.toThrow('Ctrl+C');
    expect(sentIds(dest)).toEqual(['front:cnv_1', 'front:cnv_2']);
    expect(await outbox.totals()).toMatchObject({ highlights: 2, delivered: 2, pending: 0 });
    expect(await store.lockHolder('delivery')).toBeNull();
    await store.close();
  });
});
