// `front-import sync`: everything that changed since the stored cursor, for cron. The cursor only
// moves after a fully successful run, to the moment that run's fetch started minus an overlap.

import type { CommandContext } from '../../cli/context.js';
import { parseDuration, parseSince } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import { SYNC_CURSOR } from '../../store/keys.js';
import { runImportCommand } from '../import-command.js';
import type { StrategyMode } from '../../pipeline/strategy-choice.js';

const SYNC_CHECKPOINT = 'sync';

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
      check: async (store) => {
        const cursor = await store.getCursor(SYNC_CURSOR);
        if (opts.since !== undefined && cursor) {
          const at = new Date(cursor.value * 1000).toISOString();
          throw new UsageError(
            `sync --since ${opts.since}: refused, because a sync cursor exists (${at}) and sync continues from it; ` +
              `--since only sets where the first sync starts. To import from ${opts.since} again, run: front-import backfill --since ${opts.since}`,
          );
        }
      },
      request: async (store) => {
        const cursor = await store.getCursor(SYNC_CURSOR);
        return {
          checkpointKey: SYNC_CHECKPOINT,
          window: { since: cursor?.value ?? sinceFlag ?? initial, until: null },
          startedAt: now / 1000,
          dryRun: false,
          strategy: opts.strategy,
          followsCursor: cursor !== undefined,
        };
      },
      commit: (result) => ({
        cursors: [{ name: SYNC_CURSOR, value: result.fetchStartedAt - sync.overlapSeconds }],
        clearCheckpoints: [SYNC_CHECKPOINT],
      }),
    },
    ctx,
  );
}
