// `front-import backfill --since 7d`: every in-scope conversation with activity in a window.
// Re-running the same arguments after an interruption continues from the saved checkpoint.

import type { CommandContext } from '../../context/index.js';
import { parseSince } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import type { StrategyMode } from '../../pipeline/strategy-choice.js';
import { syncCursorFor } from '../../store/keys.js';
import { runImportCommand, runKey } from '../import-command.js';

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
  // The checkpoint is keyed by the arguments as typed (and the subscriptions), so "the same command
  // again" resumes even though a relative --since now resolves to a later instant.
  const args = { since: opts.since, until: opts.until ?? null, subscriptions: ctx.config.subscriptions.map((s) => s.name), limit: opts.limit ?? null };
  return runImportCommand(
    {
      command: 'backfill',
      args,
      dryRun: opts.dryRun,
      json: opts.json,
      request: async (plan) => ({
        checkpointKey: runKey('backfill', args, plan.targets),
        window: { since: since.getTime() / 1000, until: until ? until.getTime() / 1000 : null },
        startedAt: now.getTime() / 1000,
        dryRun: opts.dryRun,
        limit: opts.limit,
        strategy: opts.strategy,
      }),
      commit: (result, targets) => ({
        clearCheckpoints: [runKey('backfill', args, targets)],
        // An open-ended backfill brings everything up to its start: let each subscription's first
        // sync continue from there instead of re-reading sync.initialWindow.
        cursors:
          result.window.until === null
            ? targets.map((t) => ({ name: syncCursorFor(t.key), value: result.fetchStartedAt - ctx.config.sync.overlapSeconds, onlyIfUnset: true }))
            : [],
      }),
    },
    ctx,
  );
}
