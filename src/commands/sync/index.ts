// `front-import sync`: everything that changed since each subscription's cursor, for cron, in one
// Front pass. The cursors only move after a fully successful run, to the moment that run's fetch
// started minus an overlap.

import { scopeRecords } from '../../runs/scope-change.js';
import type { CommandContext } from '../../context/index.js';
import { parseDuration, parseSince } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import type { StrategyMode } from '../../pipeline/index.js';
import { syncStart } from '../../runs/sync-start.js';
import { syncCursorFor } from '../../store/keys.js';
import { runImportCommand, runKey } from '../import-command.js';

export interface SyncOptions {
  since?: string;
  strategy?: StrategyMode;
  json: boolean;
}

export async function runSync(opts: SyncOptions, ctx: CommandContext): Promise<number> {
  const now = ctx.clock();
  const { sync } = ctx.config;
  const sinceFlag = opts.since ? parseSince(opts.since, new Date(now), '--since').getTime() / 1000 : null;
  const initial = (now - parseDuration(sync.initialWindow, 'sync.initialWindow')) / 1000;
  return runImportCommand(
    {
      command: 'sync',
      args: { since: opts.since ?? null },
      dryRun: false,
      json: opts.json,
      // --since sets where a subscription's first sync starts; with none new to the state it would be ignored.
      check: async ({ store, targets }) => {
        if (opts.since === undefined) return;
        const cursors = await Promise.all(targets.map((t) => store.getCursor(syncCursorFor(t.key))));
        const values = cursors.flatMap((c) => (c === undefined ? [] : [c.value]));
        if (values.length < cursors.length) return;
        const at = new Date(Math.min(...values) * 1000).toISOString();
        throw new UsageError(
          `sync --since ${opts.since}: refused, because a sync cursor exists (${at}) and sync continues from it; ` +
            `--since only sets where the first sync starts. To import from ${opts.since} again, run: front-import backfill --since ${opts.since}`,
        );
      },
      request: async (plan) => {
        const start = await syncStart({ ...plan, signal: ctx.signal, configured: ctx.config.subscriptions }, sinceFlag ?? initial);
        return {
          checkpointKey: runKey('sync', {}, plan.targets),
          window: { since: start.since, until: null },
          startedAt: now / 1000,
          strategy: opts.strategy,
          followsCursor: start.followsCursor,
        };
      },
      commit: (result, targets) => ({
        cursors: targets.map((t) => ({ name: syncCursorFor(t.key), value: result.fetchStartedAt - sync.overlapSeconds })),
        clearCheckpoints: [runKey('sync', {}, targets)],
        // Each cursor with the scope it was reached with, so a widened scope is noticed (scope-change.ts).
        meta: scopeRecords(targets, ctx.config.subscriptions),
      }),
    },
    ctx,
  );
}
