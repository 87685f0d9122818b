// One destination's outbox -> that destination. A batch a receiver dedupes by key is written to the
// store before it is sent, so a crash re-sends the very same batch (same Idempotency-Key); a file's
// readers dedupe by item, so its batches are simply cut again. Items are marked delivered only after
// the destination accepted them. A permanently refused batch is split in halves until the bad item
// is isolated, unless every part of it is refused the same way: then the endpoint refuses
// (refusal-probe.ts). Each batch is cut, sent and settled under the delivery lock, so two processes
// on one state (a sync and a listener) take turns batch by batch and never send the same items.

import { BatchRejectedError, batchKey, type Destination } from '../../destinations/types.js';
import type { Highlight } from '../../highlight/types.js';
import type { Locks, Outbox } from '../../store/roles.js';
import { errorMessage } from '../../shared/error-message.js';
import { DestinationError } from '../../errors.js';
import { mayBeEndpoint, probeRefusal, type Part } from './refusal-probe.js';
import { underDeliveryLock, type DeliveryLockOptions } from './store-locks.js';
import { itemAt } from '../../shared/item-at.js';

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
  // A crash before the settle re-sends these items: as this very batch where a receiver dedupes
  // by key, re-cut where it dedupes by item (a file: see Destination.keyedBatches).
  if (destination.keyedBatches) await store.saveBatch({ key, highlights });
  await sendBatch(store, destination, key, highlights, counts, opts);
  return true;
}

/**
 * Sends one batch and settles it. A refused batch of several items is first probed (see
 * refusal-probe.ts): refused the same way in every part, it is the endpoint (DestinationError, the
 * items pending); otherwise the refused parts are split down to the item at fault.
 */
async function sendBatch(
  store: Outbox,
  destination: Destination,
  key: string,
  highlights: Highlight[],
  counts: DeliveryCounts,
  opts: DeliverOptions,
  probe = true,
): Promise<void> {
  const refusal = await sendPart(store, destination, { key, highlights }, counts, opts);
  if (refusal === null) return;
  const batch = { key, highlights };
  if (!probe || !mayBeEndpoint(batch, refusal)) return isolateRefused(store, destination, batch, refusal, counts, opts);
  const result = await probeRefusal(batch, refusal, {
    send: (part) => sendPart(store, destination, part, counts, opts),
    split: (splitKey, parts) => store.splitBatch(splitKey, parts),
    release: async (keys) => {
      for (const open of keys) await store.splitBatch(open, []);
    },
    halves,
  });
  if (result.endpoint) {
    const why = `${refusal.status}: ${refusal.responseMessage || 'no message'}`;
    await store.recordAttempt(highlights.map((h) => h.id), why);
    throw new DestinationError(
      `${refusal.where} refused every part of a batch of ${highlights.length} the same way (${why}): it refuses the endpoint, not the items; ` +
        'check the destination URL, the API version it expects and the token; the items stay pending',
    );
  }
  for (const { part, refusal: partRefusal } of result.parts) {
    if (partRefusal) await isolateRefused(store, destination, part, partRefusal, counts, opts);
    else await sendBatch(store, destination, part.key, part.highlights, counts, opts, false);
  }
}

/** Sends a part; null when it was accepted (and settled), else its refusal. Other failures are recorded and thrown. */
async function sendPart(store: Outbox, destination: Destination, part: Part, counts: DeliveryCounts, opts: DeliverOptions): Promise<BatchRejectedError | null> {
  try {
    await destination.send(part);
  } catch (err) {
    if (err instanceof BatchRejectedError) return err;
    await store.recordAttempt(
      part.highlights.map((h) => h.id),
      errorMessage(err),
    );
    throw err;
  }
  await store.batchAccepted(
    part.key,
    part.highlights.map((h) => ({ id: h.id, version: h.version })),
  );
  counts.delivered += part.highlights.length;
  counts.batches += 1;
  opts.onBatch?.(counts);
  return null;
}

/** A refused part: its only item is refused for good; a larger one is split in halves, each sent, until the item at fault is alone. */
async function isolateRefused(store: Outbox, destination: Destination, part: Part, err: BatchRejectedError, counts: DeliveryCounts, opts: DeliverOptions): Promise<void> {
  if (part.highlights.length === 1) {
    const only = itemAt(part.highlights, 0);
    await store.batchRefused(part.key, { id: only.id, version: only.version }, err.responseMessage || err.message);
    counts.refused += 1;
    opts.warn?.(`destination refused ${only.id}@${only.version.slice(0, 12)}: ${err.responseMessage || err.message}`);
    return;
  }
  const keyed = halves(part);
  await store.splitBatch(part.key, keyed);
  for (const half of keyed) await sendBatch(store, destination, half.key, half.highlights, counts, opts, false);
}

function halves(part: Part): [Part, Part] {
  const half = Math.ceil(part.highlights.length / 2);
  const [a, b] = [part.highlights.slice(0, half), part.highlights.slice(half)];
  return [
    { key: batchKey(a), highlights: a },
    { key: batchKey(b), highlights: b },
  ];
}

export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
