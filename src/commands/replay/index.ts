// `front-import replay [--to DEST] [--subscription S] [--since …]`: sends the stored Highlights (the
// current version of each, as the subscription labels it) again, with no Front request: for a new
// teamspace, a destination that lost data, or after a receiver fix.

import type { CommandContext } from '../../context/index.js';
import { parseSince } from '../../config/duration.js';
import { replayFromState, subscriptionTarget } from '../../pipeline/index.js';
import { redactorFor } from '../../redact/from-config.js';
import { runRedelivery } from '../redeliver.js';

export interface ReplayOptions {
  since?: string;
  json: boolean;
}

export async function runReplay(opts: ReplayOptions, ctx: CommandContext): Promise<number> {
  // What is replayed is redacted as the settings say now, whatever was stored before.
  const redactor = redactorFor(ctx.config.highlights);
  const since = opts.since ? parseSince(opts.since, new Date(ctx.clock()), '--since').getTime() / 1000 : null;
  return runRedelivery(
    {
      command: 'replay',
      args: { since: opts.since ?? null, subscriptions: ctx.config.subscriptions.map((s) => s.name) },
      json: opts.json,
      refill: (store, subscription, target) =>
        replayFromState(store, target, subscriptionTarget(subscription, redactor), { since, signal: ctx.signal, command: 'replay', warn: (line) => ctx.io.warn(line) }),
      describe: (queued) => `${queued} stored Highlight(s) replayed`,
    },
    ctx,
  );
}
