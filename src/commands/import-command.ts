// What backfill and sync share around the pipeline: the lock, the runs table, the spinner, the
// summary (one line for cron, one object for --json) and the outcome -> error mapping.

import { FrontImportError, errorKind, errorObject, exitCodeFor, ExitCode } from '../errors.js';
import type { CommandContext } from '../cli/context.js';
import { createFrontApi } from '../front/api.js';
import type { FrontClient } from '../front/client.js';
import type { Checkpoints, Store } from '../store/roles.js';
import type { RunCommit } from '../store/types.js';
import type { Destination } from '../destinations/types.js';
import { PoisonedConversations } from '../pipeline/poisoned.js';
import { runImport, type ImportRequest, type ImportResult } from '../pipeline/import-run.js';
import { checkDestinationFirst, checkScopeNames, withInboxesOnce } from './preflight.js';
import { createProgressReporter } from './progress.js';
import { formatCostLine, formatSummaryLine } from './summary.js';
import { importSettingsFrom } from '../pipeline/prepare.js';
import { takeImportLock } from '../pipeline/store-locks.js';
import { saveRateLimit } from '../store/rate-limit-snapshot.js';
import { singleSubscription } from '../config/subscriptions.js';
import { errorMessage } from '../shared/error-message.js';
import { runOutcome } from '../shared/run-outcome.js';

export interface ImportCommandSpec {
  command: 'backfill' | 'sync';
  args: Record<string, unknown>;
  dryRun: boolean;
  json: boolean;
  /** Refuses, before the lock is taken, a request the stored state makes meaningless. */
  check?(store: Checkpoints): Promise<void>;
  /** Builds the request once the store is open (sync reads its cursor there). */
  request(store: Checkpoints): Promise<ImportRequest>;
  /** What a fully successful run changes, in one transaction: cursors moved, checkpoints cleared. */
  commit(result: ImportResult): RunCommit;
}

