// What storing a mapped Highlight does to the stored rows (the conversation's, and each
// destination's delivery), decided the same way by every backend.

import type { UpsertItem, UpsertOutcome } from './types.js';

export interface StoredState {
  frontUpdatedAt: number | null;
}

/**
 * 'created': no row yet, so every destination's Highlight of it is new. 'older': Front's updated_at
 * is before the stored one (an older webhook fetch arriving late), so nothing is written and the
 * caller reports 'unchanged'. 'stored': the row takes this state, and each destination's Highlight
 * is queued where its version is new to that destination (see upsertOutcome).
 */
export function upsertAction(stored: StoredState | undefined, item: Pick<UpsertItem, 'frontUpdatedAt'>): 'created' | 'older' | 'stored' {
  if (stored === undefined) return 'created';
  return isOlderState(item.frontUpdatedAt, stored.frontUpdatedAt) ? 'older' : 'stored';
}

/** A stored conversation is 'updated' when some destination got a new version of it, else 'unchanged'. */
export function upsertOutcome(action: 'created' | 'older' | 'stored', someDestinationChanged: boolean): UpsertOutcome {
  if (action === 'created') return 'created';
  return action === 'stored' && someDestinationChanged ? 'updated' : 'unchanged';
}

/**
 * Front's updated_at only grows, so a smaller one is an older state; unknown times never count as
 * older. The one rule behind "never overwrite a newer stored state with an older one", checked
 * before any message request (pipeline/prepare/prepare.ts) and again by every backend when it writes.
 */
export function isOlderState(incoming: number | null | undefined, stored: number | null | undefined): boolean {
  return typeof incoming === 'number' && typeof stored === 'number' && incoming < stored;
}

/** What queueing a destination's Highlight did: see queueAction. */
export type QueueOutcome = 'new' | 'changed' | 'same' | 'resent';

/**
 * `held`: the version the destination's row holds (undefined: no row). 'new' and 'changed' make the
 * row pending at this version, whatever happened to the previous one (a refused item whose content
 * changes is tried again by itself); 'resent' (replay) makes it pending even at the same version,
 * delivered or refused; 'same' leaves it as it is.
 */
export function queueAction(held: string | undefined, version: string, resend: boolean): QueueOutcome {
  if (held === undefined) return 'new';
  if (resend) return 'resent';
  return held === version ? 'same' : 'changed';
}
