// `front-import status`: what a person or a monitor needs to know about the state file, without a
// token and without touching Front. Thresholds (--max-lag, --max-pending, --max-refused) turn it
// into a check with its own exit code (8), and --prometheus writes the figures for node_exporter.

import type { CommandContext } from '../../context/index.js';
import { parseDuration } from '../../config/duration.js';
import { ConfigError, ExitCode } from '../../errors.js';
import { prometheusText, readMetrics } from '../../monitoring/metrics.js';
import { describeLocation, type StoreLocation } from '../../store/location.js';
import { HELD_BACK_META, type HeldMeta, POISONED_META_KEY, type PoisonedConversation, STATE_REDACTION_META, type StateRedactionRecord } from '../../store/keys.js';
import type { Store } from '../../store/roles.js';
import type { RunRecord } from '../../store/types.js';
import { formatDuration } from '../summary.js';
import { printSubscriptions, subscriptionReports } from './subscriptions.js';
import { syncCursors } from '../../runs/sync-cursors.js';
import { loadRateLimit } from '../../store/rate-limit-snapshot.js';
import { COMPANY_META_KEY, type CompanyRecord } from '../../runs/company-binding.js';
import { credentialLine } from '../../oauth/index.js';
import { credentialOf } from '../credential.js';

const STORE_KINDS: Record<StoreLocation['kind'], string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export interface StatusOptions {
  json: boolean;
  maxLag?: string;
  maxPending?: number;
  maxRefused?: number;
  /** node_exporter textfile collector file to (re)write. */
  prometheus?: string;
}

export interface ThresholdCheck {
  name: 'max-lag' | 'max-pending' | 'max-refused';
  limit: string;
  actual: string;
  exceeded: boolean;
}

export async function runStatus(opts: StatusOptions, ctx: CommandContext): Promise<number> {
  const maxLagMs = opts.maxLag ? parseDuration(opts.maxLag, '--max-lag') : null;
  const now = ctx.clock();
  // A state that does not exist yet (no SQLite file, no tables in PostgreSQL) is not created just to report on it.
  const store: Store | null = await ctx.openExistingStore();
  try {
    const report = await buildReport(ctx, store, now);
    const lastSyncAt = report.lastSuccessfulSync ? Date.parse(report.lastSuccessfulSync.endedAt ?? report.lastSuccessfulSync.startedAt) : null;
    const lagMs = lastSyncAt === null ? null : now - lastSyncAt;
    const checks = thresholdChecks(opts, maxLagMs, lagMs, report.totals);
    const stale = checks.some((c) => c.name === 'max-lag' && c.exceeded);
    if (opts.prometheus !== undefined) await writePrometheus(opts.prometheus, store, now, syncCursors(ctx.config.subscriptions));
    if (opts.json) {
      const document: StatusDocument = { ...report, lagMs, maxLagMs, stale, checks };
      ctx.io.result(document);
    } else {
      printReport(ctx, report, now);
      for (const c of checks) {
        const line = `${c.name}: ${c.actual} (limit ${c.limit})${c.exceeded ? ': EXCEEDED' : ': ok'}`;
        if (c.exceeded) ctx.io.error(line);
        else ctx.io.info(line);
      }
    }
    return checks.some((c) => c.exceeded) ? ExitCode.thresholdExceeded : ExitCode.ok;
  } finally {
    await store?.close();
  }
}

function thresholdChecks(
  opts: StatusOptions,
  maxLagMs: number | null,
  lagMs: number | null,
  totals: { pending: number; failed: number } | null,
): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  if (maxLagMs !== null && opts.maxLag !== undefined) {
    checks.push({
      name: 'max-lag',
      limit: opts.maxLag,
      actual: lagMs === null ? 'no successful sync yet' : `last successful sync ${formatDuration(lagMs)} ago`,
      exceeded: lagMs === null || lagMs > maxLagMs,
    });
  }
  const atMost = (name: 'max-pending' | 'max-refused', limit: number | undefined, actual: number, noun: string) => {
    if (limit !== undefined) checks.push({ name, limit: String(limit), actual: `${actual} ${noun}`, exceeded: actual > limit });
  };
  atMost('max-pending', opts.maxPending, totals?.pending ?? 0, 'pending');
  atMost('max-refused', opts.maxRefused, totals?.failed ?? 0, 'refused');
  return checks;
}

