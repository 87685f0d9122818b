// Control-API changes to the workspace. Each one writes the events Front would write, stamped with
// the sandbox clock, and moves the conversation's updated_at to the newest of them. No-op changes
// (tagging an already tagged conversation, archiving an archived one) write nothing.

import { UsageError } from '../errors.js';
import { explicitContent } from './content.js';
import type { LiveWorkspace } from './live-workspace.js';
import {
  type Contact,
  type Conversation,
  type ConversationState,
  type EventSource,
  type EventTarget,
  type EventType,
  type FrontEventRecord,
  type Message,
  type Teammate,
  withMessage,
} from './model.js';
import type { Random } from './random.js';
import type { ControlStatus, NewConversation, NewMessage } from './types.js';
import { SUBJECTS } from './vocabulary.js';
import { itemAt } from '../shared/item-at.js';

const API: EventSource = { kind: 'api' };
const STATUSES: readonly ControlStatus[] = ['archived', 'open', 'deleted', 'spam'];

export class Mutations {
  constructor(
    private readonly ws: LiveWorkspace,
    private readonly rng: Random,
    private readonly onEvents: (events: FrontEventRecord[]) => void,
  ) {}

  addConversation(spec: NewConversation = {}): string {
    const inbox = spec.inbox === undefined ? this.ws.inboxes.find((i) => !i.isPrivate) ?? itemAt(this.ws.inboxes, 0) : this.inboxOf(spec.inbox);
    const assignee = spec.assignee ? this.teammateOf(spec.assignee) : null;
    const at = this.ws.stamp();
    const conversation: Conversation = {
      id: this.ws.newConversationId(),
      subject: spec.subject ?? this.rng.pick(SUBJECTS).replace('{n}', String(this.rng.int(1000, 99999))),
      recipient: this.recipientOf(spec.recipient),
      extras: { customFields: { ...(spec.customFields ?? {}) }, ticketIds: [...(spec.ticketIds ?? [])], links: [] },
      createdMs: at,
      messages: [],
      state: { status: 'open', assignee: null, tags: [], inbox, updatedMs: at, lastMessage: null, waitingSinceMs: null },
    };
    this.ws.addConversation(conversation);
    const drafts: NewMessage[] =
      typeof spec.messages === 'number' || spec.messages === undefined
        ? Array.from({ length: spec.messages ?? 1 }, (_, i) => ({ inbound: i % 2 === 0 }))
        : spec.messages;
    const events: FrontEventRecord[] = [];
    for (const draft of drafts) events.push(...this.writeMessage(conversation, draft));
    for (const name of spec.tags ?? []) events.push(...this.writeTag(conversation, name, true));
    if (assignee) events.push(...this.writeAssign(conversation, assignee));
    if (spec.status) events.push(...this.writeStatus(conversation, spec.status));
    this.onEvents(events);
    return conversation.id;
  }

  addMessage(conversationId: string, draft: NewMessage = {}): string {
    const conversation = this.conversationOf(conversationId);
    const events = this.writeMessage(conversation, draft);
    this.onEvents(events);
    return (itemAt(events, 0).target as { message: Message }).message.id;
  }

  setStatus(conversationId: string, status: ControlStatus): void {
    if (!STATUSES.includes(status)) throw new UsageError(`setStatus: status must be one of ${STATUSES.join(', ')}`);
    this.onEvents(this.writeStatus(this.conversationOf(conversationId), status));
  }

  tag(conversationId: string, tagName: string): void {
    this.onEvents(this.writeTag(this.conversationOf(conversationId), tagName, true));
  }

  untag(conversationId: string, tagName: string): void {
    this.onEvents(this.writeTag(this.conversationOf(conversationId), tagName, false));
  }

  assign(conversationId: string, teammateId: string | null): void {
    const conversation = this.conversationOf(conversationId);
    this.onEvents(this.writeAssign(conversation, teammateId === null ? null : this.teammateOf(teammateId)));
  }

  setMessageBody(messageId: string, body: string, text?: string): void {
    const message = this.ws.message(messageId);
    if (!message) throw new UsageError(`setMessageBody: no message ${messageId}`);
    if (typeof body !== 'string') throw new UsageError('setMessageBody: body must be a string');
    message.content = explicitContent({ body, text });
    this.ws.touch();
  }

