// The running workspace: lookups by id, the activity index (conversations by updated_at, newest
// first) and the append-only event log. Every change goes through `record`, which keeps the event
// log ordered and the activity index sorted, so paging stays keyset-stable while data is appended.

import type { Workspace } from './generate.js';
import {
  type Company,
  type Contact,
  type Conversation,
  type ConversationState,
  type EventSource,
  type EventTarget,
  type EventType,
  type FrontEventRecord,
  type Inbox,
  type Message,
  type Tag,
  type Teammate,
  idNumber,
  makeId,
} from './model.js';
import { itemAt } from '../shared/item-at.js';

/** Newest activity first; ties by id, descending, so the order is total. */
export function compareActivity(a: { updatedMs: number; id: string }, b: { updatedMs: number; id: string }): number {
  return b.updatedMs - a.updatedMs || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
}

export function activityKey(c: Conversation): { updatedMs: number; id: string } {
  return { updatedMs: c.state.updatedMs, id: c.id };
}

/** First index where `pred` holds, for a predicate that is false up to some point and true after. */
export function firstIndex<T>(sorted: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(itemAt(sorted, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class LiveWorkspace {
  readonly company: Company;
  readonly inboxes: readonly Inbox[];
  readonly teammates: readonly Teammate[];
  readonly tags: Tag[];
  readonly contacts: Contact[];
  /** Creation order. */
  readonly conversations: Conversation[];
  /** Ordered by (emittedMs, id); ids are sequential. */
  readonly events: FrontEventRecord[];
  /** Conversations by activity, see compareActivity. */
  readonly byActivity: Conversation[];
  /** Bumped on every change, for caches keyed on the data. */
  version = 0;

  private readonly conversationById = new Map<string, Conversation>();
  private readonly messageById = new Map<string, Message>();
  private readonly inboxById: Map<string, Inbox>;
  private readonly teammateById: Map<string, Teammate>;
  private messageCount = 0;

  constructor(
    ws: Workspace,
    private readonly now: () => number,
  ) {
    this.company = ws.company;
    this.inboxes = ws.inboxes;
    this.teammates = ws.teammates;
    this.tags = ws.tags;
    this.contacts = ws.contacts;
    this.conversations = ws.conversations;
    this.events = ws.events;
    this.inboxById = new Map(ws.inboxes.map((i) => [i.id, i]));
    this.teammateById = new Map(ws.teammates.map((t) => [t.id, t]));
    for (const c of ws.conversations) {
      this.conversationById.set(c.id, c);
      for (const m of c.messages) this.messageById.set(m.id, m);
      this.messageCount += c.messages.length;
    }
    this.byActivity = ws.conversations.slice().sort((a, b) => compareActivity(activityKey(a), activityKey(b)));
  }

  conversation(id: string): Conversation | undefined {
    return this.conversationById.get(id);
  }

  message(id: string): Message | undefined {
    return this.messageById.get(id);
  }

  event(id: string): FrontEventRecord | undefined {
    const seq = idNumber('evt', id);
    return seq === null ? undefined : this.events[seq];
  }

  inbox(id: string): Inbox | undefined {
    return this.inboxById.get(id);
  }

  teammate(id: string): Teammate | undefined {
    return this.teammateById.get(id);
  }

  tag(idOrName: string): Tag | undefined {
    return this.tags.find((t) => t.id === idOrName || t.name === idOrName);
  }

  /** Clock in whole ms, never before the newest event, so appending keeps the log ordered. */
  stamp(): number {
    const newest = this.events[this.events.length - 1]?.emittedMs ?? 0;
    return Math.max(Math.floor(this.now()), newest);
  }

  createTag(name: string): Tag {
    const tag: Tag = { id: makeId('tag', this.tags.length), name, highlight: null, createdMs: this.stamp() };
    this.tags.push(tag);
    this.version++;
    return tag;
  }

  newConversationId(): string {
    return makeId('cnv', this.conversations.length);
  }

  newContactId(): string {
    return makeId('crd', 800_000 + this.contacts.length);
  }

  addConversation(conversation: Conversation): void {
    this.conversations.push(conversation);
    this.conversationById.set(conversation.id, conversation);
    this.reindex(conversation, conversation.state);
    this.version++;
  }

  /** Gives the message its id and makes it the conversation's newest. */
  addMessage(message: Message): void {
    message.id = makeId('msg', this.messageCount++);
    message.conversation.messages.push(message);
    this.messageById.set(message.id, message);
  }

  /** Appends an event and moves the conversation to `state` (whose updatedMs must be the stamp). */
  record(
    conversation: Conversation,
    type: EventType,
    state: ConversationState,
    source: EventSource,
    target: EventTarget | null,
  ): FrontEventRecord {
    const seq = this.events.length;
    const event: FrontEventRecord = {
      seq,
      id: makeId('evt', seq),
      type,
      emittedMs: state.updatedMs,
      conversation,
      state,
      source,
      target,
    };
    this.events.push(event);
    this.reindex(conversation, state);
    this.version++;
    return event;
  }

  touch(): void {
    this.version++;
  }

  /** Deleted for good: gone from listings and lookups (its past events stay in the log). */
  purge(conversation: Conversation): void {
    const key = activityKey(conversation);
    const at = firstIndex(this.byActivity, (c) => compareActivity(activityKey(c), key) >= 0);
    if (this.byActivity[at] === conversation) this.byActivity.splice(at, 1);
    // Stays in `conversations`, whose length numbers new conversations.
    this.conversationById.delete(conversation.id);
    this.version++;
  }

  isPurged(conversation: Conversation): boolean {
    return this.conversationById.get(conversation.id) !== conversation;
  }

  private reindex(conversation: Conversation, state: ConversationState): void {
    const list = this.byActivity;
    const old = activityKey(conversation);
    const at = firstIndex(list, (c) => compareActivity(activityKey(c), old) >= 0);
    if (list[at] === conversation) list.splice(at, 1);
    conversation.state = state;
    const key = activityKey(conversation);
    list.splice(firstIndex(list, (c) => compareActivity(activityKey(c), key) >= 0), 0, conversation);
  }
}
