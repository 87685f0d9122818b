// What the sandbox serves: Front's spec types (src/front-api/), except where real Front departs
// from its spec and the sandbox plays Front.

import type { ConversationResponse, EventResponse, InboxResponse, MessageResponse } from '../front-api/index.js';

/**
 * Front sends statuses outside the spec's enum, such as `spam` (front-api-NOTES: "anything else
 * must not crash"), so the sandbox's conversations may carry one.
 */
export type ServedConversation = Omit<ConversationResponse, 'status'> & { status: ConversationResponse['status'] | 'spam' };
export type ServedEvent = WithIds<Omit<EventResponse, 'conversation'>, 'id' | 'type' | 'emitted_at'> & { conversation?: ServedConversation };

/** The spec requires nothing of an inbox, a message or an event; the sandbox, like Front, always sends their ids. */
type WithIds<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };
export type ServedInbox = WithIds<InboxResponse, 'id' | 'name'>;
export type ServedMessage = WithIds<MessageResponse, 'id'>;
