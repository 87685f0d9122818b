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
export function upsertAction(stored: StoredState | undefined, item: Pick<UpsertItem, 'frontUpdatedAt' | 'frontNow'>): 'created' | 'older' | 'stored' {
  if (stored === undefined) return 'created';
  return isOlderState(item.frontUpdatedAt, stored.frontUpdatedAt, item.frontNow) ? 'older' : 'stored';
}

/** A stored conversation is 'updated' when some destination got a new version of it, else 'unchanged'. */
export function upsertOutcome(action: 'created' | 'older' | 'stored', someDestinationChanged: boolean): UpsertOutcome {
  if (action === 'created') return 'created';
  return action === 'stored' && someDestinationChanged ? 'updated' : 'unchanged';
}

/**
 * Front's updated_at only grows, so a smaller one is an older state; unknown or untrusted times
 * (see trustedTime) never count, on either side. The one rule behind "never overwrite a newer
 * stored state with an older one", checked before any message request (pipeline/prepare/prepare.ts), for
 * webhook events (listen/coalesce.ts) and again by every backend when it writes. `frontNow`: Front's
 * clock, unix seconds, when the incoming state was read.
 */
export function isOlderState(incoming: number | null | undefined, stored: number | null | undefined, frontNow?: number): boolean {
  const a = trustedTime(incoming, frontNow);
  const b = trustedTime(stored, frontNow);
  return a !== null && b !== null && a < b;
}

/**
 * How far ahead of Front's clock (as our reading of its Date headers has it) a time may be and
 * still order states. Clocks and that reading differ by seconds; a time minutes ahead is a bad one.
 */
export const FUTURE_TOLERANCE_S = 5 * 60;
/**
 * Unix seconds after 2200 are no time Front wrote in seconds (a millisecond value reads as year
 * 50,000+). Too small a time needs no bound: it only ever ranks as older, which freezes nothing.
 */
const LATEST_S = 7_258_118_400;

/**
 * `time` when it can order states: unix seconds up to 2200, and (when Front's clock is known) not
 * more than FUTURE_TOLERANCE_S ahead of it. A time in the future (a rule webhook's, a skewed
 * writer's) or in milliseconds would otherwise rank above every later state and freeze its
 * conversation: every change after it would look older.
 */
export function trustedTime(time: number | null | undefined, frontNow?: number): number | null {
  const latest = trustedUntil(frontNow);
  return typeof time === 'number' && Number.isFinite(time) && time <= latest ? time : null;
}

/** The latest time trustedTime keeps, in unix seconds, for a backend to check in SQL. */
export function trustedUntil(frontNow?: number): number {
  return frontNow === undefined ? LATEST_S : Math.min(LATEST_S, frontNow + FUTURE_TOLERANCE_S);
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
