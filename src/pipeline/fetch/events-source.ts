// The cheap strategy. Message events embed the message, 15 to a request, so message bodies come
// from the event stream. Every event embeds its conversation too, but as it was at that event, and
// following each tag, status and assignee change would cost about as many pages again; one
// conversation listing (100 to a request) gives the current states instead. Each listed
// conversation is mapped with the message kept from the stream; only one whose latest message
// predates the window costs a request of its own.

import { FrontRequestError, ScopeError } from '../../errors.js';
import { MESSAGE_EVENT_TYPES, type FrontEvent, type FrontMessage } from '../../front/types.js';
import type { EventMessage } from '../../store/types.js';
import type { TextFrom } from '../../highlight/types.js';
import { textCandidates, textFields } from './text-candidates.js';
import { listingStream, startingWithListed } from './listing-source.js';
import { RESTART_OVERLAP_SECONDS, restartingOnce } from './page-restart.js';
import {
  laneProgress,
  lanesFrom,
  type ConversationLookupApi,
  type ConversationUpdate,
  type EventsApi,
  type Lane,
  type ListingApi,
  type PageStream,
  type Position,
  type SourcePage,
  type Window,
} from './source.js';
import { itemAt } from '../../shared/item-at.js';

const MESSAGE_TYPES: ReadonlySet<string> = new Set(MESSAGE_EVENT_TYPES);
/** Share of the progress bar for the event stream; the listing is a small fraction of the requests. */
const MESSAGES_PROGRESS = 0.9;
const LEFTOVERS_PAGE = 100;

/** The run's kept messages after a conversation id (null = from the start), in id order. */
export type KeptMessages = (afterConversationId: string | null, limit: number) => Promise<EventMessage[]>;

/**
 * `say`: lines for the user (a stage restarted after Front refused a page token). `listed`: the
 * listing page read to choose the strategy, when it showed the first lane whole (taken once): the
 * listing stage starts with it instead of reading it again.
 */
export function eventsStream(
  api: EventsApi & ListingApi & ConversationLookupApi,
  lanes: Lane[],
  window: Window,
  now: () => number,
  kept: KeptMessages,
  textFrom: TextFrom = 'latest',
  readAhead?: () => boolean,
  say: (line: string) => void = () => {},
  listed: () => SourcePage | null = () => null,
): PageStream {
  const messages = messageEvents(api, lanes, window, now, textFrom, readAhead, say);
  const conversations = startingWithListed(listingStream(api, lanes, window, now, undefined, say), listed);
  return async function* (resumeFrom) {
    const stage = resumeFrom?.stage ?? 'messages';
    if (stage === 'messages') {
      for await (const page of messages(resumeFrom)) {
        const resume = page.resume ? { ...page.resume, stage } : { stage: 'conversations' as const, lane: 0, next: null };
        yield { ...page, resume, progress: page.progress * MESSAGES_PROGRESS };
      }
    }
    if (stage !== 'leftovers') {
      for await (const page of conversations(stage === 'conversations' ? resumeFrom : null)) {
        const resume = page.resume ? { ...page.resume, stage: 'conversations' as const } : { stage: 'leftovers' as const, lane: 0, next: null };
        yield { ...page, resume, progress: MESSAGES_PROGRESS + page.progress * (1 - MESSAGES_PROGRESS) };
      }
    }
    // Conversations with messages in the window that the listing did not show: changed after the
    // listing passed them, or (with --until) active again since. Rare, so each is read on its own.
    let after = stage === 'leftovers' ? (resumeFrom?.next ?? null) : null;
    for (let items = await kept(after, LEFTOVERS_PAGE); items.length > 0; items = await kept(after, LEFTOVERS_PAGE)) {
      after = itemAt(items, items.length - 1).conversationId;
      const more = items.length === LEFTOVERS_PAGE;
      const updates = (await Promise.all(items.map((item) => currentState(api, item)))).filter((u) => u !== null);
      yield { updates, messages: [], resume: more ? { stage: 'leftovers', lane: 0, next: after } : null, progress: 1 };
      if (!more) return;
    }
  };
}

/**
 * Message events, ascending, per lane: each page's newest message per conversation, to keep. Each
 * position carries the time the lane is persisted up to (`safeAfter`), from which the stage starts
 * again when Front refuses a page token.
 */
function messageEvents(
  api: EventsApi,
  lanes: Lane[],
  window: Window,
  now: () => number,
  textFrom: TextFrom,
  readAhead: (() => boolean) | undefined,
  say: (line: string) => void,
): PageStream {
  return async function* (resumeFrom) {
    const windowEnd = window.until ?? now() / 1000;
    let at = resumeFrom;
    const walk = async function* (from: Position | null, restarted: boolean): AsyncGenerator<SourcePage> {
      for (const { lane, inbox, pageUrl, afterLane } of lanesFrom(lanes, from)) {
        let safeAfter = from?.lane === lane ? (from.safeAfter ?? window.since) : window.since;
        const after = restarted && from?.lane === lane ? Math.max(window.since, safeAfter - RESTART_OVERLAP_SECONDS) : window.since;
        const pages = api.events({
          after,
          before: window.until ?? undefined,
          types: MESSAGE_EVENT_TYPES,
          inboxes: inbox ? [inbox.id] : undefined,
          pageUrl: restarted ? undefined : pageUrl,
          readAhead,
        });
        for await (const page of pages) {
          const last = page.items[page.items.length - 1];
          if (last) safeAfter = Math.max(safeAfter, last.emitted_at);
          const reached = last ? (last.emitted_at - window.since) / Math.max(1, windowEnd - window.since) : 1;
          at = page.next ? { lane, next: page.next, safeAfter } : afterLane;
          const progress = laneProgress(lane, lanes.length, page.next ? reached : 1);
          yield {
            updates: [],
            messages: groupEvents(page.items, inbox).flatMap((u) => (u.message ? [{ conversationId: u.conversation.id, message: textFields(u.message), inbox: u.inbox }] : [])),
            textMessages: textCandidates(page.items, textFrom, inbox),
            resume: at,
            progress,
            sample: { of: 'message events', items: page.items.length, fraction: progress },
          };
        }
      }
    };
    yield* restartingOnce(
      (restarted) => walk(at, restarted),
      (err) => {
        const from = at?.safeAfter !== undefined ? Math.max(window.since, at.safeAfter - RESTART_OVERLAP_SECONDS) : window.since;
        say(`${err.message}: reading the event stream again from ${new Date(from * 1000).toISOString()} (the last time saved, ${RESTART_OVERLAP_SECONDS} s overlap)`);
      },
    );
  };
}

/** A kept message's conversation as it is now; null when it is gone or out of the token's reach. */
async function currentState(api: ConversationLookupApi, kept: EventMessage): Promise<ConversationUpdate | null> {
  try {
    return { conversation: await api.conversation(kept.conversationId), message: kept.message, inbox: kept.inbox };
  } catch (err) {
    if (err instanceof ScopeError || (err instanceof FrontRequestError && err.status === 404)) return null;
    throw err;
  }
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
