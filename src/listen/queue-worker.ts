// Drains the durable webhook queue in the background. Listener replicas on one state share the
// queue by claiming batches of it (WebhookQueue.claimWebhookEvents, with a lease): each event is
// processed by one replica, replicas process different conversations at the same time, and a
// replica that died loses its claims when the lease runs out. No lock is taken for the queue, so a
// `sync` from cron runs beside busy listeners as a safety net, all of them taking turns only on
// delivery (see pipeline/store-locks). A failed batch keeps its claim, is retried with backoff and
// halved each time so one conversation that keeps failing ends up alone; an event that failed
// maxAttempts times in this process is given up here and released (it stays queued and visible in
// `status`; another replica, or the next start, tries it again).
//
// A claim takes whole conversations: an event whose conversation has events under another
// replica's live claim is left for later. Two replicas reading one conversation at once would each
// pay a read for one burst, and their results could be stored and delivered in either order; the
// store's older-state rule orders them only by Front's updated_at, which two edits in one second
// share. One replica per conversation keeps a conversation's events in queue order, as with one
// listener.

import { count } from '../terminal/plural.js';
import { backoffDelay } from '../shared/backoff.js';
import { errorMessage } from '../shared/error-message.js';
import type { Sleep } from '../shared/sleep.js';
import type { WebhookQueue } from '../store/roles.js';
import type { WebhookEventRow } from '../store/types.js';

export interface WorkerSettings {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  /**
   * How long a claim on a batch holds: far longer than a batch takes, since another replica takes
   * over the events once it runs out. If a batch outlives it anyway, the replica that takes over
   * reads those conversations again, which costs requests and delivers nothing twice (upserts skip
   * an unchanged version; delivery is under its own lock).
   */
  leaseMs: number;
  /**
   * How long the worker lets events gather after the queue was empty: a burst of events on one
   * conversation (a reply, its tags, its assignment) then costs one read instead of one per event.
   */
  coalesceMs: number;
  /**
   * While other replicas hold the only queued events, how often to look again without being woken:
   * events they release when they stop, or whose lease ran out, are claimed by the survivors.
   */
  recheckMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = { batchSize: 50, maxAttempts: 8, retryBaseMs: 2_000, coalesceMs: 2_000, leaseMs: 10 * 60_000, recheckMs: 30_000 };

export interface BatchReport<R> {
  events: number;
  conversations: number;
  /** What `process` returned; null when no event named a conversation. */
  result: R | null;
  stillQueued: number;
}

export interface QueueWorkerDeps<R> {
  store: Pick<WebhookQueue, 'claimWebhookEvents' | 'releaseWebhookEvents' | 'markWebhookEventsProcessed' | 'recordWebhookFailure' | 'listenerStats'>;
  /** This replica's name in its claims: unique per process. */
  owner: string;
  /** Imports the conversations the events name (each event at least one); throws when the batch should be retried. */
  process(events: WebhookEventRow[]): Promise<R>;
  /** Aborting it stops the worker: a batch interrupted by it stays queued, with no failure recorded. */
  signal: AbortSignal;
  sleep: Sleep;
  random(): number;
  onBatch(report: BatchReport<R>): void;
  warn(line: string): void;
  debug(line: string): void;
  settings?: Partial<WorkerSettings>;
}

export interface QueueWorker {
  /** New events were queued. */
  wake(): void;
  /** Resolves true once the worker stopped after the signal aborted, false if timeoutMs passed first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function startQueueWorker<R>(deps: QueueWorkerDeps<R>): QueueWorker {
  const s = { ...DEFAULT_WORKER_SETTINGS, ...deps.settings };
  const { store, signal } = deps;
  const attempts = new Map<string, number>();
  const givenUp = new Set<string>();
  let limit = s.batchSize;
  let failuresInARow = 0;
  let wakeIdle: (() => void) | null = null;

  const wake = () => {
    const resolve = wakeIdle;
    wakeIdle = null;
    resolve?.();
  };
  signal.addEventListener('abort', wake, { once: true });
  const idle = () => new Promise<void>((resolve) => (wakeIdle = resolve));
  const pause = (ms: number, until = signal) => deps.sleep(ms, until).catch(() => undefined);
  /** Idle until woken or `ms` passed; the timer goes when woken, so wakes leave none behind. */
  const idleAtMost = async (ms: number) => {
    const woken = new AbortController();
    await Promise.race([idle(), pause(ms, AbortSignal.any([signal, woken.signal]))]);
    woken.abort();
  };

