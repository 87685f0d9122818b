// `front-import status`: what a person or a monitor needs to know about the state file, without a
// token and without touching Front. `--max-lag` turns it into a freshness check (exit 1 when stale).

import { existsSync } from 'node:fs';
import type { CommandContext } from '../../cli/context.js';
import { parseDuration } from '../../config/duration.js';
import type { Store } from '../../store/roles.js';
import type { RunRecord } from '../../store/types.js';
import { formatDuration } from '../summary.js';
import { SYNC_CURSOR } from '../sync/index.js';

export interface StatusOptions {
  json: boolean;
  maxLag?: string;
}

export const STALE_EXIT_CODE = 1;

export async function runStatus(opts: StatusOptions, ctx: CommandContext): Promise<number> {
  const maxLagMs = opts.maxLag ? parseDuration(opts.maxLag, '--max-lag') : null;
  const path = ctx.config.store.path;
  const now = ctx.clock();
  const exists = existsSync(path);
  const store: Store | null = exists ? await ctx.openStore() : null;
  try {
    const report = await buildReport(ctx, store, now);
    const lastSyncAt = report.lastSuccessfulSync ? Date.parse(report.lastSuccessfulSync.endedAt ?? report.lastSuccessfulSync.startedAt) : null;
    const lagMs = lastSyncAt === null ? null : now - lastSyncAt;
    const stale = maxLagMs !== null && (lagMs === null || lagMs > maxLagMs);
    if (opts.json) {
      ctx.io.result({ ...report, lagMs, maxLagMs, stale });
    } else {
      printReport(ctx, report, now);
      if (maxLagMs !== null) {
        const what = lagMs === null ? 'no successful sync yet' : `last successful sync ${formatDuration(lagMs)} ago`;
        const line = `freshness: ${what} (max lag ${opts.maxLag})${stale ? ': STALE' : ': ok'}`;
        if (stale) ctx.io.error(line);
        else ctx.io.info(line);
      }
    }
    return stale ? STALE_EXIT_CODE : 0;
  } finally {
    await store?.close();
  }
}

async function buildReport(ctx: CommandContext, store: Store | null, now: number) {
  const cursor = await store?.getCursor(SYNC_CURSOR);
  return {
    configFile: ctx.config.configPath,
    store: ctx.config.store.path,
    storeExists: store !== null,
    cursor: cursor
      ? { value: new Date(cursor.value * 1000).toISOString(), ageMs: now - cursor.value * 1000, savedAt: cursor.updatedAt }
      : null,
    runs: (await store?.lastRuns(10)) ?? [],
    lastSuccessfulSync: (await store?.lastSuccessfulRun('sync')) ?? null,
    totals: (await store?.totals()) ?? null,
    rateLimit: (await store?.getMeta<{ limit: number; remaining: number; resetAt: number; observedAt: number }>('rateLimit')) ?? null,
    listener: (await store?.listenerStats()) ?? null,
  };
}

function printReport(ctx: CommandContext, r: Awaited<ReturnType<typeof buildReport>>, now: number): void {
  const { io } = ctx;
  const b = io.chalk.bold;
  io.info(`${b('config')}      ${r.configFile ?? 'none found (defaults and environment)'}`);
  io.info(`${b('store')}       ${r.store}${r.storeExists ? '' : ' (not created yet: run backfill or sync)'}`);
  io.info(`${b('cursor')}      ${r.cursor ? `${r.cursor.value} (${formatDuration(r.cursor.ageMs)} behind now)` : 'none (the first sync uses sync.initialWindow)'}`);
  if (r.totals) {
    const t = r.totals;
    io.info(`${b('highlights')}  ${t.conversations} imported, ${t.delivered} delivered, ${t.pending} pending, ${t.failed} failed`);
    for (const f of t.failures) io.info(`  failed ${f.id}@${f.version.slice(0, 12)} after ${f.attempts} attempt(s): ${f.error}`);
  }
  if (r.rateLimit) {
    const seen = formatDuration(now - r.rateLimit.observedAt);
    io.info(`${b('rate limit')}  Front reported ${r.rateLimit.remaining}/${r.rateLimit.limit} remaining (${seen} ago)`);
  }
  if (r.listener && (r.listener.received > 0 || r.listener.rejected > 0)) {
    const l = r.listener;
    io.info(`${b('listener')}    ${l.received} received, ${l.rejected} rejected, ${l.queued} queued, ${l.processed} processed${l.lastReceivedAt ? `, last at ${l.lastReceivedAt}` : ''}`);
  }
  if (r.runs.length === 0) {
    io.info(`${b('runs')}        none yet`);
    return;
  }
  io.info(b('recent runs'));
  for (const run of r.runs) io.info(`  ${formatRun(run)}`);
}

function formatRun(run: RunRecord): string {
  const took = run.endedAt ? formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)) : 'running';
  const c = run.counts;
  const counts = c && typeof c.seen === 'number' ? ` · ${c.seen} seen, ${c.created ?? 0} created, ${c.updated ?? 0} updated, ${c.delivered ?? 0} delivered, ${c.pending ?? 0} pending` : '';
  const requests = typeof run.requests?.requests === 'number' ? ` · ${run.requests.requests} requests` : '';
  const error = run.error ? ` · ${run.error}` : '';
  return `${run.startedAt} ${run.command} ${run.outcome ?? 'running'} (${took})${counts}${requests}${error}`;
}
