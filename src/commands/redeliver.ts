// What replay and retry-refused share: no Front request at all. Each picked subscription's outbox
// is refilled from the state (how: the command's `refill`), then delivered like any run, under the
// import lock and recorded in the runs table. Exit 7 when a destination refused items again.

import type { CommandContext } from '../context/index.js';
import type { Subscription } from '../config/types.js';
import { destinationKey } from '../destinations/identity.js';
import { ConfigError, ExitCode, errorKind, exitCodeFor } from '../errors.js';
import { describeLocation } from '../store/location.js';
import { stateExists } from '../store/open-store.js';
import { errorMessage } from '../shared/error-message.js';
import { runOutcome } from '../shared/run-outcome.js';
import { deliverAll, type DeliveryReport } from '../pipeline/deliver-all.js';
import { takeImportLock } from '../pipeline/store-locks.js';
import type { Store } from '../store/roles.js';
import { openTargets } from './delivery-targets.js';
import { claimLegacyState } from './legacy-state.js';
import { deliverySummary } from './summary.js';

export interface RedeliverySpec {
  command: 'replay' | 'retry-refused';
  args: Record<string, unknown>;
  json: boolean;
  /** Queues what the subscription should get again; returns how many items. */
  refill(store: Store, subscription: Subscription, key: string): Promise<number>;
  /** "47 stored Highlights queued" and the like. */
  describe(queued: number): string;
}

export async function runRedelivery(spec: RedeliverySpec, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  if (!(await stateExists(config.store))) {
    throw new ConfigError(`no state at ${describeLocation(config.store)}: nothing stored to send (run backfill or sync first, or pass --state)`);
  }
  const store = await ctx.openStore();
  let runId: number | null = null;
  let queued = 0;
  let report: DeliveryReport | null = null;
  let failure: unknown = null;
  try {
    await takeImportLock(store, spec.command, (line) => io.warn(line));
    try {
      runId = await store.startRun(spec.command, spec.args);
      await claimLegacyState(store, config.subscriptions, (line) => io.info(line));
      for (const s of config.subscriptions) queued += await spec.refill(store, s, destinationKey(s.destination));
      const destinations = await openTargets(ctx, config.subscriptions);
      try {
        report = await deliverAll(store, destinations.targets, { command: spec.command, signal: ctx.signal, warn: (line) => io.warn(line) });
      } finally {
        await destinations.close();
      }
      if (report.error) throw report.error;
    } catch (err) {
      failure = ctx.signal.aborted ? ctx.signal.reason : err;
    } finally {
      const exitCode = failure ? exitCodeFor(failure) : exitCodeOf(report);
      if (runId !== null) {
        await store.finishRun(runId, {
          outcome: runOutcome(failure, true),
          exitCode,
          // Scrubbed like terminal output: the runs table is printed by `status` and kept on disk.
          error: failure ? io.redact(`${errorKind(failure)}: ${errorMessage(failure)}`) : null,
          counts: { queued, delivered: report?.delivered ?? 0, refused: report?.refused ?? 0, pending: report?.pending ?? 0 },
          requests: { requests: 0 },
        });
      }
      await store.releaseLock('import');
    }
  } finally {
    await store.close();
  }
  if (spec.json) {
    io.result({
      command: spec.command,
      outcome: runOutcome(failure, true),
      exitCode: failure ? exitCodeFor(failure) : exitCodeOf(report),
      queued,
      delivered: report?.delivered ?? 0,
      refused: report?.refused ?? 0,
      subscriptions: (report?.targets ?? []).map((t) => ({ name: t.name, destination: t.key, delivered: t.delivered, refused: t.refused, pending: t.pending })),
      frontRequests: 0,
    });
  } else if (report) {
    io.info(`${spec.command}: ${spec.describe(queued)}; ${deliverySummary(report.targets)}; 0 Front requests`);
  }
  if (failure) throw failure;
  return exitCodeOf(report);
}

function exitCodeOf(report: DeliveryReport | null): number {
  return report && report.refused > 0 ? ExitCode.refused : ExitCode.ok;
}
