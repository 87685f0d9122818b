// `front-import sync`: everything that changed since each subscription's cursor, for cron, in one
// Front pass. The cursors only move after a fully successful run, to the moment that run's fetch
// started minus an overlap.

import type { CommandContext } from '../../context/index.js';
import { parseDuration, parseSince } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import type { StrategyMode } from '../../pipeline/strategy-choice.js';
import { syncStart } from '../../pipeline/sync-start.js';
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
        if (cursors.some((c) => c === undefined)) return;
        const at = new Date(Math.min(...cursors.map((c) => c!.value)) * 1000).toISOString();
        throw new UsageError(
          `sync --since ${opts.since}: refused, because a sync cursor exists (${at}) and sync continues from it; ` +
            `--since only sets where the first sync starts. To import from ${opts.since} again, run: front-import backfill --since ${opts.since}`,
        );
      },
      request: async (plan) => {
        const start = await syncStart({ ...plan, signal: ctx.signal }, sinceFlag ?? initial);
        return {
          checkpointKey: runKey('sync', {}, plan.targets),
          window: { since: start.since, until: null },
          startedAt: now / 1000,
          dryRun: false,
          strategy: opts.strategy,
          followsCursor: start.followsCursor,
        };
      },
      commit: (result, targets) => ({
        cursors: targets.map((t) => ({ name: syncCursorFor(t.key), value: result.fetchStartedAt - sync.overlapSeconds })),
        clearCheckpoints: [runKey('sync', {}, targets)],
      }),
    },
    ctx,
  );
}