export async function runImportCommand(spec: ImportCommandSpec, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const configured = singleSubscription(config.subscriptions);
  const started = ctx.clock();
  if (!spec.dryRun) await checkDestinationFirst(configured.destination, io);
  const client: FrontClient = await ctx.frontClient();
  const api = withInboxesOnce(createFrontApi(client));
  let subscription = configured;
  const store: Store = spec.dryRun ? await openDryRunStore() : await ctx.openStore();
  try {
    await spec.check?.(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  let destination: Destination | null = null;
  let runId: number | null = null;
  let result: ImportResult | null = null;
  let failure: unknown = null;
  const progress = await io.progress(`${spec.command}: starting`);
  try {
    if (!spec.dryRun) {
      await takeImportLock(store, spec.command, (line) => io.warn(line));
    }
    // After the lock, so a second run exits 4 at once instead of waiting on Front first; before the
    // run is recorded, so a name Front does not have fails it without a failed run in `status`.
    subscription = await checkScopeNames(configured, api);
    if (!spec.dryRun) {
      await store.abandonOpenRuns();
      runId = await store.startRun(spec.command, spec.args);
      destination = await ctx.destination(subscription.destination);
    }
    const request = await spec.request(store);
    io.debug(`${spec.command}: window since ${iso(request.window.since)}${request.window.until ? ` until ${iso(request.window.until)}` : ''}`);
    result = await runImport(request, {
      command: spec.command,
      api,
      store,
      destination,
      settings: importSettingsFrom(subscription, config.highlights),
      signal: ctx.signal,
      clock: ctx.clock,
      frontTime: (localMs) => client.frontClock.frontTime(localMs),
      poisoned: new PoisonedConversations(store, ctx.clock),
      warn: (line) => io.warn(line),
      debug: (line) => io.debug(line),
      progress: createProgressReporter(spec.command, { spinner: progress, interactive: io.interactive, line: (text) => io.progressLine(text) }, ctx.clock, () => client.stats()),
    });
    if (result.deliveryError) throw result.deliveryError;
    if (!spec.dryRun && result.complete) await store.commitRun(spec.commit(result));
  } catch (err) {
    failure = ctx.signal.aborted ? ctx.signal.reason : err;
  } finally {
    progress.stop();
    const skew = clockSkewNote(client.frontClock.offsetMs(), config.sync.overlapSeconds);
    if (skew) io.warn(skew);
    if (!spec.dryRun) {
      try {
        await saveRateLimit(store, client.rateLimit());
        if (runId !== null) {
          await store.finishRun(runId, {
            outcome: runOutcome(failure, result?.complete),
            exitCode: failure ? exitCodeFor(failure) : ExitCode.ok,
            // Scrubbed like terminal output: the runs table is printed by `status` and kept on disk.
            error: failure ? io.redact(`${errorKind(failure)}: ${errorMessage(failure)}`) : null,
            counts: { ...(result?.counts ?? {}), pending: result?.pending ?? (await store.pendingCount()) },
            requests: { ...client.stats(), strategy: result?.strategy ?? null },
          });
        }
        await store.releaseLock('import');
      } finally {
        await store.close();
        await destination?.close();
      }
    } else {
      await store.close();
    }
  }

  const stats = client.stats();
  const elapsedMs = ctx.clock() - started;
  const firstDestination = subscription.destination;
  const destinationNote =
    firstDestination.type === 'ndjson' && firstDestination.isDefault ? ` (default destination ${firstDestination.path}; set --to or destination in config)` : '';
  if (spec.json) {
    io.result({
      command: spec.command,
      outcome: runOutcome(failure, result?.complete),
      exitCode: failure ? exitCodeFor(failure) : 0,
      error: failure ? errorObject(failure) : null,
      dryRun: spec.dryRun,
      strategy: result?.strategy ?? null,
      strategyReason: result?.strategyReason ?? null,
      strategyChoice: result?.plan ?? null,
      window: result ? { since: iso(result.window.since), until: result.window.until ? iso(result.window.until) : null } : null,
      resumed: result?.resumed ?? false,
      counts: result?.counts ?? null,
      pending: result?.pending ?? null,
      destination: destinationLabel(ctx),
      requests: stats,
      elapsedMs,
    });
  } else if (result) {
    io.info(formatSummaryLine(spec.command, spec.dryRun, result, stats, elapsedMs, destinationLabel(ctx)) + destinationNote);
    io.debug(`strategy ${result.strategy}: ${result.strategyReason}`);
    const cost = formatCostLine(result, stats);
    if (cost) io.debug(cost);
  }
  if (failure) {
    if (failure instanceof FrontImportError || failure instanceof Error) throw failure;
    throw new Error(String(failure));
  }
  return ExitCode.ok;
}

/**
 * Clocks further apart than the sync overlap are worth a line: the cursor follows Front's clock,
 * but `--since`, log times and a cursor from an older version of this tool use this machine's.
 */
export function clockSkewNote(offsetMs: number | null, overlapSeconds: number): string | null {
  if (offsetMs === null || Math.abs(offsetMs) <= overlapSeconds * 1000) return null;
  const minutes = (Math.abs(offsetMs) / 60_000).toFixed(1);
  return (
    `Front's clock is ${minutes} min ${offsetMs < 0 ? 'behind' : 'ahead of'} this machine's (by its Date headers), more than ` +
    `sync.overlapSeconds (${overlapSeconds} s): the sync cursor follows Front's clock; check this machine's time (NTP)`
  );
}

function destinationLabel(ctx: CommandContext): string {
  const d = singleSubscription(ctx.config.subscriptions).destination;
  if (d.type === 'http') {
    const u = new URL(d.url);
    return `${u.origin}${u.pathname}`;
  }
  return d.path === '-' ? 'stdout' : d.path;
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** --dry-run maps against an empty in-memory store: it writes nothing anywhere. */
async function openDryRunStore(): Promise<Store> {
  const { openStore } = await import('../store/sqlite/sqlite-store.js');
  return openStore(':memory:');
}