/** Without a state file there is nothing to report yet: the file says only that. */
async function writePrometheus(path: string, store: Store | null, now: number, cursorNames: string[]): Promise<void> {
  const text = store ? prometheusText(await readMetrics(store, now, cursorNames)) : '# front-import: no state file yet\n';
  // Imported here: it brings node:crypto, which a `status` without --prometheus never needs.
  const { replaceFile } = await import('../../fs/replace-file.js');
  try {
    await replaceFile(path, text, 0o644);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ConfigError(`--prometheus: cannot write ${path} (${typeof code === 'string' ? code : String(err)}); point it at a writable file in node_exporter's --collector.textfile.directory`);
  }
}

type Report = Awaited<ReturnType<typeof buildReport>>;

/**
 * With redaction on: whether the state was rewritten with these settings (runs/state-redaction.ts),
 * so a security review can see that nothing older is left in the clear.
 */
async function stateRedactionOf(ctx: CommandContext, record: StateRedactionRecord | undefined) {
  // Imported only with a state to compare: the digest brings node:crypto, a few ms of start-up.
  const { redactionFingerprint } = await import('../../redact/fingerprint.js');
  const { redact, pseudonymize } = ctx.config.highlights;
  const current = redactionFingerprint({ kinds: redact.kinds, patterns: redact.patterns, pseudonymize });
  if (current === null && !record?.fingerprint) return null;
  const redacted = current !== null && record?.fingerprint === current;
  const summary =
    current === null
      ? 'off (the state keeps what it was redacted with before, and what is stored from now on in the clear)'
      : redacted
        ? `on; the state was redacted with these settings at ${record.at}${record.scrubbed ? '' : ' (its free space not yet: the next run tries again)'}`
        : 'on; the state may still hold data stored before these settings: the next run (or `front-import state redact`) rewrites it';
  return { on: current !== null, redacted, scrubbed: redacted && record.scrubbed, at: record?.at ?? null, summary };
}

/** What `status --json` prints (as JSON: a Date field arrives as its ISO string). */
export type StatusDocument = Report & { lagMs: number | null; maxLagMs: number | null; stale: boolean; checks: ThresholdCheck[] };

async function buildReport(ctx: CommandContext, store: Store | null, now: number) {
  const subscriptions = store ? await subscriptionReports(store, ctx.config.subscriptions, now, !ctx.config.subscriptionsPicked) : [];
  // The configured subscription furthest behind is how far behind the state is (a stray destination no longer syncs).
  const cursors = subscriptions.flatMap((s) => (s.cursor !== null && s.lagMs !== null && s.name !== null ? [{ value: s.cursor, ageMs: s.lagMs, savedAt: s.cursorSavedAt }] : []));
  const cursor = cursors.sort((a, b) => (a.value < b.value ? -1 : 1))[0] ?? null;
  return {
    configFile: ctx.config.configPath,
    credential: await credentialOf(ctx),
    store: describeLocation(ctx.config.store),
    storeKind: ctx.config.store.kind,
    storeExists: store !== null,
    company: (store ? await store.getMeta<CompanyRecord>(COMPANY_META_KEY) : undefined) ?? null,
    cursor,
    subscriptions,
    runs: store ? markInterrupted(await store.lastRuns(10), await store.lockHolder('import')) : [],
    lastSuccessfulSync: (store ? await store.lastSuccessfulRun('sync') : undefined) ?? null,
    totals: store ? await store.totals() : null,
    rateLimit: (store ? await loadRateLimit(store) : undefined) ?? null,
    listener: store ? await store.listenerStats() : null,
    /** Conversations whose messages Front would not serve: skipped, and tried again by every run. */
    unreadable: (store ? await store.getMeta<PoisonedConversation[]>(POISONED_META_KEY) : undefined) ?? [],
    /** Per subscription: conversations held back while Front's custom field list was unreadable (403). */
    heldBack: (store ? await store.getMeta<HeldMeta>(HELD_BACK_META) : undefined) ?? {},
    /** Whether what the state holds was redacted with the configured settings (null: redaction off and never on). */
    stateRedaction: store ? await stateRedactionOf(ctx, await store.getMeta<StateRedactionRecord>(STATE_REDACTION_META)) : null,
  };
}

