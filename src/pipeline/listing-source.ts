// The fallback when the token cannot read /events: list conversations newest activity first (per
// inbox when scoped) and stop at the window's start. Messages are fetched later, only when the
// store does not already hold the conversation's latest one.

import type { FrontConversation } from '../front/types.js';
import { laneProgress, lanesFrom, type ConversationUpdate, type Lane, type ListingApi, type PageStream, type Window } from './source.js';

const activityAt = (c: FrontConversation): number => c.updated_at ?? c.created_at ?? 0;

/**
 * `pageSize`: conversations per page when fewer than Front's 100 are wanted (--limit), which also
 * stops reading ahead: the page after one still inside the window is otherwise requested at once.
 */
export function listingStream(api: ListingApi, lanes: Lane[], window: Window, now: () => number, pageSize?: number): PageStream {
  const readAhead = pageSize === undefined ? (items: FrontConversation[]) => items.every((c) => activityAt(c) >= window.since) : undefined;
  return async function* (resumeFrom) {
    const windowEnd = window.until ?? now() / 1000;
    for (const { lane, inbox, pageUrl, afterLane } of lanesFrom(lanes, resumeFrom)) {
      for await (const page of api.conversations({ inboxId: inbox?.id, limit: pageSize, pageUrl, readAhead })) {
        const updates: ConversationUpdate[] = [];
        let oldest = Infinity;
        for (const conversation of page.items) {
          const at = activityAt(conversation);
          oldest = Math.min(oldest, at);
          if (at >= window.since && (window.until === null || at <= window.until)) {
            updates.push({ conversation, message: null, inbox });
          }
        }
        const passedStart = oldest < window.since;
        const done = passedStart || !page.next;
        const reached = Number.isFinite(oldest) ? (windowEnd - oldest) / Math.max(1, windowEnd - window.since) : 1;
        const progress = laneProgress(lane, lanes.length, done ? 1 : reached);
        yield {
          updates,
          messages: [],
          resume: done ? afterLane : { lane, next: page.next },
          progress,
          sample: { of: 'conversations', items: updates.length, fraction: progress },
        };
        if (done) break;
      }
    }
  };
}
