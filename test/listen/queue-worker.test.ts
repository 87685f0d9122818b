import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startQueueWorker, type BatchReport, type QueueWorkerDeps } from '../../src/listen/queue-worker.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { useTempDirs } from '../store/helpers.ts';
import { waitUntil } from '../helpers/reliability.ts';

const tempDir = useTempDirs();
const stops: AbortController[] = [];
afterEach(() => {
  for (const c of stops.splice(0)) c.abort();
});

const waitFor = (cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => waitUntil(cond, timeoutMs, what);

async function enqueue(store: Store, eventId: string, conversationId: string | null): Promise<void> {
  await store.enqueueWebhookEvent({ eventId, type: 'inbound', conversationId });
}

function harness(
  store: Store,
  process: (ids: string[], signal: AbortSignal) => Promise<string>,
  settings: QueueWorkerDeps<string>['settings'] = {},
  /** Called for each sleep; resolves when the sleep may end (default: at once). */
  held: (ms: number) => Promise<void> = () => Promise.resolve(),
  owner = 'replica-a',
) {
  const stop = new AbortController();
  stops.push(stop);
  const calls: string[][] = [];
  const reports: BatchReport<string>[] = [];
  const warnings: string[] = [];
  const sleeps: number[] = [];
  const worker = startQueueWorker<string>({
    store,
    owner,
    process: (events) => {
      const ids = [...new Set(events.map((e) => e.conversationId!))];
      calls.push(ids);
      return process(ids, stop.signal);
    },
    signal: stop.signal,
    // Real waiting is not what these tests are about; the requested delays are recorded instead.
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return held(ms).then(() => new Promise((resolve, reject) => setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve()))));
    },
    random: () => 0.5,
    onBatch: (r) => reports.push(r),
    warn: (line) => warnings.push(line),
    debug: () => undefined,
    settings: { retryBaseMs: 100, coalesceMs: 0, ...settings },
  });
  return { worker, stop, calls, reports, warnings, sleeps };
}

