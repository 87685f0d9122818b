// With highlights.textFrom other than `latest`, the event stream also stages each conversation's
// candidate for the text: its newest inbound message (latest-inbound) or its oldest one
// (first-inbound). They are staged under their own run key, beside the newest messages, and the
// store keeps the newest or the oldest across pages, so the choice costs no request when the
// message is in the window's events.

import type { FrontEvent, FrontMessage } from '../../front/types.js';
import { TEXT_FROM, type TextFrom } from '../../highlight/types.js';
import type { EventMessage } from '../../store/types.js';

/** The staging key of a run's text candidates for a textFrom: a changed setting starts afresh. */
export function textCandidatesKey(runKey: string, textFrom: TextFrom): string {
  return `${runKey}#${textFrom}`;
}

/** Every staging key a run's text candidates may have used, to clear them with the run. */
export function allTextCandidateKeys(runKey: string): string[] {
  return TEXT_FROM.filter((mode) => mode !== 'latest').map((mode) => textCandidatesKey(runKey, mode));
}

/** One candidate per conversation in these events (ascending), for `textFrom`; none for `latest`. */
export function textCandidates(events: readonly FrontEvent[], textFrom: TextFrom, inbox: EventMessage['inbox']): EventMessage[] {
  if (textFrom === 'latest') return [];
  const keep = textFrom === 'first-inbound' ? 'oldest' : 'newest';
  const byConversation = new Map<string, EventMessage>();
  for (const event of events) {
    const conversationId = event.conversation?.id;
    const message = event.type === 'inbound' ? (event.target?.data as EventMessage['message'] | undefined) : undefined;
    if (!conversationId || !message || typeof message.id !== 'string' || message.is_inbound !== true) continue;
    const seen = byConversation.get(conversationId);
    const at = (m: EventMessage['message']) => m.created_at ?? 0;
    const better = !seen || (keep === 'oldest' ? at(message) < at(seen.message) : at(message) >= at(seen.message));
    if (better) byConversation.set(conversationId, { conversationId, message: textFields(message), inbox, keep });
  }
  return [...byConversation.values()];
}

/**
 * The fields the prepare step reads (prepare/latest-message.ts, toStoredMessage). A message kept
 * for later (from the event stream) is cut down to them: a third of the size, and every one of the
 * stream's messages is written to the state file.
 */
export function textFields(message: FrontMessage): FrontMessage {
  return {
    id: message.id,
    created_at: message.created_at,
    is_inbound: message.is_inbound,
    author: message.author,
    recipients: message.recipients,
    text: message.text,
    body: message.body,
    blurb: message.blurb,
  };
}
