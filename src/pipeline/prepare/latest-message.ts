// Finds a conversation's latest message, and the message its text comes from (highlights.textFrom),
// with as few requests as possible: the ones the event stream carried, else the ones the store
// already holds, else one request. The conversation's `_links.related.last_message` is the
// authority on which message is latest, which keeps this right whether event snapshots were taken
// at event time or at read time.
//
// Request cost per conversation (README "Whose words"):
// - latest: none when the latest message was in the window's events or is stored; else one GET.
// - latest-inbound: none when the latest message is inbound, or the newest inbound was in the
//   window's events, or the stored one is provably still the newest (the latest message did not
//   change, or the event window covers everything after the stored state); else one listing of
//   the conversation's messages (newest first, 100), which also gives the latest.
// - first-inbound: none once stored (it never changes) or when the conversation began inside the
//   window and its first inbound message was in the window's events; else one listing (oldest
//   first, 100), which also gives the latest when the conversation has at most 100 messages.

import { FrontRequestError } from '../../errors.js';
import { lastMessageIdOf, type FrontConversation, type FrontMessage } from '../../front/types.js';
import { messageToText, TEXT_RULES } from '../../highlight/message-text.js';
import type { EarlierText } from '../../highlight/thread-history.js';
import { messagePeople, textAuthorOf } from '../../highlight/participants.js';
import { sliceCodeUnits } from '../../highlight/truncate.js';
import type { TextFrom } from '../../highlight/types.js';
import type { ConversationSnapshot, StoredMessage } from '../../store/types.js';
import { earlierTexts, heldMessages } from './earlier-messages.js';

/** Messages per listing request (Front's maximum). */
export const MESSAGE_LISTING_LIMIT = 100;

export interface MessageApi {
  message(id: string): Promise<FrontMessage>;
  latestMessage(conversationId: string): Promise<FrontMessage | null>;
  /** One page (up to 100) of the conversation's messages; `more` when older (desc) or newer (asc) ones exist. */
  conversationMessages(conversationId: string, order: 'asc' | 'desc'): Promise<{ messages: FrontMessage[]; more: boolean }>;
}

export interface ResolvedMessage {
  /** The latest message, with the text message under `textSource` when textFrom is not `latest`. */
  message: StoredMessage | null;
  /** The message the Highlight's text comes from. */
  text: StoredMessage | null;
  fetched: number;
}

export interface MessageChoice {
  textFrom: TextFrom;
  maxTextLength: number;
  /**
   * The window's events were read (events strategy) from `since` (unix seconds): an inbound message
   * in the window would be among `embedded.text`, so its absence means there is none.
   * `followsCursor`: the window starts at the cursor the previous sync left, so every message newer
   * than what the store holds is in it.
   */
  events: { since: number; followsCursor: boolean } | null;
}

export interface EmbeddedMessages {
  /** The newest message the event stream carried for the conversation. */
  latest: FrontMessage | null;
  /** The event stream's text candidate: its newest (latest-inbound) or oldest (first-inbound) inbound message. */
  text: FrontMessage | null;
}

export function toStoredMessage(message: FrontMessage, maxTextLength: number, earlier?: readonly EarlierText[]): StoredMessage {
  // Kept a little longer than a Highlight shows so a title taken from the first line stays whole,
  // and one code unit over the limit so the mapper can tell a cut text (textTruncated).
  const cap = Math.max(maxTextLength + 1, 1000);
  const text = sliceCodeUnits(messageToText(message, { maxTextLength: cap, earlier }), cap);
  return {
    id: message.id,
    createdAt: numberOrNull(message.created_at),
    text,
    rules: TEXT_RULES,
    inbound: message.is_inbound === true,
    author: textAuthorOf(message),
    people: messagePeople(message),
  };
}

