// Drains the durable webhook queue in the background. Each batch is processed under the webhooks
// lock, so listeners sharing one state process each event once; it is not the import lock, so a
// `sync` from cron runs beside a busy listener as a safety net, the two taking turns only on
// delivery (see pipeline/store-locks). A failed batch is retried with backoff and halved each time
// so one conversation that keeps failing ends up alone; an event that failed maxAttempts times in
// this process is given up (it stays queued and visible in `status`; the next start tries it again).

import { count } from '../cli/plural.js';
import { LockError } from '../errors.js';
import { takeoverWarning } from '../pipeline/store-locks.js';
import { backoffDelay } from '../shared/backoff.js';
import { errorMessage } from '../shared/error-message.js';
import type { Sleep } from '../shared/sleep.js';
import type { Locks, WebhookQueue } from '../store/roles.js';
import type { WebhookEventRow } from '../store/types.js';

export interface WorkerSettings {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How long to wait before trying again when another listener holds the webhooks lock. */
  lockRetryMs: number;
  /**
   * How long the worker lets events gather after the queue was empty: a burst of events on one
   * conversation (a reply, its tags, its assignment) then costs one read instead of one per event.
   */
  coalesceMs: number;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = { batchSize: 50, maxAttempts: 8, retryBaseMs: 2_000, lockRetryMs: 5_000, coalesceMs: 2_000 };

export interface BatchReport<R> {
  events: number;
  conversations: number;
  /** What `process` returned; null when no event named a conversation. */
  result: R | null;
  stillQueued: number;
}

export interface QueueWorkerDeps<R> {
  store: Pick<WebhookQueue, 'queuedWebhookEvents' | 'markWebhookEventsProcessed' | 'recordWebhookFailure' | 'listenerStats'> & Locks;
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
  const pause = (ms: number) => deps.sleep(ms, signal).catch(() => undefined);

  /** The oldest events not given up, at most `limit`; given-up events are skipped, not blocking. */
  const nextBatch = async (): Promise<WebhookEventRow[]> => {
    for (let window = limit; ; window *= 2) {
      const rows = await store.queuedWebhookEvents(window);
      const live = rows.filter((r) => !givenUp.has(r.eventId));
      if (live.length >= limit || rows.length < window) return live.slice(0, limit);
    }
  };

  /**
   * Runs one batch under the webhooks lock; returns how long to wait before the next one. The batch
   * is read once the lock is held: events another listener processed meanwhile are gone from it.
   */
  const processBatch = async (): Promise<number> => {
    try {
      const stale = await store.acquireLock('webhooks', 'listen');
      if (stale) deps.warn(takeoverWarning(stale));
    } catch (err) {
      if (!(err instanceof LockError)) throw err;
      deps.debug(`listen: another listener is processing the queue (${err.message}); waiting ${s.lockRetryMs} ms`);
      return s.lockRetryMs;
    }
    let rows: WebhookEventRow[] = [];
    try {
      rows = await nextBatch();
      if (rows.length === 0) return 0;
      const ids = [...new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : [])))];
      const result = ids.length > 0 ? await deps.process(rows.filter((r) => r.conversationId)) : null;
      await store.markWebhookEventsProcessed(rows.map((r) => r.eventId));
      for (const r of rows) attempts.delete(r.eventId);
      limit = s.batchSize;
      failuresInARow = 0;
      deps.onBatch({ events: rows.length, conversations: ids.length, result, stillQueued: (await store.listenerStats()).queued - givenUp.size });
      return 0;
    } catch (err) {
      if (signal.aborted) return 0;
      return await recordFailure(rows, err);
    } finally {
      await store.releaseLock('webhooks');
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
        if ((await nextBatch()).length === 0) {
          await idle();
          if (s.coalesceMs > 0) await pause(s.coalesceMs);
          continue;
        }
        const wait = await processBatch();
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