describe('queue worker', () => {
  it('resumes a queue left from before, imports each conversation once per batch, and marks the events processed', async () => {
    const store = openStore(':memory:');
    await enqueue(store, 'evt_1', 'cnv_a');
    await enqueue(store, 'evt_2', 'cnv_b');
    await enqueue(store, 'evt_3', 'cnv_a');
    await enqueue(store, 'evt_4', null);
    const h = harness(store, async (ids) => `imported ${ids.join(',')}`);
    await waitFor(() => h.reports.length === 1, 'the backlog batch');
    expect(h.calls).toEqual([['cnv_a', 'cnv_b']]);
    expect(h.reports[0]).toEqual({ events: 4, conversations: 2, result: 'imported cnv_a,cnv_b', stillQueued: 0 });
    expect(await store.queuedWebhookEvents(10)).toEqual([]);

    await enqueue(store, 'evt_5', 'cnv_c');
    h.worker.wake();
    await waitFor(() => h.reports.length === 2, 'the woken batch');
    expect(h.calls[1]).toEqual(['cnv_c']);
    expect(await store.listenerStats()).toMatchObject({ queued: 0, processed: 5 });
    expect(h.warnings).toEqual([]);
  });

  it('lets a burst gather after the queue was empty: events on one conversation arriving meanwhile are one import', async () => {
    const store = openStore(':memory:');
    let release: () => void = () => undefined;
    // The gathering pause is the 2,000 ms sleep; it ends when the test lets it.
    const gathering = new Promise<void>((resolve) => (release = resolve));
    const h = harness(store, async (ids) => `imported ${ids.join(',')}`, { coalesceMs: 2_000 }, (ms) => (ms === 2_000 ? gathering : Promise.resolve()));
    await enqueue(store, 'evt_1', 'cnv_a');
    h.worker.wake();
    await waitFor(() => h.sleeps.includes(2_000), 'the gathering pause');
    for (const [id, conversation] of [['evt_2', 'cnv_a'], ['evt_3', 'cnv_a'], ['evt_4', 'cnv_b']] as const) await enqueue(store, id, conversation);
    expect(h.calls).toEqual([]);
    release();
    await waitFor(() => h.reports.length === 1, 'the burst batch');
    expect(h.calls).toEqual([['cnv_a', 'cnv_b']]);
    expect(h.reports[0]).toMatchObject({ events: 4, conversations: 2 });
  });

  it('retries a failed batch with growing backoff and records each failure', async () => {
    const store = openStore(':memory:');
    await enqueue(store, 'evt_1', 'cnv_a');
    const attemptsSeen: number[] = [];
    const h = harness(store, async () => {
      attemptsSeen.push((await store.queuedWebhookEvents(1))[0]!.attempts);
      if (attemptsSeen.length <= 2) throw new Error('Front unavailable');
      return 'ok';
    });
    await waitFor(() => h.reports.length === 1, 'the retried batch');
    expect(h.calls).toEqual([['cnv_a'], ['cnv_a'], ['cnv_a']]);
    expect(attemptsSeen).toEqual([0, 1, 2]);
    expect(h.sleeps).toHaveLength(2);
    expect(h.sleeps[1]!).toBeGreaterThan(h.sleeps[0]!);
    expect(h.warnings).toHaveLength(2);
    expect(h.warnings[0]).toMatch(/failed \(Front unavailable\); retrying in/);
    expect(await store.listenerStats()).toMatchObject({ queued: 0, processed: 1 });
  });

  it('isolates a conversation that keeps failing, processes the rest, and leaves the given-up event queued', async () => {
    const store = openStore(':memory:');
    for (const [e, c] of [['evt_1', 'cnv_good1'], ['evt_2', 'cnv_bad'], ['evt_3', 'cnv_good2'], ['evt_4', 'cnv_good3']] as const) await enqueue(store, e, c);
    const h = harness(
      store,
      async (ids) => {
        if (ids.includes('cnv_bad')) throw new Error('malformed conversation');
        return ids.join(',');
      },
      { batchSize: 4, maxAttempts: 3 },
    );
    await waitFor(() => h.reports.length === 2, 'the good conversations');
    expect(h.reports.flatMap((r) => r.result!.split(',')).sort()).toEqual(['cnv_good1', 'cnv_good2', 'cnv_good3']);
    expect(await store.queuedWebhookEvents(10)).toMatchObject([{ eventId: 'evt_2', conversationId: 'cnv_bad', attempts: 3 }]);
    expect(h.warnings.filter((w) => w.includes('gave up'))).toHaveLength(1);
    expect(h.warnings.find((w) => w.includes('gave up'))).toMatch(/1 webhook event after 3 attempts \(malformed conversation\)/);
    // Given up means not retried again in this process, even when woken.
    const callsBefore = h.calls.length;
    h.worker.wake();
    await new Promise((r) => setTimeout(r, 30));
    expect(h.calls).toHaveLength(callsBefore);
  });

  it('processes batches while a sync holds the import lock, and leaves that lock to it', async () => {
    const path = join(tempDir(), 'state.db');
    const sync = openStore(path, { pid: 424_242, isProcessAlive: () => true });
    await sync.acquireLock('import', 'sync');
    const store = openStore(path, { isProcessAlive: () => true });
    await enqueue(store, 'evt_1', 'cnv_a');
    const h = harness(store, async () => 'ok');
    await waitFor(() => h.reports.length === 1, 'the batch beside the sync');
    expect(h.calls).toEqual([['cnv_a']]);
    expect(h.sleeps).toEqual([]);
    await expect(store.acquireLock('import', 'backfill')).rejects.toThrow(/another front-import sync \(pid 424242/);
    await sync.close();
    await store.close();
  });

  it('shares the queue with another replica: leaves it the conversations it holds, and takes them once released', async () => {
    const path = join(tempDir(), 'state.db');
    const other = openStore(path);
    await enqueue(other, 'evt_1', 'cnv_a');
    expect((await other.claimWebhookEvents({ owner: 'replica-b', limit: 1, leaseMs: 60_000, skip: [] })).map((e) => e.eventId)).toEqual(['evt_1']);
    const store = openStore(path);
    await enqueue(store, 'evt_2', 'cnv_a');
    await enqueue(store, 'evt_3', 'cnv_b');
    // The recheck while the other replica holds cnv_a ends when the test lets it.
    let recheck: () => void = () => undefined;
    const rechecked = new Promise<void>((resolve) => (recheck = resolve));
    const h = harness(store, async (ids) => ids.join(','), { recheckMs: 30_000 }, (ms) => (ms === 30_000 ? rechecked : Promise.resolve()));
    await waitFor(() => h.reports.length === 1 && h.sleeps.includes(30_000), 'the batch of the free conversation');
    expect(h.calls).toEqual([['cnv_b']]);
    await other.releaseWebhookEvents(['evt_1']);
    recheck();
    await waitFor(() => h.reports.length === 2, 'the released conversation');
    expect(h.calls[1]).toEqual(['cnv_a']);
    expect(h.reports[1]).toMatchObject({ events: 2, conversations: 1, stillQueued: 0 });
    await other.close();
    await store.close();
  });

  it('stops on abort: the interrupted batch stays queued with no failure recorded', async () => {
    const store = openStore(':memory:');
    await enqueue(store, 'evt_1', 'cnv_a');
    const h = harness(
      store,
      (_ids, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('interrupted')))),
    );
    await waitFor(() => h.calls.length === 1, 'the batch to start');
    h.stop.abort();
    expect(await h.worker.drain(2_000)).toBe(true);
    expect(await store.queuedWebhookEvents(10)).toMatchObject([{ eventId: 'evt_1', attempts: 0 }]);
    expect(h.warnings).toEqual([]);
    // Released at once: another replica need not wait for the lease to run out.
    expect(await store.claimWebhookEvents({ owner: 'replica-b', limit: 10, leaseMs: 60_000, skip: [] })).toMatchObject([{ eventId: 'evt_1' }]);
  });

  it('gives up waiting for a batch that ignores the stop after the drain timeout', async () => {
    const store = openStore(':memory:');
    await enqueue(store, 'evt_1', 'cnv_a');
    const h = harness(store, () => new Promise<string>(() => undefined));
    await waitFor(() => h.calls.length === 1, 'the batch to start');
    h.stop.abort();
    expect(await h.worker.drain(50)).toBe(false);
  });
});
