// The subset of Front Core API shapes front-import reads (see test/fixtures/core-api.json:
// ConversationResponse, MessageResponse, EventResponse, ...). Fields Front may omit or null are
// typed so; the mapper never trusts more than this.

export interface FrontLinks {
  self?: string;
  related?: Record<string, string | null | undefined>;
}

export interface FrontPage<T> {
  _pagination?: { next?: string | null };
  _links?: { self?: string };
  _results: T[];
  _total?: number;
}

export interface FrontIdentity {
  _links?: FrontLinks;
  id: string;
  name: string;
}

export interface FrontInbox {
  _links?: FrontLinks;
  id: string;
  name: string;
  is_private?: boolean;
  is_public?: boolean;
}

export interface FrontTeammate {
  _links?: FrontLinks;
  id: string;
  email?: string | null;
  username?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  is_admin?: boolean;
  is_available?: boolean;
  is_blocked?: boolean;
  type?: string;
}

export interface FrontRecipient {
  _links?: FrontLinks;
  name?: string | null;
  handle?: string | null;
  role?: string;
}

export interface FrontTag {
  _links?: FrontLinks;
  id: string;
  name: string;
  description?: string | null;
  highlight?: string | null;
  is_private?: boolean;
  is_visible_in_conversation_lists?: boolean;
  created_at?: number;
  updated_at?: number;
}

/** GET /teams items (TeamPreviewResponse). */
export interface FrontTeam {
  _links?: FrontLinks;
  id: string;
  name: string;
}

/** GET /conversations/custom_fields items (CustomFieldResponse). */
export interface FrontCustomField {
  _links?: FrontLinks;
  id: string;
  name: string;
  description?: string | null;
  /** string | boolean | datetime | number | teammate | inbox | enum */
  type?: string;
  values?: { value?: string; label?: string }[];
}

/** A ticket status (ticketing on): StatusResponse. */
export interface FrontStatus {
  _links?: FrontLinks;
  id: string;
  name: string;
  category?: string | null;
  description?: string | null;
}

export interface FrontConversation {
  _links?: FrontLinks;
  id: string;
  type?: string;
  subject?: string | null;
  /** assigned | unassigned | archived | deleted; anything else must not crash (e.g. spam). */
  status?: string | null;
  status_id?: string;
  status_category?: string | null;
  ticket_ids?: string[];
  assignee?: FrontTeammate | null;
  recipient?: FrontRecipient | null;
  tags?: FrontTag[] | null;
  /** LinkResponse items: linked issues (name, external_url). */
  links?: { id?: string; name?: string | null; type?: string; external_url?: string | null }[] | null;
  /** CustomFieldParameter: field name -> value, typed as the field is. */
  custom_fields?: Record<string, unknown> | null;
  /** Unix seconds, fractional. */
  created_at?: number | null;
  updated_at?: number | null;
  waiting_since?: number | null;
  is_private?: boolean;
  scheduled_reminders?: unknown[];
  metadata?: Record<string, unknown>;
}

export interface FrontMessage {
  _links?: FrontLinks;
  id: string;
  message_uid?: string;
  type?: string;
  is_inbound?: boolean;
  draft_mode?: string | null;
  created_at?: number | null;
  subject?: string | null;
  blurb?: string | null;
  author?: FrontTeammate | null;
  recipients?: FrontRecipient[] | null;
  /** HTML. */
  body?: string | null;
  /** Plain text; email only. */
  text?: string | null;
  attachments?: unknown[];
  metadata?: Record<string, unknown>;
}

export interface FrontEvent {
  _links?: FrontLinks;
  id: string;
  type: string;
  /** Unix seconds, fractional. Filtering and ordering use this. */
  emitted_at: number;
  source?: { _meta?: { type?: string }; data?: unknown };
  target?: { _meta?: { type?: string }; data?: unknown } | null;
  conversation?: FrontConversation | null;
}

/** Event types that embed a message in `target.data`. */
export const MESSAGE_EVENT_TYPES = ['inbound', 'outbound', 'out_reply'] as const;
/** Id of the conversation's latest message from `_links.related.last_message`, if present. */
export function lastMessageIdOf(conversation: FrontConversation): string | null {
  const link = conversation._links?.related?.last_message;
  if (!link) return null;
  const match = /\/messages\/(msg_[A-Za-z0-9_-]+)/.exec(link);
  return match ? match[1]! : null;
}
