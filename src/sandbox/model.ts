// The sandbox's internal workspace model. Records are compact and rendered to Front's JSON shapes
// only when served (render.ts), so 50,000 conversations stay cheap to generate and hold.

import type { ServedConversation } from './served.js';
import type { ControlStatus } from './types.js';

/** What Front hands over with a conversation beyond its messages (drawn in extras.ts). */
export interface ConversationExtras {
  customFields: Record<string, string | number | boolean>;
  ticketIds: string[];
  links: { id: string; name: string; type: string; url: string }[];
}

export type ConversationStatus = ControlStatus;

export interface Company {
  id: string;
  name: string;
}

export interface Inbox {
  id: string;
  name: string;
  isPrivate: boolean;
  /** The address customers write to; appears in message recipients. */
  address: string;
}

export interface Teammate {
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  isAdmin: boolean;
}

export interface Tag {
  id: string;
  name: string;
  highlight: string | null;
  createdMs: number;
}

export interface Contact {
  id: string;
  name: string | null;
  handle: string;
}

export interface MessageContent {
  /** HTML (or plain text for channels that send no markup). */
  body: string;
  /** Plain text; email only, sometimes absent. */
  text: string | undefined;
  blurb: string;
  /** Ground truth: the writer's own words (generated content only; null when supplied as is). */
  ownWords: string | null;
}

export interface Message {
  id: string;
  conversation: Conversation;
  createdMs: number;
  inbound: boolean;
  author: Teammate | null;
  /** The sender of an inbound message: the conversation's contact, or a stray address. */
  from: Contact;
  repliedTo: Message | null;
  /** Generated content is derived from this seed when served, not stored. */
  contentSeed: number;
  /** Explicit content (control API); wins over the seed. */
  content: MessageContent | null;
}

/**
 * A conversation's mutable state. Immutable once made: every event keeps the state right after it,
 * and the conversation points at its newest one, so event-time snapshots cost one object per event.
 */
export interface ConversationState {
  status: ConversationStatus;
  assignee: Teammate | null;
  tags: readonly Tag[];
  inbox: Inbox;
  updatedMs: number;
  lastMessage: Message | null;
  /** Oldest inbound message not yet answered. */
  waitingSinceMs: number | null;
}

export interface Conversation {
  id: string;
  subject: string;
  /** Custom fields, ticket ids and links (extras.ts); none for conversations added without them. */
  extras?: ConversationExtras;
  recipient: Contact | null;
  createdMs: number;
  messages: Message[];
  state: ConversationState;
}

export type EventType =
  | 'inbound'
  | 'outbound'
  | 'out_reply'
  | 'archive'
  | 'reopen'
  | 'trash'
  | 'restore'
  | 'tag'
  | 'untag'
  | 'assign'
  | 'unassign'
  | 'move';

export type EventTarget =
  | { kind: 'message'; message: Message }
  | { kind: 'tag'; tag: Tag }
  | { kind: 'teammate'; teammate: Teammate }
  | { kind: 'inbox'; inbox: Inbox };

export type EventSource = { kind: 'inbox'; inbox: Inbox } | { kind: 'teammate'; teammate: Teammate } | { kind: 'api' };

export interface FrontEventRecord {
  /** Position in the event log; ids and ordering follow it. */
  seq: number;
  id: string;
  type: EventType;
  emittedMs: number;
  conversation: Conversation;
  /** The conversation right after this event. */
  state: ConversationState;
  source: EventSource;
  target: EventTarget | null;
}

/** Unique ids that look like Front's (prefix + base36) and sort by creation. */
export function makeId(prefix: string, n: number): string {
  return `${prefix}_${(ID_OFFSET + n).toString(36)}`;
}
const ID_OFFSET = 36 ** 6 * 11;

/** The number behind an id made by makeId, or null when it is not one. */
export function idNumber(prefix: string, id: string): number | null {
  if (!id.startsWith(`${prefix}_`) || !/^[0-9a-z]+$/.test(id.slice(prefix.length + 1))) return null;
  const n = parseInt(id.slice(prefix.length + 1), 36) - ID_OFFSET;
  return Number.isSafeInteger(n) && n >= 0 && makeId(prefix, n) === id ? n : null;
}

export function statusCategoryOf(state: ConversationState): 'open' | 'waiting' | 'resolved' {
  if (state.status !== 'open') return 'resolved';
  return state.lastMessage && !state.lastMessage.inbound ? 'waiting' : 'open';
}

/** The spec's `status`: open conversations are assigned or unassigned; spam passes through. */
export function apiStatusOf(state: ConversationState): ServedConversation['status'] {
  if (state.status === 'open') return state.assignee ? 'assigned' : 'unassigned';
  return state.status;
}

/** The state after a message: it becomes the last message and moves the unanswered clock. */
export function withMessage(state: ConversationState, message: Message, atMs: number): ConversationState {
  return {
    ...state,
    updatedMs: atMs,
    lastMessage: message,
    waitingSinceMs: message.inbound ? (state.waitingSinceMs ?? message.createdMs) : null,
  };
}
