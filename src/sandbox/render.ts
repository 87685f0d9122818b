// Model records -> Front Core API JSON (core-api.json: ConversationResponse, MessageResponse,
// EventResponse, ...). Every field the spec marks required is present; optional ones the spec types
// as non-nullable (waiting_since, text) are left out rather than sent as null.

import { generatedContent } from './content.js';
import { CUSTOM_FIELDS, teamOfInbox, type Team } from './extras.js';
import {
  type Contact,
  type Conversation,
  type ConversationState,
  type EventSource,
  type EventTarget,
  type FrontEventRecord,
  type Inbox,
  type Message,
  type MessageContent,
  type Tag,
  type Teammate,
  apiStatusOf,
  statusCategoryOf,
} from './model.js';
import type {
  EventResponse,
  IdentityResponse,
  Page,
  RecipientResponse,
  StatusResponse,
  TagResponse,
  TeammateResponse,
  TeamPreviewResponse,
  TeamResponse,
  CustomFieldResponse,
} from '../front-api/index.js';
import type { ServedConversation, ServedEvent, ServedInbox, ServedMessage } from './served.js';

/** With ticketing on, conversations carry a status id per category; one name is custom, as Front allows. */
const TICKET_STATUSES: Record<NonNullable<StatusResponse['category']>, { id: string; name: string; description: string | null }> = {
  open: { id: 'sts_1a', name: 'Open', description: 'New or being worked on' },
  waiting: { id: 'sts_1b', name: 'Waiting on customer', description: 'Replied, waiting for the customer' },
  resolved: { id: 'sts_1c', name: 'Resolved', description: null },
};

export const seconds = (ms: number): number => ms / 1000;

export class Renderer {
  private readonly cache = new WeakMap<object, object>();

  constructor(
    private readonly base: string,
    readonly ticketing = true,
  ) {}

  /** GET /company/statuses: StatusResponse items. */
  statuses(): StatusResponse[] {
    return (Object.keys(TICKET_STATUSES) as (keyof typeof TICKET_STATUSES)[]).map((category) => ({ category, s: TICKET_STATUSES[category] })).map(({ category, s }) => ({
      _links: { self: `${this.base}/company/statuses/${s.id}` },
      id: s.id,
      name: s.name,
      category,
      description: s.description,
      created_at: 1682538996.583,
      updated_at: 1699575875.186,
    }));
  }

  identity(company: { id: string; name: string }): IdentityResponse {
    return { _links: { self: `${this.base}/me` }, id: company.id, name: company.name };
  }

  inbox(inbox: Inbox): ServedInbox {
    return this.cached(inbox, (): ServedInbox => {
      const self = `${this.base}/inboxes/${inbox.id}`;
      const team = teamOfInbox(inbox);
      return {
        _links: {
          self,
          related: {
            teammates: `${self}/teammates`,
            conversations: `${self}/conversations`,
            channels: `${self}/channels`,
            // A team's inbox links to its team, as Front's do; the private one to the company.
            owner: team ? `${this.base}/teams/${team.id}` : `${this.base}/company`,
          },
        },
        id: inbox.id,
        name: inbox.name,
        is_private: inbox.isPrivate,
        is_public: !inbox.isPrivate,
        custom_fields: {},
      };
    });
  }

  /** GET /teams items (TeamPreviewResponse). */
  teamPreview(team: Team): TeamPreviewResponse {
    return { _links: { self: `${this.base}/teams/${team.id}` }, id: team.id, name: team.name };
  }

  /** GET /teams/{id} (TeamResponse): its inboxes and members. */
  team(team: Team, inboxes: readonly Inbox[], members: readonly Teammate[]): TeamResponse {
    return { ...this.teamPreview(team), inboxes: inboxes.filter((i) => teamOfInbox(i)?.id === team.id).map((i) => this.inbox(i)), members: members.map((m) => this.teammate(m)) };
  }

