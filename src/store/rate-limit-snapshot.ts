// The last rate-limit answer Front gave, kept for `status` (which never talks to Front).

import type { RateLimitSnapshot } from '../front/rate-headers.js';
import type { MetaStore } from './roles.js';

const KEY = 'rateLimit';

/** Saves the client's latest snapshot, if it saw one. */
export async function saveRateLimit(store: Pick<MetaStore, 'setMeta'>, snapshot: RateLimitSnapshot | null): Promise<void> {
  if (snapshot) await store.setMeta(KEY, snapshot);
}

export function loadRateLimit(store: Pick<MetaStore, 'getMeta'>): Promise<RateLimitSnapshot | undefined> {
  return store.getMeta<RateLimitSnapshot>(KEY);
}
