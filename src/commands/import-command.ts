// What backfill and sync share around the pipeline: the run's session (store, lock, company, runs
// table, destinations: runs/session.ts), the spinner, the commit of a complete run (cursors,
// coverage), and the summary (one line for cron, one object for --json).

import { createHash } from 'node:crypto';
import type { CommandContext } from '../context/index.js';
import { FrontImportError } from '../errors.js';
import { createFrontApi } from '../front/api.js';
import type { FrontClient } from '../front/client.js';
import { importSettingsFrom, PoisonedConversations, runImport, unionInboxes, type ImportRequest, type ImportResult, type SubscriptionTarget } from '../pipeline/index.js';
import { fetchCoverage, mergeCoverage, type Coverage } from '../runs/coverage.js';
import { checkAllScopeNames, checkDestinationFirst, withListsOnce } from '../runs/preflight.js';
import { RunSession } from '../runs/session.js';
import { errorMessage } from '../shared/error-message.js';
import { runExitCode, runHead } from '../shared/run-outcome.js';
import { COVERAGE_META } from '../store/keys.js';
import type { Store } from '../store/roles.js';
import type { RunCommit } from '../store/types.js';
import { createProgressReporter } from './progress.js';
import { teamNames } from '../front/teams.js';
import type { ImportSettings } from '../pipeline/index.js';
import { contractChangeNote, contractMeta } from './contract-change.js';
import { deliverySummary, formatCostLine, formatSummaryLine, skippedBy } from './summary.js';
import { itemAt } from '../shared/item-at.js';

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
  // A dry run delivers nowhere: there is no destination to check.
  if (!spec.dryRun) for (const s of config.subscriptions) await checkDestinationFirst(s.destination, io);
  const client: FrontClient = await ctx.frontClient();
  const api = withListsOnce(createFrontApi(client));
  // `team` names: the team directory is read once per run, when a conversation's inboxes are first known.
  const teams = teamNames(api, (line) => io.warn(line));
  let settings = importSettingsFrom(config.subscriptions, config.highlights, teams);
  const session = await RunSession.open(ctx, { command: spec.command, args: spec.args, dryRun: spec.dryRun });
  const { store } = session;
  try {
    await spec.check?.({ store, targets: settings.targets });
  } catch (err) {
    await session.end();
    throw err;
  }
  let result: ImportResult | null = null;
  let failure: unknown = null;
  const progress = await io.progress(`${spec.command}: starting`);
  try {
    await session.lock();
    // After the lock, so a second run exits 4 at once instead of waiting on Front first; before the
    // run is recorded, so a name Front does not have fails it without a failed run in `status`.
    const subscriptions = await checkAllScopeNames(config.subscriptions, api);
    settings = importSettingsFrom(subscriptions, config.highlights, teams);
    await session.begin({ subscriptions: config.subscriptions, record: true, whoami: () => api.me() });
    const targets = await session.openTargets(config.subscriptions);
    const contractNote = await contractChangeNote(store, settings.redactor);
    if (contractNote) io.info(contractNote);
    const request = await spec.request({ store, targets: settings.targets, info: (line) => io.info(line) });
    io.debug(`${spec.command}: window since ${iso(request.window.since)}${request.window.until ? ` until ${iso(request.window.until)}` : ''}`);
    result = await runImport(request, {
      command: spec.command,
      api,
      store,
      targets,
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
    if (result.complete) {
      const commit = spec.commit(result, settings.targets);
      const coverage = await coverageAfter(store, result, settings.targets, config.sync.overlapSeconds);
      await store.commitRun({ ...commit, meta: [...(commit.meta ?? []), ...coverage, contractMeta(settings.redactor)] });
    }
  } catch (err) {
    failure = ctx.signal.aborted ? ctx.signal.reason : err;
  } finally {
    progress.stop();
    const skew = clockSkewNote(client.frontClock.offsetMs(), config.sync.overlapSeconds);
    if (skew) io.warn(skew);
    await session.end({
      failure,
      complete: result?.complete,
      exitCode: runExitCode(failure, result?.counts.refused ?? 0),
      counts: { ...(result?.counts ?? {}), pending: result?.pending ?? 0 },
      requests: { ...client.stats(), strategy: result?.strategy ?? null },
      rateLimit: client.rateLimit(),
    });
  }

  const stats = client.stats();
  const elapsedMs = ctx.clock() - started;
  const defaults = config.subscriptions.flatMap((s) => (s.destination.type === 'ndjson' && s.destination.isDefault ? [s.destination.path] : []));
  const destinationNote = defaults.length > 0 ? ` (default destination ${defaults[0]}; set --to or destination in config)` : '';
  const head = runHead(failure, result?.complete, result?.counts.refused ?? 0);
  if (spec.json) {
    io.result({
      command: spec.command,
      ...head,
      dryRun: spec.dryRun,
      strategy: result?.strategy ?? null,
      strategyReason: result?.strategyReason ?? null,
      strategyChoice: result?.plan ?? null,
      window: result ? { since: iso(result.window.since), until: result.window.until ? iso(result.window.until) : null } : null,
      resumed: result?.resumed ?? false,
      counts: result?.counts ?? null,
      skippedBy: result ? skippedBy(result.counts) : null,
      pending: result?.pending ?? null,
      destination: settings.targets.length === 1 ? itemAt(settings.targets, 0).key : null,
      subscriptions: (result?.deliveries ?? []).map((d) => ({
        name: d.name,
        destination: d.key,
        delivered: d.delivered,
        refused: d.refused,
        pending: d.pending,
        error: d.error ? io.redact(errorMessage(d.error)) : null,
      })),
      requests: stats,
      // highlights.redact / pseudonymize: redactions by kind over this run's Highlights; null when off.
      redactions: settings.redactor?.active ? (settings.redactions?.totals() ?? null) : null,
      elapsedMs,
    });
  } else if (result) {
    const delivery = spec.dryRun ? 'dry run: nothing written or delivered' : deliverySummary(result.deliveries);
    io.info(formatSummaryLine(spec.command, result, stats, elapsedMs, delivery) + redactionNote(settings) + destinationNote);
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
  return head.exitCode;
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

/** An open-ended fetch extends what the stored conversations cover (runs/coverage.ts). */
async function coverageAfter(store: Store, result: ImportResult, targets: SubscriptionTarget[], overlapSeconds: number): Promise<{ key: string; value: Coverage }[]> {
  if (result.window.until !== null) return [];
  const all = unionInboxes(targets)?.length === 0;
  const next = fetchCoverage(result.lanes, all, result.window.since, result.fetchStartedAt - overlapSeconds);
  return [{ key: COVERAGE_META, value: mergeCoverage(await store.getMeta<Coverage>(COVERAGE_META), next) }];
}

/** "; redacted 3 email, 1 phone in 2 Highlights" when redaction is on. */
function redactionNote(settings: ImportSettings): string {
  if (!settings.redactor?.active || !settings.redactions) return '';
  const { highlights, byKind } = settings.redactions.totals();
  const kinds = Object.entries(byKind).map(([kind, n]) => `${n} ${kind}`);
  return `; redacted ${kinds.length ? kinds.join(', ') : 'nothing'} in ${highlights} Highlight${highlights === 1 ? '' : 's'}`;
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
