// Delivery to every subscription of a run, one destination after another. Each destination has its
// own outbox, so one that is down leaves the others delivered; the first failure is reported once
// all were tried, and its items stay pending for the next run.

import type { Destination } from '../../destinations/types.js';
import type { Deliveries, Locks } from '../../store/roles.js';
import { deliverPending, type DeliverOptions } from './deliver.js';

export interface DeliveryTarget {
  /** The subscription's name. */
  name: string;
  /** destinationKey: whose delivery state this is. */
  key: string;
  destination: Destination;
}

export interface TargetOutcome {
  name: string;
  key: string;
  delivered: number;
  refused: number;
  pending: number;
  error: unknown;
}

export interface DeliveryReport {
  targets: TargetOutcome[];
  delivered: number;
  refused: number;
  pending: number;
  /** The first destination failure (null when all went through); the others are in `targets`. */
  error: unknown;
}

export async function deliverAll(
  store: Pick<Deliveries, 'outbox'> & Locks,
  targets: readonly DeliveryTarget[],
  opts: Omit<DeliverOptions, 'onBatch'> & { onProgress?: (delivered: number) => void } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { targets: [], delivered: 0, refused: 0, pending: 0, error: null };
  for (const target of targets) {
    const outbox = store.outbox(target.key);
    const before = report.delivered;
    const counts = { delivered: 0, refused: 0, batches: 0 };
    let error: unknown = null;
    try {
      await deliverPending(outbox, store, target.destination, { ...opts, counts, onBatch: (c) => opts.onProgress?.(before + c.delivered) });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      error = err;
      report.error ??= err;
    }
    const outcome = { name: target.name, key: target.key, delivered: counts.delivered, refused: counts.refused, pending: await outbox.pendingCount(), error };
    report.targets.push(outcome);
    report.delivered += outcome.delivered;
    report.refused += outcome.refused;
    report.pending += outcome.pending;
  }
  return report;
}

/** Two deliveries of one run (the backlog's, then the new items'), per subscription. */
export function addOutcomes(before: readonly TargetOutcome[], after: readonly TargetOutcome[]): TargetOutcome[] {
  return after.map((a) => {
    const b = before.find((x) => x.key === a.key);
    return b ? { ...a, delivered: a.delivered + b.delivered, refused: a.refused + b.refused, error: a.error ?? b.error } : a;
  });
}

/** `report` with what each subscription had delivered before it (`earlier`) added in; the first failure of either. */
export function withEarlier(earlier: readonly TargetOutcome[], report: DeliveryReport): DeliveryReport {
  const targets = addOutcomes(earlier, report.targets);
  const sum = (count: (t: TargetOutcome) => number) => targets.reduce((n, t) => n + count(t), 0);
  return {
    targets,
    delivered: sum((t) => t.delivered),
    refused: sum((t) => t.refused),
    pending: report.pending,
    error: earlier.find((t) => t.error)?.error ?? report.error,
  };
}
