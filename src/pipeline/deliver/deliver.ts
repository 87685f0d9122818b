// One destination's outbox -> that destination. A batch is written to the store before it is sent, so a crash re-sends the
// very same batch (same Idempotency-Key); items are marked delivered only after the destination
// accepted them. A permanently refused batch is split in halves until the bad item is isolated.
// Each batch is cut, sent and settled under the delivery lock, so two processes on one state (a
// sync and a listener) take turns batch by batch and never send the same items.

import { BatchRejectedError, batchKey, type Destination } from '../../destinations/types.js';
import type { Highlight } from '../../highlight/types.js';
import type { Locks, Outbox } from '../../store/roles.js';
import { errorMessage } from '../../shared/error-message.js';
import { underDeliveryLock, type DeliveryLockOptions } from './store-locks.js';

export interface DeliveryCounts {
  delivered: number;
  /** Refused by the destination (4xx for that item): kept as refused, see Outbox.batchRefused. */
  refused: number;
  batches: number;
}

export interface DeliverOptions extends Partial<Omit<DeliveryLockOptions, 'warn' | 'signal'>> {
  signal?: AbortSignal;
  /** Called after every accepted batch. */
  onBatch?: (counts: DeliveryCounts) => void;
  /** Counted into as it goes, so a caller still knows what went through when a later batch fails. */
  counts?: DeliveryCounts;
  warn?: (line: string) => void;
}

export async function deliverPending(store: Outbox, locks: Locks, destination: Destination, opts: DeliverOptions = {}): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = opts.counts ?? { delivered: 0, refused: 0, batches: 0 };
  const lock = { ...opts, command: opts.command ?? 'delivery' };
  for (;;) {
    stopIfAborted(opts.signal);
    const sent = await underDeliveryLock(locks, lock, () => sendNext(store, destination, counts, opts));
    if (!sent) return counts;
  }
}

/** Sends the oldest open batch (one a crash or failure left), else cuts one from the pending items; false when none is left. */
async function sendNext(store: Outbox, destination: Destination, counts: DeliveryCounts, opts: DeliverOptions): Promise<boolean> {
  const open = (await store.openBatches())[0];
  if (open) {
    await sendBatch(store, destination, open.key, open.highlights, counts, opts);
    return true;
  }
  const highlights = await store.pending(destination.maxBatchSize);
  if (highlights.length === 0) return false;
  const key = batchKey(highlights);
  await store.saveBatch({ key, highlights });
  await sendBatch(store, destination, key, highlights, counts, opts);
  return true;
}

async function sendBatch(
  store: Outbox,
  destination: Destination,
  key: string,
  highlights: Highlight[],
  counts: DeliveryCounts,
  opts: DeliverOptions,
): Promise<void> {
  try {
    await destination.send({ key, highlights });
  } catch (err) {
    if (!(err instanceof BatchRejectedError)) {
      await store.recordAttempt(
        highlights.map((h) => h.id),
        errorMessage(err),
      );
      throw err;
    }
    if (highlights.length === 1) {
      const only = highlights[0]!;
      await store.batchRefused(key, { id: only.id, version: only.version }, err.responseMessage || err.message);
      counts.refused += 1;
      opts.warn?.(`destination refused ${only.id}@${only.version.slice(0, 12)}: ${err.responseMessage || err.message}`);
      return;
    }
    const half = Math.ceil(highlights.length / 2);
    const parts = [highlights.slice(0, half), highlights.slice(half)];
    const keyed = parts.map((part) => ({ key: batchKey(part), highlights: part }));
    await store.splitBatch(key, keyed);
    for (const part of keyed) await sendBatch(store, destination, part.key, part.highlights, counts, opts);
    return;
  }
  await store.batchAccepted(
    key,
    highlights.map((h) => ({ id: h.id, version: h.version })),
  );
  counts.delivered += highlights.length;
  counts.batches += 1;
  opts.onBatch?.(counts);
}

export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