export async function resolveMessages(
  conversation: FrontConversation,
  embedded: EmbeddedMessages,
  snapshot: ConversationSnapshot | undefined,
  api: MessageApi,
  choice: MessageChoice,
): Promise<ResolvedMessage> {
  const held = heldMessages(snapshot, [embedded.latest, embedded.text]);
  const store = (m: FrontMessage, page: readonly FrontMessage[] = []) => toStoredMessage(m, choice.maxTextLength, earlierTexts(m, held, page));
  const stored = current(snapshot?.lastMessage ?? null);
  const wanted = lastMessageIdOf(conversation);
  const known = <M extends { id: string }>(m: M | null): m is M => m !== null && (wanted === null || wanted === m.id);
  let latest: StoredMessage | null = known(embedded.latest) ? store(embedded.latest) : known(stored) ? stored : null;
  let fetched = 0;

  let text: StoredMessage | null = null;
  if (choice.textFrom !== 'latest') {
    const found = await textMessage(conversation, embedded, stored, snapshot?.frontUpdatedAt ?? null, latest, api, choice, store);
    fetched += found.fetched;
    latest ??= found.latest;
    text = found.text;
  }
  if (!latest) {
    const fetchedLatest = await fetchLatest(conversation, wanted, api, store);
    latest = fetchedLatest.message;
    fetched += fetchedLatest.fetched;
  }
  if (choice.textFrom === 'latest' || !latest) return { message: latest, text: latest, fetched };
  // No inbound message at all: the text falls back to the latest one.
  const chosen = text ?? latest;
  const { textSource: _old, ...plainChosen } = chosen;
  return { message: { ...latest, textSource: { from: choice.textFrom, message: plainChosen } }, text: plainChosen, fetched };
}

interface TextResult {
  text: StoredMessage | null;
  /** The latest message, when the listing that found the text showed it. */
  latest: StoredMessage | null;
  fetched: number;
}

async function textMessage(
  conversation: FrontConversation,
  embedded: EmbeddedMessages,
  stored: StoredMessage | null,
  storedState: number | null,
  latest: StoredMessage | null,
  api: MessageApi,
  choice: MessageChoice,
  store: (m: FrontMessage, page?: readonly FrontMessage[]) => StoredMessage,
): Promise<TextResult> {
  const none = { latest: null, fetched: 0 };
  const storedText = stored?.textSource?.from === choice.textFrom ? current(stored.textSource.message) : null;
  const candidate = embedded.text && embedded.text.is_inbound === true ? embedded.text : null;
  if (choice.textFrom === 'latest-inbound') {
    if (latest?.inbound) return { ...none, text: latest };
    if (candidate) return { ...none, text: store(candidate) };
    // Unchanged latest message, or an event window that holds every message newer than the stored
    // state (it follows the sync cursor, or starts before that state): no inbound among the
    // window's events means the stored one is still the newest.
    const windowHoldsNewer = choice.events !== null && (choice.events.followsCursor || (storedState !== null && storedState >= choice.events.since));
    if (storedText && (windowHoldsNewer || stored?.id === latest?.id)) return { ...none, text: storedText };
  } else {
    if (storedText) return { ...none, text: storedText };
    const began = typeof conversation.created_at === 'number' ? conversation.created_at : null;
    if (candidate && choice.events && began !== null && began >= choice.events.since) return { ...none, text: store(candidate) };
  }
  const order = choice.textFrom === 'latest-inbound' ? 'desc' : 'asc';
  const page = await api.conversationMessages(conversation.id, order);
  const inbound = page.messages.find((m) => m.is_inbound === true);
  const newest = order === 'desc' ? page.messages[0] : page.more ? undefined : page.messages[page.messages.length - 1];
  const wanted = lastMessageIdOf(conversation);
  const latestFromPage = newest && (wanted === null || wanted === newest.id) ? store(newest, page.messages) : null;
  // The newest message is often the inbound one: its text is extracted once.
  const text = inbound === undefined ? null : inbound === newest && latestFromPage !== null ? latestFromPage : store(inbound, page.messages);
  return { text, latest: latestFromPage, fetched: 1 };
}

async function fetchLatest(
  conversation: FrontConversation,
  wanted: string | null,
  api: MessageApi,
  store: (m: FrontMessage) => StoredMessage,
): Promise<{ message: StoredMessage | null; fetched: number }> {
  if (wanted) {
    try {
      return { message: store(await api.message(wanted)), fetched: 1 };
    } catch (err) {
      // A message deleted since the conversation was read: ask for whatever is latest now.
      if (!(err instanceof FrontRequestError && err.status === 404)) throw err;
    }
  }
  const latest = await api.latestMessage(conversation.id);
  return { message: latest ? store(latest) : null, fetched: wanted ? 2 : 1 };
}

/** A stored message made with the current text rules; older rows are read again, once. */
export function current(message: StoredMessage | null): StoredMessage | null {
  return message && message.rules === TEXT_RULES ? message : null;
}

function numberOrNull(n: unknown): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
