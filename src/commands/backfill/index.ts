// `front-import backfill --since 7d`: every in-scope conversation with activity in a window.
// Re-running the same arguments after an interruption continues from the saved checkpoint.

import { createHash } from 'node:crypto';
import type { CommandContext } from '../../cli/context.js';
import { parseSince } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import { singleSubscription } from '../../config/subscriptions.js';
import { runImportCommand } from '../import-command.js';
import type { StrategyMode } from '../../pipeline/strategy-choice.js';
import { SYNC_CURSOR } from '../../store/keys.js';

export interface BackfillOptions {
  since?: string;
  until?: string;
  dryRun: boolean;
  limit?: number;
  strategy?: StrategyMode;
  json: boolean;
}

export async function runBackfill(opts: BackfillOptions, ctx: CommandContext): Promise<number> {
  if (opts.since === undefined) throw new UsageError('--since is required: how far back to import, e.g. --since 7d or --since 2026-01-31');
  const now = new Date(ctx.clock());
  const since = parseSince(opts.since, now, '--since');
  const until = opts.until ? parseSince(opts.until, now, '--until') : null;
  if (until && until <= since) {
    throw new UsageError(`--until (${until.toISOString()}) must be later than --since (${since.toISOString()})`);
  }
  if (since > now) throw new UsageError(`--since (${since.toISOString()}) is in the future`);
  const { scope } = singleSubscription(ctx.config.subscriptions);
  // The checkpoint is keyed by the arguments as typed, so "the same command again" resumes even
  // though a relative --since now resolves to a later instant.
  const args = { since: opts.since, until: opts.until ?? null, inboxes: scope.inboxes, tags: scope.tags, excludeTags: scope.excludeTags, statuses: scope.statuses, limit: opts.limit ?? null };
  const key = 'backfill:' + createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 16);
  return runImportCommand(
    {
      command: 'backfill',
      args,
      dryRun: opts.dryRun,
      json: opts.json,
      request: async () => ({
        checkpointKey: key,
        window: { since: since.getTime() / 1000, until: until ? until.getTime() / 1000 : null },
        startedAt: now.getTime() / 1000,
        dryRun: opts.dryRun,
        limit: opts.limit,
        strategy: opts.strategy,
      }),
      commit: (result) => ({
        clearCheckpoints: [key],
        // An open-ended backfill brings everything up to its start: let the first sync continue
        // from there instead of re-reading sync.initialWindow.
        cursors:
          result.window.until === null
            ? [{ name: SYNC_CURSOR, value: result.fetchStartedAt - ctx.config.sync.overlapSeconds, onlyIfUnset: true }]
            : [],
      }),
    },
    ctx,
  );
}
