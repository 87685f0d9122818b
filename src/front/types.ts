// The Front Core API shapes front-import reads, derived from Front's spec (src/front-api/, generated
// from spec/front-core-api.json) through `Received`: every field may be absent or null and every
// enum is open, because Front sends less and more than the spec promises (NOTES.md). The mapper
// never trusts more than this; nothing here restates one of Front's fields by hand.

import type {
  ConversationResponse,
  CustomFieldResponse,
  EventResponse,
  IdentityResponse,
  InboxResponse,
  MessageResponse,
  Page,
  Received,
  RecipientResponse,
  StatusResponse,
  TagResponse,
  TeammateResponse,
  TeamPreviewResponse,
} from '../front-api/index.js';
import { itemAt } from '../shared/item-at.js';

export type FrontPage<T> = Page<T>;
export type FrontIdentity = Received<IdentityResponse, 'id' | 'name'>;
export type FrontInbox = Received<InboxResponse, 'id' | 'name'>;
export type FrontTeammate = Received<TeammateResponse, 'id'>;
export type FrontRecipient = Received<RecipientResponse>;
export type FrontTag = Received<TagResponse, 'id' | 'name'>;
/** A ticket status (ticketing on). */
export type FrontStatus = Received<StatusResponse, 'id' | 'name'>;
export type FrontConversation = Received<ConversationResponse, 'id'>;
export type FrontMessage = Received<MessageResponse, 'id'>;
/** Filtering and ordering use `emitted_at` (unix seconds, fractional), so an event without one is not an event. */
export type FrontEvent = Received<EventResponse, 'id' | 'type' | 'emitted_at'>;
/** GET /teams items. */
export type FrontTeam = Received<TeamPreviewResponse, 'id' | 'name'>;
/** GET /conversations/custom_fields items. */
export type FrontCustomField = Received<CustomFieldResponse, 'id' | 'name'>;

/** Event types that embed a message in `target.data`. */
export const MESSAGE_EVENT_TYPES = ['inbound', 'outbound', 'out_reply'] as const;
/** Id of the conversation's latest message from `_links.related.last_message`, if present. */
export function lastMessageIdOf(conversation: FrontConversation): string | null {
  const link = conversation._links?.related?.last_message;
  if (!link) return null;
  const match = /\/messages\/(msg_[A-Za-z0-9_-]+)/.exec(link);
  return match ? itemAt(match, 1) : null;
}