  setTags(conversationId: string, names: string[]): void {
    const conversation = this.conversationOf(conversationId);
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) throw new UsageError('setTags: tag names must be strings');
    const byName = new Map(this.ws.tags.map((t) => [t.name, t]));
    const tags = names.map((name) => byName.get(name) ?? this.ws.createTag(name));
    conversation.state = { ...conversation.state, tags };
    this.ws.touch();
  }

  private writeMessage(conversation: Conversation, draft: NewMessage): FrontEventRecord[] {
    const before = conversation.state;
    const inbound = draft.inbound ?? true;
    const author = inbound ? null : (before.assignee ?? itemAt(this.ws.teammates, 0));
    const at = this.ws.stamp();
    const message: Message = {
      id: '',
      conversation,
      createdMs: at,
      inbound,
      author,
      from: conversation.recipient ?? { id: this.ws.newContactId(), name: null, handle: 'unknown@notifications.example' },
      repliedTo: before.lastMessage,
      contentSeed: this.rng.int(0, 2 ** 31),
      content: draft.body === undefined && draft.text === undefined ? null : explicitContent(draft),
    };
    this.ws.addMessage(message);
    const type: EventType = inbound ? 'inbound' : before.lastMessage ? 'out_reply' : 'outbound';
    const source: EventSource = author ? { kind: 'teammate', teammate: author } : { kind: 'inbox', inbox: before.inbox };
    const events = [this.ws.record(conversation, type, withMessage(before, message, at), source, { kind: 'message', message })];
    // Front moves an archived conversation back to open when the customer writes again.
    if (inbound && before.status === 'archived') events.push(this.change(conversation, 'reopen', { status: 'open' }, null));
    return events;
  }

  private writeStatus(conversation: Conversation, status: ControlStatus): FrontEventRecord[] {
    const current = conversation.state.status;
    if (current === status) return [];
    const type: EventType =
      status === 'archived' ? 'archive' : status === 'open' ? (current === 'archived' ? 'reopen' : 'restore') : 'trash';
    return [this.change(conversation, type, { status }, null)];
  }

  private writeTag(conversation: Conversation, name: string, add: boolean): FrontEventRecord[] {
    const tags = conversation.state.tags;
    const existing = this.ws.tag(name);
    if (!add) {
      if (!existing || !tags.includes(existing)) return [];
      return [this.change(conversation, 'untag', { tags: tags.filter((t) => t !== existing) }, { kind: 'tag', tag: existing })];
    }
    const tag = existing ?? this.ws.createTag(name);
    if (tags.includes(tag)) return [];
    return [this.change(conversation, 'tag', { tags: [...tags, tag] }, { kind: 'tag', tag })];
  }

  private writeAssign(conversation: Conversation, teammate: Teammate | null): FrontEventRecord[] {
    const previous = conversation.state.assignee;
    if (teammate === null) return previous === null ? [] : [this.change(conversation, 'unassign', { assignee: null }, { kind: 'teammate', teammate: previous })];
    if (previous === teammate) return [];
    return [this.change(conversation, 'assign', { assignee: teammate }, { kind: 'teammate', teammate })];
  }

  private change(
    conversation: Conversation,
    type: EventType,
    patch: Partial<ConversationState>,
    target: EventTarget | null,
  ): FrontEventRecord {
    const state: ConversationState = { ...conversation.state, ...patch, updatedMs: this.ws.stamp() };
    return this.ws.record(conversation, type, state, API, target);
  }

  private conversationOf(id: string): Conversation {
    const conversation = this.ws.conversation(id);
    if (!conversation) throw new UsageError(`no conversation ${id}`);
    return conversation;
  }

  private teammateOf(id: string): Teammate {
    const teammate = this.ws.teammate(id);
    if (!teammate) throw new UsageError(`no teammate ${id}`);
    return teammate;
  }

  private inboxOf(idOrName: string) {
    const inbox = this.ws.inbox(idOrName) ?? this.ws.inboxes.find((i) => i.name === idOrName);
    if (!inbox) throw new UsageError(`no inbox ${idOrName}`);
    return inbox;
  }

  private recipientOf(spec: NewConversation['recipient']): Contact | null {
    if (spec === null) return null;
    if (spec === undefined) return this.rng.pick(this.ws.contacts);
    const contact: Contact = { id: this.ws.newContactId(), name: spec.name ?? null, handle: spec.handle };
    this.ws.contacts.push(contact);
    return contact;
  }
}
