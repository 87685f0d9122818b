// A state file written before delivery state was kept per destination holds one destination's
// deliveries and sync cursor without saying which destination. The first subscription that runs
// (the implicit one when there is one: the config that wrote the file) takes them over, so nothing
// is sent again to the destination that already has it.

import type { Subscription } from '../config/types.js';
import { destinationKey } from '../config/destination-key.js';
import type { Deliveries } from '../store/roles.js';
import { syncCursorFor } from '../store/keys.js';

export async function claimLegacyState(store: Pick<Deliveries, 'claimLegacyDeliveries'>, subscriptions: readonly Subscription[], info: (line: string) => void): Promise<void> {
  const heir = subscriptions.find((s) => s.implicit) ?? subscriptions[0];
  if (!heir) return;
  const key = destinationKey(heir.destination);
  if (await store.claimLegacyDeliveries(key, syncCursorFor(key))) {
    info(`state from before per-destination delivery tracking now belongs to ${key} (subscription ${heir.name})`);
  }
}
