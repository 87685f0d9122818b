// A subscription's outbox refilled from the stored conversations (pipeline queueFromState), with the
// import pipeline loaded only when a refill happens: `status` imports the modules that call this
// (sync-start.ts, held-custom-fields.ts) for their cursor and meta names, and starts without it.

import type { queueFromState, SubscriptionTarget } from '../pipeline/index.js';
import type { ConversationStore, Deliveries } from '../store/roles.js';

/** Queues the target's Highlight of every stored conversation in its scope; returns how many became pending. */
export async function refillFromState(
  store: Pick<ConversationStore, 'storedConversations'> & Pick<Deliveries, 'outbox'>,
  target: SubscriptionTarget,
  opts: Parameters<typeof queueFromState>[3],
): Promise<number> {
  const { queueFromState } = await import('../pipeline/index.js');
  return queueFromState(store, store.outbox(target.key), target, opts);
}
