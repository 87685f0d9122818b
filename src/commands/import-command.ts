// What backfill and sync share around the pipeline: the company binding, the lock, the runs table,
// the spinner, the summary (one line for cron, one object for --json) and the outcome -> exit code.

import { createHash } from 'node:crypto';
import { FrontImportError, errorKind, errorObject, exitCodeFor, ExitCode } from '../errors.js';
import type { CommandContext } from '../context/index.js';
import { createFrontApi } from '../front/api.js';
import type { FrontClient } from '../front/client.js';
import type { Store } from '../store/roles.js';
import type { RunCommit } from '../store/types.js';
import { COVERAGE_META } from '../store/keys.js';
import { bindCompany } from '../pipeline/company-binding.js';
import { fetchCoverage, mergeCoverage, type Coverage } from '../pipeline/coverage.js';
import { PoisonedConversations } from '../pipeline/poisoned.js';
import { runImport, type ImportRequest, type ImportResult } from '../pipeline/import-run.js';
import { importSettingsFrom, type SubscriptionTarget } from '../pipeline/prepare.js';
import { unionInboxes } from '../pipeline/scope.js';
import { takeImportLock } from '../pipeline/store-locks.js';
import { saveRateLimit } from '../store/rate-limit-snapshot.js';
import { errorMessage } from '../shared/error-message.js';
import { runOutcome } from '../shared/run-outcome.js';
import { openTargets, type OpenTargets } from './delivery-targets.js';
import { claimLegacyState } from './legacy-state.js';
import { checkAllScopeNames, checkDestinationFirst, withListsOnce } from './preflight.js';
import { createProgressReporter } from './progress.js';
import { deliverySummary, formatCostLine, formatSummaryLine } from './summary.js';

/** What a run's plan may read and say before it fetches. */
export interface PlanContext {
  store: Store;
  targets: SubscriptionTarget[];
  info(line: string): void;
}

export interface ImportCommandSpec {
  command: 'backfill' | 'sync';
  args: Record<string, unknown>;
  dryRun: boolean;
  json: boolean;
  /** Refuses, before the lock is taken, a request the stored state makes meaningless. */
  check?(plan: Omit<PlanContext, 'info'>): Promise<void>;
  /** Builds the request once the store is open (sync reads the subscriptions' cursors there). */
  request(plan: PlanContext): Promise<ImportRequest>;
  /** What a fully successful run changes, in one transaction: cursors moved, checkpoints cleared. */
  commit(result: ImportResult, targets: SubscriptionTarget[]): RunCommit;
}

/**
 * A run's checkpoint key: the command, its arguments and what each subscription takes and where it
 * goes. A run with other subscriptions (another --to) is another fetch, never the resumption of one
 * whose pages those subscriptions did not get.
 */
export function runKey(command: string, args: Record<string, unknown>, targets: readonly SubscriptionTarget[]): string {
  const what = targets.map((t) => [t.key, t.scope, t.labelRules]);
  return `${command}:${createHash('sha256').update(JSON.stringify([args, what])).digest('hex').slice(0, 16)}`;
}

