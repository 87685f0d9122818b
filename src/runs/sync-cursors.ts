// The names of the sync cursors of a set of subscriptions, one per destination: on its own so
// `status` and the listener's metrics read them without loading where a sync starts (sync-start.ts),
// which brings in the import pipeline.

import { destinationKey } from '../config/destination-key.js';
import type { DestinationSettings } from '../config/types.js';
import { syncCursorFor } from '../store/keys.js';

/** The sync cursors of these subscriptions (one per destination), for `status` and the listener's metrics. */
export function syncCursors(subscriptions: readonly { destination: DestinationSettings }[]): string[] {
  return subscriptions.map((s) => syncCursorFor(destinationKey(s.destination)));
}
