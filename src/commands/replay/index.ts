// `front-import replay [--to DEST] [--subscription S] [--since …]`: sends the stored Highlights (the
// current version of each, as the subscription labels it) again, with no Front request: for a new
// teamspace, a destination that lost data, or after a receiver fix.

import type { CommandContext } from '../../context/index.js';
import { parseSince } from '../../config/duration.js';
import { conversionRules, replayFromState, rulesOf, subscriptionTarget, workerConverter } from '../../pipeline/index.js';
import { runRedelivery } from '../redeliver.js';

export interface ReplayOptions {
  since?: string;
  json: boolean;
}

export async function runReplay(opts: ReplayOptions, ctx: CommandContext): Promise<number> {
  const since = opts.since ? parseSince(opts.since, new Date(ctx.clock()), '--since').getTime() / 1000 : null;
  return runRedelivery(
    {
      command: 'replay',
      args: { since: opts.since ?? null, subscriptions: ctx.config.subscriptions.map((s) => s.name) },
      json: opts.json,
      refill: async (store, subscription, target) => {
        // What is replayed is redacted as the settings say now, whatever was stored before. A file's
        // lines are made in worker threads (convert-workers.ts) from these very rules; nothing of
        // theirs starts for a replay of one page or to a receiver.
        const data = conversionRules(subscriptionTarget(subscription), ctx.config.highlights);
        // Built once here (the redaction with its key and patterns), for this thread's share of the pages too.
        const rules = rulesOf(data);
        const converter = workerConverter(data, { rules, debug: (line) => ctx.io.debug(line) });
        try {
          const opts = { since, signal: ctx.signal, command: 'replay', warn: (line: string) => ctx.io.warn(line), converter };
          return await replayFromState(store, target, rules, opts);
        } finally {
          await converter.close();
        }
      },
      describe: (queued) => `${queued} stored Highlight(s) replayed`,
    },
    ctx,
  );
}
