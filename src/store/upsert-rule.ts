// What storing a mapped Highlight does to the stored row, decided the same way by every backend.

import type { UpsertItem, UpsertOutcome } from './types.js';

export interface StoredState {
  version: string;
  frontUpdatedAt: number | null;
}

/**
 * 'created': no row yet. 'older': Front's updated_at is before the stored one (an older webhook
 * fetch arriving late), so nothing is written and the caller reports 'unchanged'. 'unchanged':
 * same version, only the message/updated_at bookkeeping is refreshed. 'updated': a new version,
 * pending again.
 */
export function upsertAction(stored: StoredState | undefined, item: UpsertItem): UpsertOutcome | 'older' {
  if (stored === undefined) return 'created';
  if (item.frontUpdatedAt !== null && stored.frontUpdatedAt !== null && item.frontUpdatedAt < stored.frontUpdatedAt) return 'older';
  return stored.version === item.highlight.version ? 'unchanged' : 'updated';
}
