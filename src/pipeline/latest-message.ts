// Finds a conversation's latest message with as few requests as possible: the one the event page
// embedded, else the one the store already holds, else one GET. The conversation's
// `_links.related.last_message` is the authority on which message is latest, which keeps this right
// whether event snapshots were taken at event time or at read time.

import { FrontRequestError } from '../errors.js';
import { lastMessageIdOf, type FrontConversation, type FrontMessage } from '../front/types.js';
import { messageToText } from '../highlight/message-text.js';
import { sliceCodeUnits } from '../highlight/truncate.js';
import type { ConversationSnapshot, StoredMessage } from '../store/types.js';

export interface MessageApi {
  message(id: string): Promise<FrontMessage>;
  latestMessage(conversationId: string): Promise<FrontMessage | null>;
}

export interface ResolvedMessage {
  message: StoredMessage | null;
  fetched: number;
}

/**
 * The fields toStoredMessage reads. A message kept for later (from the event stream) is cut down to
 * them: a third of the size, and every one of the stream's messages is written to the state file.
 */
export function textFields(message: FrontMessage): FrontMessage {
  return { id: message.id, created_at: message.created_at, text: message.text, body: message.body, blurb: message.blurb };
}

export function toStoredMessage(message: FrontMessage, maxTextLength: number): StoredMessage {
  // Kept a little longer than a Highlight shows so a title taken from the first line stays whole.
  const cap = Math.max(maxTextLength, 1000);
  const text = sliceCodeUnits(messageToText(message, { maxTextLength: cap }), cap);
  return { id: message.id, createdAt: numberOrNull(message.created_at), text };
}

export async function resolveLatestMessage(
  conversation: FrontConversation,
  embedded: FrontMessage | null,
  snapshot: ConversationSnapshot | undefined,
  api: MessageApi,
  maxTextLength: number,
): Promise<ResolvedMessage> {
  const wanted = lastMessageIdOf(conversation);
  const stored = snapshot?.lastMessage ?? null;
  if (embedded && (wanted === null || wanted === embedded.id)) {
    return { message: toStoredMessage(embedded, maxTextLength), fetched: 0 };
  }
  if (stored && (wanted === null || wanted === stored.id)) return { message: stored, fetched: 0 };
  if (wanted) {
    try {
      return { message: toStoredMessage(await api.message(wanted), maxTextLength), fetched: 1 };
    } catch (err) {
      // A message deleted since the conversation was read: ask for whatever is latest now.
      if (!(err instanceof FrontRequestError && err.status === 404)) throw err;
    }
  }
  const latest = await api.latestMessage(conversation.id);
  return { message: latest ? toStoredMessage(latest, maxTextLength) : null, fetched: wanted ? 2 : 1 };
}

function numberOrNull(n: unknown): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
