// The cheap strategy: Front's event stream, ascending. Message events embed the message, and every
// event embeds the conversation, so most Highlights need no request of their own.

import { MESSAGE_EVENT_TYPES, STATE_EVENT_TYPES, type FrontEvent, type FrontMessage } from '../front/types.js';
import { laneProgress, lanesFrom, type ConversationUpdate, type EventsApi, type Lane, type PageStream, type Window } from './source.js';

export const EVENT_TYPES = [...MESSAGE_EVENT_TYPES, ...STATE_EVENT_TYPES] as const;
const MESSAGE_TYPES: ReadonlySet<string> = new Set(MESSAGE_EVENT_TYPES);

export function eventsStream(api: EventsApi, lanes: Lane[], window: Window, now: () => number): PageStream {
  return async function* (resumeFrom) {
    const windowEnd = window.until ?? now() / 1000;
    for (const { lane, inbox, pageUrl, afterLane } of lanesFrom(lanes, resumeFrom)) {
      const pages = api.events({
        after: window.since,
        before: window.until ?? undefined,
        types: EVENT_TYPES,
        inboxes: inbox ? [inbox.id] : undefined,
        pageUrl,
      });
      for await (const page of pages) {
        const last = page.items[page.items.length - 1];
        const reached = last ? (last.emitted_at - window.since) / Math.max(1, windowEnd - window.since) : 1;
        yield {
          updates: groupEvents(page.items, inbox),
          resume: page.next ? { lane, next: page.next } : afterLane,
          progress: laneProgress(lane, lanes.length, page.next ? reached : 1),
        };
      }
    }
  };
}

/**
 * One update per conversation in the page, in first-seen order. The conversation is the snapshot of
 * its last event (events are ascending), which is right whether Front took it at event time or at
 * read time; the message is the newest one the page embeds.
 */
export function groupEvents(events: FrontEvent[], inbox: { id: string; name: string } | null): ConversationUpdate[] {
  const byId = new Map<string, ConversationUpdate>();
  for (const event of events) {
    const conversation = event.conversation;
    if (!conversation?.id) continue;
    const update = byId.get(conversation.id) ?? { conversation, message: null, inbox };
    update.conversation = conversation;
    const message = MESSAGE_TYPES.has(event.type) ? asMessage(event.target?.data) : null;
    if (message && (!update.message || (message.created_at ?? 0) >= (update.message.created_at ?? 0))) {
      update.message = message;
    }
    byId.set(conversation.id, update);
  }
  return [...byId.values()];
}

function asMessage(data: unknown): FrontMessage | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as FrontMessage;
  return typeof m.id === 'string' && m.id.startsWith('msg_') ? m : null;
}
