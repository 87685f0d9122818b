// `front-import retry-refused [--subscription S]`: sends again what a destination refused (a 4xx for
// that item), typically after the receiver was fixed. No Front request.

import type { CommandContext } from '../../context/index.js';
import { runRedelivery } from '../redeliver.js';

export interface RetryRefusedOptions {
  json: boolean;
}

export async function runRetryRefused(opts: RetryRefusedOptions, ctx: CommandContext): Promise<number> {
  return runRedelivery(
    {
      command: 'retry-refused',
      args: { subscriptions: ctx.config.subscriptions.map((s) => s.name) },
      json: opts.json,
      refill: async (store, _subscription, target) => ({ queued: await store.outbox(target.key).retryRefused(), sent: 0, error: null }),
      describe: (queued) => `${queued} refused Highlight(s) sent again`,
    },
    ctx,
  );
}
