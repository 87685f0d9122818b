// The Highlight: front-import's output contract (README "The Highlight", schema version 3).
// Exactly these keys, in this order, are serialised. Versions 2 and 3 only added keys.

export type HighlightStatus = 'open' | 'archived' | 'spam' | 'trashed';
export type HighlightStatusCategory = 'open' | 'waiting' | 'resolved';

export const SCHEMA_VERSION = 3;

/** Which message a Highlight's text comes from (highlights.textFrom). */
export const TEXT_FROM = ['latest', 'latest-inbound', 'first-inbound'] as const;
export type TextFrom = (typeof TEXT_FROM)[number];

/** Who wrote the message the text comes from. */
export interface TextAuthor {
  role: 'customer' | 'teammate';
  name: string | null;
  handle: string | null;
}

export interface Participant {
  name: string | null;
  handle: string;
  role: 'requester' | 'cc' | 'teammate';
}

/** A custom field's value as Front types it (enum and string fields are strings, datetimes unix seconds). */
export type CustomFieldValue = string | number | boolean | null;

/** A link on the conversation (a Jira, Linear or GitHub issue, …). */
export interface HighlightLink {
  name: string;
  url: string;
}

export interface Highlight {
  /** "front:cnv_123": stable dedupe key. */
  id: string;
  /** Hex digest of the content fields; changes iff the content changes. */
  version: string;
  schemaVersion: typeof SCHEMA_VERSION;
  source: 'front';
  conversationId: string;
  title: string;
  text: string;
  /** True when text was cut to maxTextLength (at a word boundary, ending with "…"). */
  textTruncated: boolean;
  textAuthor: TextAuthor | null;
  requester: { name: string | null; handle: string } | null;
  assignee: { id: string; name: string; email: string } | null;
  participants: Participant[];
  status: HighlightStatus;
  /** The ticketing status's name (GET /company/statuses); null without ticketing. */
  statusName: string | null;
  statusCategory: HighlightStatusCategory | null;
  tags: string[];
  labels: string[];
  /** Schema 3: the conversation's custom fields, name -> value, names sorted. */
  customFields: Record<string, CustomFieldValue>;
  /** Schema 3: Front's ticket ids ("TICKET-123"). */
  ticketIds: string[];
  /** Schema 3: linked issues, with their external URL. */
  links: HighlightLink[];
  /** Schema 3: names of the Front teams owning the inboxes the run saw it in, sorted ([] when unknown). */
  team: string[];
  /** Schema 3: ISO 639-1 code of the text's language; null when the text is too short to tell. */
  language: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  sourceUrl: string;
}

export interface LabelRule {
  when: { tag?: string; status?: string; inbox?: string; customField?: Record<string, CustomFieldValue>; language?: string };
  label: string;
}

export interface MappingOptions {
  maxTextLength: number;
  labelRules: LabelRule[];
  /** Names and ids of the inboxes the conversation is in, for `inbox` label rules. */
  inboxes?: { id: string; name: string }[];
  /** The text's language (language.ts, loaded by the caller); without it `language` is null. */
  detectLanguage?: (text: string) => string | null;
}
