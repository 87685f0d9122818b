// Delivery inside an import run: the outbox sent with progress per batch and the counts folded into
// the run's. A delivery failure is returned, not thrown, so the run still fetches and stores what
// Front has (it stays pending); only an abort stops the run here.

import { deliverPending } from './deliver.js';
import type { ImportCounts, ImportDeps, ImportProgress } from './import-run.js';

export async function deliverInRun(
  phase: ImportProgress['phase'],
  deps: Pick<ImportDeps, 'command' | 'store' | 'destination' | 'signal' | 'warn' | 'progress'>,
  counts: ImportCounts,
): Promise<unknown> {
  if (!deps.destination) return null;
  // The backlog phase is shown only once something of it is delivered: usually there is none.
  if (phase !== 'delivering backlog') deps.progress({ phase, fraction: 1, counts });
  try {
    const done = await deliverPending(deps.store, deps.destination, {
      command: deps.command,
      signal: deps.signal,
      warn: deps.warn,
      onBatch: (c) => deps.progress({ phase, fraction: 1, counts: { ...counts, delivered: counts.delivered + c.delivered } }),
    });
    counts.delivered += done.delivered;
    counts.failed += done.failed;
    return null;
  } catch (err) {
    if (deps.signal.aborted) throw deps.signal.reason;
    return err;
  }
}