  /** GET /conversations/custom_fields (CustomFieldResponse items). */
  customFields(): CustomFieldResponse[] {
    return CUSTOM_FIELDS.map((f) => ({
      _links: { self: `${this.base}/custom_fields/${f.id}` },
      id: f.id,
      name: f.name,
      description: f.description,
      type: f.type,
      ...(f.values ? { values: f.values.map((value) => ({ value, label: value })) } : {}),
    }));
  }

  teammate(teammate: Teammate): TeammateResponse {
    return this.cached(teammate, (): TeammateResponse => {
      const self = `${this.base}/teammates/${teammate.id}`;
      return {
        _links: { self, related: { inboxes: `${self}/inboxes`, conversations: `${self}/conversations` } },
        id: teammate.id,
        email: teammate.email,
        username: teammate.username,
        first_name: teammate.firstName,
        last_name: teammate.lastName,
        is_admin: teammate.isAdmin,
        is_available: true,
        is_blocked: false,
        type: 'user',
        custom_fields: {},
      };
    });
  }

  tag(tag: Tag): TagResponse {
    return this.cached(tag, (): TagResponse => {
      const self = `${this.base}/tags/${tag.id}`;
      return {
        _links: { self, related: { conversations: `${self}/conversations`, owner: null, parent_tag: null, children: null } },
        id: tag.id,
        name: tag.name,
        description: null,
        highlight: tag.highlight,
        is_private: false,
        is_visible_in_conversation_lists: true,
        created_at: seconds(tag.createdMs),
        updated_at: seconds(tag.createdMs),
      };
    });
  }

  conversation(conversation: Conversation, state: ConversationState): ServedConversation {
    const self = `${this.base}/conversations/${conversation.id}`;
    const related: Record<string, string> = {
      events: `${self}/events`,
      followers: `${self}/followers`,
      messages: `${self}/messages`,
      comments: `${self}/comments`,
      inboxes: `${self}/inboxes`,
    };
    if (state.lastMessage) related.last_message = `${this.base}/messages/${state.lastMessage.id}`;
    const category = statusCategoryOf(state);
    return {
      _links: { self, related },
      id: conversation.id,
      type: 'conversation',
      subject: conversation.subject,
      status: apiStatusOf(state),
      ...(this.ticketing ? { status_id: TICKET_STATUSES[category].id, status_category: category } : {}),
      ticket_ids: [...(conversation.extras?.ticketIds ?? [])],
      assignee: state.assignee ? this.teammate(state.assignee) : null,
      recipient: conversation.recipient ? this.contact(conversation.recipient, 'from') : null,
      tags: state.tags.map((t) => this.tag(t)),
      links: (conversation.extras?.links ?? []).map((l) => ({
        _links: { self: `${this.base}/links/${l.id}` },
        id: l.id,
        name: l.name,
        type: l.type,
        external_url: l.url,
        custom_fields: {},
      })),
      custom_fields: { ...(conversation.extras?.customFields ?? {}) },
      created_at: seconds(conversation.createdMs),
      updated_at: seconds(state.updatedMs),
      ...(state.waitingSinceMs !== null ? { waiting_since: seconds(state.waitingSinceMs) } : {}),
      is_private: state.inbox.isPrivate,
      scheduled_reminders: [],
      metadata: {},
    };
  }

  message(message: Message): ServedMessage {
    const conversation = message.conversation;
    const content = contentOf(message);
    const related: Record<string, string> = { conversation: `${this.base}/conversations/${conversation.id}` };
    if (message.repliedTo) related.message_replied_to = `${this.base}/messages/${message.repliedTo.id}`;
    const first = conversation.messages[0] === message;
    return {
      _links: { self: `${this.base}/messages/${message.id}`, related },
      id: message.id,
      message_uid: Buffer.from(message.id).toString('hex'),
      type: 'email',
      is_inbound: message.inbound,
      draft_mode: null,
      created_at: seconds(message.createdMs),
      subject: first || !conversation.subject ? conversation.subject : `Re: ${conversation.subject}`,
      blurb: content.blurb,
      author: message.author ? this.teammate(message.author) : null,
      recipients: this.recipients(message),
      body: content.body,
      ...(content.text !== undefined ? { text: content.text } : {}),
      attachments: [],
      metadata: {},
    };
  }

