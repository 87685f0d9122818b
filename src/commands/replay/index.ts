// `front-import replay [--to DEST] [--subscription S] [--since …]`: sends the stored Highlights (the
// current version of each, as the subscription labels it) again, with no Front request: for a new
// teamspace, a destination that lost data, or after a receiver fix.

import type { CommandContext } from '../../context/index.js';
import { parseSince } from '../../config/duration.js';
import { queueFromState } from '../../pipeline/from-state.js';
import { subscriptionTarget } from '../../pipeline/prepare.js';
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
      refill: (store, subscription, key) => queueFromState(store, store.outbox(key), subscriptionTarget(subscription), { since, resend: true, signal: ctx.signal }),
      describe: (queued) => `${queued} stored Highlight(s) queued again`,
    },
    ctx,
  );
}
