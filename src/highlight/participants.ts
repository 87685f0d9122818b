// Who took part in a conversation, from what front-import already holds: the conversation's
// recipient (the requester), its assignee, and the addresses and authors of the messages it read
// (the latest one and the one the text comes from). No extra request: a conversation's full
// message list would cost one per conversation.

import type { FrontConversation, FrontMessage } from '../front/types.js';
import { oneLine } from './one-line.js';
import { mapAssignee, mapRequester, teammateName } from './people.js';
import type { Participant, TextAuthor } from './types.js';

/** One address on a message, as kept in the store with the message's text. */
export interface MessagePerson {
  name: string | null;
  handle: string;
  side: 'customer' | 'teammate';
  /** cc and bcc addresses are the customer's colleagues copied in. */
  copied: boolean;
}

/**
 * The people on one message. Inbound: the sender and anyone copied are the customer's side; the
 * To: line is the inbox. Outbound: the teammate who wrote it; To:/Cc: are the customer's side and
 * From: is the inbox's address.
 */
export function messagePeople(message: FrontMessage): MessagePerson[] {
  const people: MessagePerson[] = [];
  const inbound = message.is_inbound === true;
  for (const recipient of Array.isArray(message.recipients) ? message.recipients : []) {
    const handle = oneLine(recipient?.handle);
    const role = typeof recipient?.role === 'string' ? recipient.role : '';
    if (!handle) continue;
    const copied = role === 'cc' || role === 'bcc';
    const customerSide = inbound ? role === 'from' || copied : role === 'to' || copied;
    if (customerSide) people.push({ name: oneLine(recipient?.name) || null, handle, side: 'customer', copied });
  }
  const author = textAuthorOf(message);
  if (author?.role === 'teammate' && author.handle) people.push({ name: author.name, handle: author.handle, side: 'teammate', copied: false });
  return people;
}

/** The writer of a message: the sender of an inbound one, the teammate (else the sending address) of an outbound one. */
export function textAuthorOf(message: FrontMessage): TextAuthor | null {
  const recipients = Array.isArray(message.recipients) ? message.recipients : [];
  const from = recipients.find((r) => r?.role === 'from');
  const fromPerson = from ? { name: oneLine(from.name) || null, handle: oneLine(from.handle) || null } : null;
  if (message.is_inbound === true) return fromPerson ? { role: 'customer', ...fromPerson } : null;
  const author = mapAssignee(message.author);
  if (author) return { role: 'teammate', name: teammateName(message.author), handle: author.email || null };
  return fromPerson ? { role: 'teammate', ...fromPerson } : null;
}

/**
 * Requester first, then copied or other customer addresses (role cc), then teammates (the
 * assignee, message authors); each address once (case-insensitive), in the first role it has.
 */
export function mapParticipants(conversation: Partial<FrontConversation>, messages: readonly (readonly MessagePerson[])[]): Participant[] {
  const out: Participant[] = [];
  const seen = new Set<string>();
  const add = (name: string | null, handle: string | null | undefined, role: Participant['role']) => {
    const key = handle?.toLowerCase();
    if (!handle || !key || seen.has(key)) return;
    seen.add(key);
    out.push({ name, handle, role });
  };
  const requester = mapRequester(conversation.recipient);
  add(requester?.name ?? null, requester?.handle, 'requester');
  const people = messages.flat();
  for (const person of people) if (person.side === 'customer') add(person.name, person.handle, 'cc');
  const assignee = mapAssignee(conversation.assignee);
  if (assignee) add(assignee.name, assignee.email || null, 'teammate');
  for (const person of people) if (person.side === 'teammate') add(person.name, person.handle, 'teammate');
  return out;
}