function printReport(ctx: CommandContext, r: Report, now: number): void {
  const { io } = ctx;
  const b = io.chalk.bold;
  io.info(`${b('config')}      ${r.configFile ?? 'none found (defaults and environment)'}`);
  io.info(`${b('store')}       ${r.store} (${STORE_KINDS[r.storeKind]})${r.storeExists ? '' : ' (not created yet: run backfill or sync)'}`);
  if (r.company) io.info(`${b('company')}     ${r.company.name} (${r.company.id} at ${r.company.frontUrl})`);
  io.info(`${b('cursor')}      ${r.cursor ? `${r.cursor.value} (${formatDuration(r.cursor.ageMs)} behind now)` : 'none (the first sync uses sync.initialWindow)'}`);
  if (r.totals) {
    const t = r.totals;
    io.info(`${b('highlights')}  ${t.conversations} imported, ${t.delivered} delivered, ${t.pending} pending, ${t.failed} refused`);
  }
  printSubscriptions(io, r.subscriptions);
  for (const line of heldBackStatus(r.heldBack)) io.warn(line);
  if (r.stateRedaction) io.info(`${b('redaction')}   ${r.stateRedaction.summary}`);
  if (r.unreadable.length > 0) {
    io.info(`${b('unreadable')}  ${r.unreadable.length} conversation(s) whose messages Front would not serve, tried again by every run:`);
    for (const p of r.unreadable) io.info(`  ${p.id} since ${p.firstSeen}, ${p.attempts} attempt(s), last ${p.lastTried}: ${p.error}`);
  }
  if (r.rateLimit) {
    const seen = formatDuration(now - r.rateLimit.observedAt);
    io.info(`${b('rate limit')}  Front reported ${r.rateLimit.remaining}/${r.rateLimit.limit} remaining (${seen} ago)`);
  }
  io.info(`${b('credential')}  ${credentialLine(r.credential)}`);
  if (r.credential.kind === 'oauth' && r.credential.warning) io.warn(r.credential.warning);
  if (r.listener && (r.listener.received > 0 || r.listener.rejected > 0)) {
    const l = r.listener;
    io.info(`${b('listener')}    ${l.received} received, ${l.rejected} rejected, ${l.queued} queued, ${l.processed} processed${l.lastReceivedAt ? `, last at ${l.lastReceivedAt}` : ''}`);
    if (l.lastRejectReason) io.info(`  last refusal: ${l.lastRejectReason}`);
  }
  if (r.runs.length === 0) {
    io.info(`${b('runs')}        none yet`);
    return;
  }
  io.info(b('recent runs'));
  for (const run of r.runs) io.info(`  ${formatRun(run)}`);
}

/**
 * A run left open by a process that died (kill -9, a crash) shows as interrupted now (the word the
 * next run records for it too), not "running" until the next run tidies it: only the holder of the
 * import lock can have a live run.
 */
function markInterrupted(runs: RunRecord[], holder: { running: boolean } | null): RunRecord[] {
  if (holder?.running) return runs;
  return runs.map((run) =>
    run.endedAt === null && run.outcome === null ? { ...run, outcome: 'interrupted', error: 'the process stopped without finishing (killed or crashed)' } : run,
  );
}

function formatRun(run: RunRecord): string {
  const took = run.endedAt ? formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)) : run.outcome === 'interrupted' ? 'did not finish' : 'running';
  const c = run.counts;
  const counts = c && typeof c.seen === 'number' ? ` · ${c.seen} seen, ${c.created ?? 0} created, ${c.updated ?? 0} updated, ${c.delivered ?? 0} delivered, ${c.pending ?? 0} pending` : '';
  const requests = typeof run.requests?.requests === 'number' ? ` · ${run.requests.requests} requests` : '';
  const error = run.error ? ` · ${run.error}` : '';
  return `${run.startedAt} ${run.command} ${run.outcome ?? 'running'} (${took})${counts}${requests}${error}`;
}

/** What `status` says about held conversations; [] when none are. */
function heldBackStatus(meta: HeldMeta | undefined): string[] {
  return Object.entries(meta ?? {}).map(
    ([name, r]) => `subscription "${name}": ${r.conversations} conversation(s) held back since ${r.firstAt}: its custom fields could not be evaluated (the token may not read Front's custom field list); the next run that can read it sends them`,
  );
}