  /** Events this replica claimed and has not finished or released (a failed batch keeps its claim). */
  const held = new Set<string>();

  /** The oldest events not given up that no other replica holds, at most `limit`, now claimed. */
  const claimBatch = async (): Promise<WebhookEventRow[]> => {
    const rows = await store.claimWebhookEvents({ owner: deps.owner, limit, leaseMs: s.leaseMs, skip: [...givenUp] });
    for (const r of rows) held.add(r.eventId);
    return rows;
  };

  const release = async (eventIds: string[]): Promise<void> => {
    await store.releaseWebhookEvents(eventIds);
    for (const id of eventIds) held.delete(id);
  };

  /** Processes one claimed batch; returns how long to wait before the next one. */
  const processBatch = async (rows: WebhookEventRow[]): Promise<number> => {
    try {
      const ids = [...new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : [])))];
      const result = ids.length > 0 ? await deps.process(rows.filter((r) => r.conversationId)) : null;
      await store.markWebhookEventsProcessed(rows.map((r) => r.eventId));
      for (const r of rows) {
        attempts.delete(r.eventId);
        held.delete(r.eventId);
      }
      limit = s.batchSize;
      failuresInARow = 0;
      deps.onBatch({ events: rows.length, conversations: ids.length, result, stillQueued: (await store.listenerStats()).queued - givenUp.size });
      return 0;
    } catch (err) {
      if (signal.aborted) return 0;
      return await recordFailure(rows, err);
    }
  };

  const recordFailure = async (rows: WebhookEventRow[], err: unknown): Promise<number> => {
    const reason = errorMessage(err);
    await store.recordWebhookFailure(
      rows.map((r) => r.eventId),
      reason,
    );
    const exhausted = rows.filter((r) => {
      const n = (attempts.get(r.eventId) ?? 0) + 1;
      attempts.set(r.eventId, n);
      return n >= s.maxAttempts;
    });
    for (const r of exhausted) {
      givenUp.add(r.eventId);
      attempts.delete(r.eventId);
    }
    // Given up here, not for good: another replica may still succeed with them.
    if (exhausted.length > 0) await release(exhausted.map((r) => r.eventId));
    failuresInARow += 1;
    limit = Math.max(1, Math.ceil(rows.length / 2));
    const delay = backoffDelay(failuresInARow, s.retryBaseMs, deps.random);
    if (exhausted.length > 0) {
      deps.warn(
        `listen: gave up on ${count(exhausted.length, 'webhook event')} after ${s.maxAttempts} attempts (${reason}); ` +
          'they stay queued (see `front-import status`) and the next sync imports their conversations',
      );
    }
    if (exhausted.length < rows.length) {
      deps.warn(`listen: processing ${count(rows.length, 'webhook event')} failed (${reason}); retrying in ${(delay / 1000).toFixed(1)} s`);
    }
    return delay;
  };

  const loop = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const rows = await claimBatch();
        if (rows.length === 0) {
          const othersHold = (await store.listenerStats()).queued > givenUp.size;
          await (othersHold ? idleAtMost(s.recheckMs) : idle());
          if (s.coalesceMs > 0) await pause(s.coalesceMs);
          continue;
        }
        const wait = await processBatch(rows);
        if (wait > 0) await pause(wait);
      } catch (err) {
        if (signal.aborted) return;
        // The store itself failed (disk full, file removed): keep the process up and try later.
        failuresInARow += 1;
        const delay = backoffDelay(failuresInARow, s.retryBaseMs, deps.random);
        deps.warn(`listen: webhook queue unavailable (${errorMessage(err)}); retrying in ${(delay / 1000).toFixed(1)} s`);
        await pause(delay);
      }
    }
    // What this replica still holds (an interrupted or failed batch) goes back at once rather than
    // when the lease runs out; if the store is gone by now, the lease frees it.
    if (held.size > 0) await release([...held]).catch(() => undefined);
  };
  const running = loop();

  return {
    wake,
    drain: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        void running.then(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
  };
}
