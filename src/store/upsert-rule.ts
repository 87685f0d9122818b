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
  if (isOlderState(item.frontUpdatedAt, stored.frontUpdatedAt)) return 'older';
  return stored.version === item.highlight.version ? 'unchanged' : 'updated';
}

/**
 * Front's updated_at only grows, so a smaller one is an older state; unknown times never count as
 * older. The one rule behind "never overwrite a newer stored state with an older one", checked
 * before any message request (pipeline/prepare.ts) and again by every backend when it writes.
 */
export function isOlderState(incoming: number | null | undefined, stored: number | null | undefined): boolean {
  return typeof incoming === 'number' && typeof stored === 'number' && incoming < stored;
}