export async function runImportCommand(spec: ImportCommandSpec, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const started = ctx.clock();
  if (!spec.dryRun) for (const s of config.subscriptions) await checkDestinationFirst(s.destination, io);
  const client: FrontClient = await ctx.frontClient();
  const api = withListsOnce(createFrontApi(client));
  let settings = importSettingsFrom(config.subscriptions, config.highlights);
  const store: Store = spec.dryRun ? await openDryRunStore() : await ctx.openStore();
  try {
    await spec.check?.({ store, targets: settings.targets });
  } catch (err) {
    await store.close();
    throw err;
  }
  let destinations: OpenTargets | null = null;
  let runId: number | null = null;
  let result: ImportResult | null = null;
  let failure: unknown = null;
  const progress = await io.progress(`${spec.command}: starting`);
  try {
    if (!spec.dryRun) await takeImportLock(store, spec.command, (line) => io.warn(line));
    // After the lock, so a second run exits 4 at once instead of waiting on Front first; before the
    // run is recorded, so a name Front does not have fails it without a failed run in `status`.
    settings = importSettingsFrom(await checkAllScopeNames(config.subscriptions, api), config.highlights);
    if (!spec.dryRun) {
      // Before the run is recorded: a state of another company is refused untouched (the lock is
      // released on the way out). A /me that fails (token, network) is a failed run like any other.
      const me = await api.me().then((identity) => ({ identity }), (err: unknown) => ({ err }));
      if ('identity' in me) await bindCompany(store, me.identity, config.front.url, store.location, () => new Date(ctx.clock()).toISOString());
      await store.abandonOpenRuns();
      runId = await store.startRun(spec.command, spec.args);
      if ('err' in me) throw me.err;
      await claimLegacyState(store, config.subscriptions, (line) => io.info(line));
      destinations = await openTargets(ctx, config.subscriptions);
    }
    const request = await spec.request({ store, targets: settings.targets, info: (line) => io.info(line) });
    io.debug(`${spec.command}: window since ${iso(request.window.since)}${request.window.until ? ` until ${iso(request.window.until)}` : ''}`);
    result = await runImport(request, {
      command: spec.command,
      api,
      store,
      targets: destinations?.targets ?? [],
      settings,
      signal: ctx.signal,
      clock: ctx.clock,
      frontTime: (localMs) => client.frontClock.frontTime(localMs),
      poisoned: new PoisonedConversations(store, ctx.clock),
      warn: (line) => io.warn(line),
      debug: (line) => io.debug(line),
      progress: createProgressReporter(spec.command, { spinner: progress, interactive: io.interactive, line: (text) => io.progressLine(text) }, ctx.clock, () => client.stats()),
    });
    if (result.deliveryError) throw result.deliveryError;
    if (!spec.dryRun && result.complete) {
      const commit = spec.commit(result, settings.targets);
      const coverage = await coverageAfter(store, result, settings.targets, config.sync.overlapSeconds);
      await store.commitRun({ ...commit, meta: [...(commit.meta ?? []), ...coverage] });
    }
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
            exitCode: failure ? exitCodeFor(failure) : exitCodeOf(result),
            // Scrubbed like terminal output: the runs table is printed by `status` and kept on disk.
            error: failure ? io.redact(`${errorKind(failure)}: ${errorMessage(failure)}`) : null,
            counts: { ...(result?.counts ?? {}), pending: result?.pending ?? 0 },
            requests: { ...client.stats(), strategy: result?.strategy ?? null },
          });
        }
        await store.releaseLock('import');
      } finally {
        await store.close();
        await destinations?.close();
      }
    } else {
      await store.close();
    }
  }

  const stats = client.stats();
  const elapsedMs = ctx.clock() - started;
  const defaults = config.subscriptions.flatMap((s) => (s.destination.type === 'ndjson' && s.destination.isDefault ? [s.destination.path] : []));
  const destinationNote = defaults.length > 0 ? ` (default destination ${defaults[0]}; set --to or destination in config)` : '';
  const exitCode = failure ? exitCodeFor(failure) : exitCodeOf(result);
  if (spec.json) {
    io.result({
      command: spec.command,
      outcome: runOutcome(failure, result?.complete),
      exitCode,
      error: failure ? errorObject(failure) : null,
      dryRun: spec.dryRun,
      strategy: result?.strategy ?? null,
      strategyReason: result?.strategyReason ?? null,
      strategyChoice: result?.plan ?? null,
      window: result ? { since: iso(result.window.since), until: result.window.until ? iso(result.window.until) : null } : null,
      resumed: result?.resumed ?? false,
      counts: result?.counts ?? null,
      pending: result?.pending ?? null,
      destination: settings.targets.length === 1 ? settings.targets[0]!.key : null,
      subscriptions: (result?.deliveries ?? []).map((d) => ({
        name: d.name,
        destination: d.key,
        delivered: d.delivered,
        refused: d.refused,
        pending: d.pending,
        error: d.error ? io.redact(errorMessage(d.error)) : null,
      })),
      requests: stats,
      elapsedMs,
    });
  } else if (result) {
    const delivery = spec.dryRun ? 'dry run: nothing written or delivered' : deliverySummary(result.deliveries);
    io.info(formatSummaryLine(spec.command, result, stats, elapsedMs, delivery) + destinationNote);
    io.debug(`strategy ${result.strategy}: ${result.strategyReason}`);
    const cost = formatCostLine(result, stats);
    if (cost) io.debug(cost);
    if (result.counts.refused > 0) {
      io.warn(`${result.counts.refused} Highlight(s) refused by the destination: \`front-import status\` lists them, \`front-import retry-refused\` sends them again`);
    }
  }
  if (failure) {
    if (failure instanceof FrontImportError || failure instanceof Error) throw failure;
    throw new Error(String(failure));
  }
  return exitCode;
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

/** 7 when a destination refused some items this run; the rest went through. */
function exitCodeOf(result: ImportResult | null): number {
  return result && result.counts.refused > 0 ? ExitCode.refused : ExitCode.ok;
}

/** An open-ended fetch extends what the stored conversations cover (pipeline/coverage.ts). */
async function coverageAfter(store: Store, result: ImportResult, targets: SubscriptionTarget[], overlapSeconds: number): Promise<{ key: string; value: Coverage }[]> {
  if (result.window.until !== null) return [];
  const all = unionInboxes(targets)?.length === 0;
  const next = fetchCoverage(result.lanes, all, result.window.since, result.fetchStartedAt - overlapSeconds);
  return [{ key: COVERAGE_META, value: mergeCoverage(await store.getMeta<Coverage>(COVERAGE_META), next) }];
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** --dry-run maps against an empty in-memory store: it writes nothing anywhere. */
async function openDryRunStore(): Promise<Store> {
  const { openStore } = await import('../store/sqlite/sqlite-store.js');
  return openStore(':memory:');
}
