// Delivery state written under an older identity rule is taken over by the destination it belongs
// to, so nothing is sent again:
// - a state file written before delivery state was kept per destination holds one destination's
//   deliveries and sync cursor without saying which destination. The first subscription that runs
//   (the implicit one when there is one: the config that wrote the file) takes them over;
// - a destination URL's identity once dropped every query parameter whose name merely contained
//   "code", "key", "auth", … (`?region_code=eu` was stored without it) and kept secret ones that
//   the list missed (`?jwt=…` was stored with it). A configured destination with no state of its
//   own takes over the state stored under its former identity, or under its identity with such a
//   secret still in it; the secret then leaves the state.

import type { Subscription } from '../config/types.js';
import { canonicalUrl, destinationKey, formerCanonicalUrl } from '../config/destination-key.js';
import { maskUrl } from '../shared/secret-params.js';
import type { Deliveries, MetaStore } from '../store/roles.js';
import { syncCursorFor } from '../store/keys.js';

type Store = Pick<Deliveries, 'claimLegacyDeliveries' | 'destinations' | 'moveDestination'> & MetaStore;

export async function claimLegacyState(store: Store, subscriptions: readonly Subscription[], info: (line: string) => void): Promise<void> {
  const heir = subscriptions.find((s) => s.implicit) ?? subscriptions[0];
  if (!heir) return;
  const key = destinationKey(heir.destination);
  if (await store.claimLegacyDeliveries(key, syncCursorFor(key))) {
    info(`state from before per-destination delivery tracking now belongs to ${key} (subscription ${heir.name})`);
  }
  await claimFormerIdentities(store, subscriptions, info);
}

async function claimFormerIdentities(store: Store, subscriptions: readonly Subscription[], info: (line: string) => void): Promise<void> {
  const keys = subscriptions.map((s) => destinationKey(s.destination));
  // Listing the stored destinations reads an index of every delivery: only when an identity changed.
  let stored: string[] | null = null;
  for (const sub of subscriptions) {
    if (sub.destination.type !== 'http') continue;
    const key = destinationKey(sub.destination);
    const former = formerCanonicalUrl(sub.destination.url);
    if (former === key) continue;
    stored ??= await store.destinations();
    if (stored.includes(key)) continue;
    const found = stored.find((d) => !keys.includes(d) && (d === former || sameUnderCurrentRule(d, key)));
    if (found === undefined) continue;
    // The scope its cursor was recorded with moves with it, in the same transaction.
    if (await store.moveDestination(found, key, { from: syncCursorFor(found), to: syncCursorFor(key) })) {
      info(`delivery state stored as ${maskUrl(found)} (the former identity rule) now belongs to ${key} (subscription ${sub.name})`);
      stored = await store.destinations();
    }
  }
}

/** A stored URL identity that, under today's rule, is `key` (it still holds a secret parameter). */
function sameUnderCurrentRule(stored: string, key: string): boolean {
  try {
    return canonicalUrl(stored) === key;
  } catch {
    return false;
  }
}