  event(event: FrontEventRecord, snapshot: 'event-time' | 'read-time'): ServedEvent {
    const state = snapshot === 'event-time' ? event.state : event.conversation.state;
    const target = event.target ? this.target(event.target) : undefined;
    return {
      _links: { self: `${this.base}/events/${event.id}` },
      id: event.id,
      type: event.type,
      emitted_at: seconds(event.emittedMs),
      source: this.source(event.source),
      ...(target ? { target } : {}),
      conversation: this.conversation(event.conversation, state),
    };
  }

  /** The application-webhook preview of an event: ids and links, no bodies. */
  eventPreview(event: FrontEventRecord): Pick<EventResponse, '_links' | 'id' | 'type' | 'emitted_at'> & { conversation: Pick<ServedConversation, 'id' | '_links'> } {
    const full = this.conversation(event.conversation, event.state);
    return {
      _links: { self: `${this.base}/events/${event.id}` },
      id: event.id,
      type: event.type,
      emitted_at: seconds(event.emittedMs),
      conversation: { id: event.conversation.id, _links: full._links },
    };
  }

  list<T>(self: string, results: T[], next: string | null, total?: number): Page<T> {
    return {
      _pagination: { next },
      _links: { self },
      _results: results,
      ...(total !== undefined ? { _total: total } : {}),
    };
  }

  private contact(contact: Contact, role: 'from' | 'to' | 'cc'): RecipientResponse {
    return { _links: { related: { contact: `${this.base}/contacts/${contact.id}` } }, name: contact.name, handle: contact.handle, role };
  }

  private address(inbox: Inbox, name: string, role: 'from' | 'to'): RecipientResponse {
    return { _links: { related: { contact: null } }, name, handle: inbox.address, role };
  }

  private recipients(message: Message): RecipientResponse[] {
    const inbox = message.conversation.state.inbox;
    if (message.inbound) {
      const copied = colleagueOf(message);
      return [this.contact(message.from, 'from'), this.address(inbox, inbox.name, 'to'), ...(copied ? [this.contact(copied, 'cc')] : [])];
    }
    const author = message.author;
    const sender = author ? `${author.firstName} ${author.lastName}` : inbox.name;
    return [this.address(inbox, sender, 'from'), this.contact(message.conversation.recipient ?? message.from, 'to')];
  }

  private source(source: EventSource): NonNullable<EventResponse['source']> {
    switch (source.kind) {
      case 'inbox':
        return { _meta: { type: 'inboxes' }, data: [this.inbox(source.inbox)] };
      case 'teammate':
        return { _meta: { type: 'teammate' }, data: this.teammate(source.teammate) };
      case 'api':
        return { _meta: { type: 'api' } };
    }
  }

  private target(target: EventTarget): NonNullable<EventResponse['target']> {
    switch (target.kind) {
      case 'message':
        return { _meta: { type: 'message' }, data: this.message(target.message) };
      case 'tag':
        return { _meta: { type: 'tag' }, data: this.tag(target.tag) };
      case 'teammate':
        return { _meta: { type: 'teammate' }, data: this.teammate(target.teammate) };
      case 'inbox':
        return { _meta: { type: 'inboxes' }, data: this.inbox(target.inbox) };
    }
  }

  private cached<T extends object>(key: object, make: () => T): T {
    let value = this.cache.get(key) as T | undefined;
    if (!value) {
      value = make();
      this.cache.set(key, value);
    }
    return value;
  }
}

/** About one inbound message in five copies in a colleague of the sender, at the sender's domain. */
function colleagueOf(message: Message): Contact | null {
  if (message.contentSeed % 5 !== 0) return null;
  const domain = message.from.handle.split('@')[1] ?? 'example.com';
  const n = message.contentSeed % 97;
  return { id: `crd_cc${n}`, name: `Colleague ${n}`, handle: `colleague${n}@${domain}` };
}

export function contentOf(message: Message): MessageContent {
  return message.content ?? generatedContent(message);
}
