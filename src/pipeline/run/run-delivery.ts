// Delivery inside an import run: every subscription's outbox sent with progress per batch and the
// counts reported to the run's tally. A delivery failure is returned in the report, not thrown, so
// the run still fetches and stores what Front has (it stays pending); only an abort stops the run here.

import type { Deliveries } from '../../store/roles.js';
import { deliverAll, type DeliveryReport, type TargetOutcome } from '../deliver/deliver-all.js';
import type { RunTally } from './run-tally.js';
import type { ImportDeps, ImportProgress } from './types.js';

export async function deliverInRun(
  phase: ImportProgress['phase'],
  deps: Pick<ImportDeps, 'command' | 'store' | 'targets' | 'signal' | 'warn' | 'progress'>,
  tally: RunTally,
): Promise<DeliveryReport> {
  if (deps.targets.length === 0) return { targets: [], delivered: 0, refused: 0, pending: 0, error: null };
  const { counts } = tally;
  // The backlog phase is shown only once something of it is delivered: usually there is none.
  if (phase !== 'delivering backlog') deps.progress({ phase, fraction: 1, counts });
  const report = await deliverAll(deps.store, deps.targets, {
    command: deps.command,
    signal: deps.signal,
    warn: deps.warn,
    onProgress: (delivered) => deps.progress({ phase, fraction: 1, counts: { ...counts, delivered: counts.delivered + delivered } }),
  });
  tally.delivery(report);
  return report;
}

/** After a failed backlog the run sends nothing more: each target's pending count as it is now, new items included. */
export async function pendingNow(store: Pick<Deliveries, 'outbox'>, outcomes: readonly TargetOutcome[]): Promise<TargetOutcome[]> {
  return Promise.all(outcomes.map(async (o) => ({ ...o, pending: await store.outbox(o.key).pendingCount() })));
}
