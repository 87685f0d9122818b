// Where in a window its message events lie, from the listing alone: each listed conversation is
// taken to spread its messages evenly from its creation to its last activity, so the share of the
// window's messages that falls before a time is the share of that conversation time inside the window
// that lies before it. A window's first events pages measured against this, rather than against the
// clock, are a fair witness of its density whether conversations that began before the window crowd
// its start or the window's start is quiet (night, weekend, a stream that is only picking up).

import type { FrontConversation } from '../../front/types.js';
import { itemAt } from '../../shared/item-at.js';

/** Points at which the cumulative share is kept (evenly spaced over the window, both ends included). */
const POINTS = 40;
/** A conversation created and last active in the same instant still spreads over this many seconds. */
const SHORTEST_SPAN = 60;

/**
 * The cumulative share of the window's messages at POINTS + 1 evenly spaced times from `since` to
 * `end` (unix seconds), rounded; null when no conversation lies in the window.
 */
export function messageShares(conversations: FrontConversation[], since: number, end: number): number[] | null {
  const spans = conversations.flatMap((c) => {
    const last = c.updated_at ?? c.created_at;
    if (typeof last !== 'number' || last < since) return [];
    const first = Math.min(c.created_at ?? last, last);
    return [{ first, last, length: Math.max(SHORTEST_SPAN, last - first) }];
  });
  const before = (t: number) => spans.reduce((sum, s) => sum + Math.max(0, Math.min(t, s.last) - Math.max(since, s.first)) / s.length, 0);
  const total = before(end);
  if (!(total > 0)) return null;
  return Array.from({ length: POINTS + 1 }, (_, i) => Math.round((before(since + ((end - since) * i) / POINTS) / total) * 1e4) / 1e4);
}

/** The share of the window's messages before time fraction `fraction` (0..1) of it. */
export function shareAt(shares: readonly number[], fraction: number): number {
  const at = Math.min(1, Math.max(0, fraction)) * (shares.length - 1);
  const i = Math.min(shares.length - 2, Math.floor(at));
  const low = itemAt(shares, i);
  return low + (itemAt(shares, i + 1) - low) * (at - i);
}
