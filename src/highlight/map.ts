import type { FrontConversation } from '../front/types.js';
import { mapCustomFields, mapLinks, mapTicketIds } from './front-fields.js';
import { applyLabelRules } from './labels.js';
import { oneLine } from './one-line.js';
import { sourceUrlOf } from './source-url.js';
import { mapParticipants, type MessagePerson } from './participants.js';
import { mapAssignee, mapRequester } from './people.js';
import { mapStatus, mapStatusCategory } from './status.js';
import { unixSecondsToIso } from './timestamps.js';
import { deriveTitle } from './title.js';
import { truncateAtWord } from './truncate.js';
import { SCHEMA_VERSION, type Highlight, type MappingOptions, type TextAuthor } from './types.js';
import { highlightVersion, type HighlightContent } from './version.js';

/** A message as the mapper reads it (the store's StoredMessage); `text` already from messageToText. */
export interface MappedMessage {
  id: string;
  createdAt: number | null;
  text: string;
  author?: TextAuthor | null;
  people?: MessagePerson[];
}

export interface MapInput {
  conversation: FrontConversation;
  /** The latest message: lastMessageAt, and the text unless textMessage is given. */
  lastMessage: MappedMessage | null;
  /** The message the text comes from (highlights.textFrom), when it is not the latest. */
  textMessage?: MappedMessage | null;
  /** The name of the conversation's ticketing status (status_id), null without ticketing. */
  statusName?: string | null;
  /** Names of the Front teams owning the inboxes it was seen in (schema 3 `team`). */
  teams?: readonly string[];
}

export type MapResult =
  | { ok: true; highlight: Highlight; warnings: string[] }
  | { ok: false; reason: string };

/**
 * Front conversation + latest message -> Highlight. Pure, and total over hostile input: any shape
 * Front (or a corrupted store) may hand over gives a Highlight, possibly with warnings, or a reason
 * it cannot be mapped; it never throws.
 */
export function mapHighlight(input: MapInput, opts: MappingOptions): MapResult {
  const conversation: Partial<FrontConversation> = input.conversation ?? {};
  const conversationId = typeof conversation.id === 'string' ? conversation.id.trim() : '';
  if (!conversationId) return { ok: false, reason: 'conversation has no id' };

  const lastMessage = input.lastMessage ?? null;
  const times = resolveTimes(conversation, lastMessage?.createdAt);
  if (!times.ok) return times;

  const warnings = [...times.warnings];
  const status = mapStatus(conversation.status);
  const statusCategory = mapStatusCategory(conversation.status_category);
  for (const { warning } of [status, statusCategory]) if (warning) warnings.push(warning);

  const textMessage = input.textMessage ?? lastMessage;
  const fullText = typeof textMessage?.text === 'string' ? textMessage.text : '';
  const text = truncateAtWord(fullText, opts.maxTextLength);
  const tags = tagNames(conversation.tags);
  const customFields = mapCustomFields(conversation.custom_fields);
  const language = opts.detectLanguage?.(text) ?? null;
  const content: HighlightContent = {
    schemaVersion: SCHEMA_VERSION,
    title: deriveTitle(conversation.subject, fullText),
    text,
    textTruncated: text !== fullText,
    textAuthor: textMessage?.author ?? null,
    requester: mapRequester(conversation.recipient),
    assignee: mapAssignee(conversation.assignee),
    participants: mapParticipants(conversation, [lastMessage?.people ?? [], textMessage?.people ?? []]),
    status: status.value,
    statusName: typeof input.statusName === 'string' && input.statusName ? input.statusName : null,
    statusCategory: statusCategory.value,
    tags,
    labels: applyLabelRules(opts.labelRules, {
      tags,
      status: status.value,
      frontStatus: typeof conversation.status === 'string' ? conversation.status : null,
      inboxes: opts.inboxes ?? [],
      customFields,
      language,
    }),
    customFields,
    ticketIds: mapTicketIds(conversation.ticket_ids),
    links: mapLinks(conversation.links),
    team: [...new Set((input.teams ?? []).filter((t) => typeof t === 'string' && t))].sort(),
    language,
    createdAt: times.createdAt,
    lastMessageAt: times.lastMessageAt,
  };

  const highlight: Highlight = {
    id: `front:${conversationId}`,
    version: highlightVersion(content),
    schemaVersion: content.schemaVersion,
    source: 'front',
    conversationId,
    title: content.title,
    text: content.text,
    textTruncated: content.textTruncated,
    textAuthor: content.textAuthor,
    requester: content.requester,
    assignee: content.assignee,
    participants: content.participants,
    status: content.status,
    statusName: content.statusName,
    statusCategory: content.statusCategory,
    tags: content.tags,
    labels: content.labels,
    customFields: content.customFields,
    ticketIds: content.ticketIds,
    links: content.links,
    team: content.team,
    language: content.language,
    createdAt: content.createdAt,
    updatedAt: times.updatedAt,
    lastMessageAt: content.lastMessageAt,
    sourceUrl: sourceUrlOf(conversationId),
  };
  return { ok: true, highlight, warnings };
}

type Times =
  | { ok: true; createdAt: string; updatedAt: string; lastMessageAt: string | null; warnings: string[] }
  | { ok: false; reason: string };

/**
 * createdAt: created_at, else the last message's time, else updated_at (with a warning; conversation
 * listings sometimes omit created_at). updatedAt: updated_at, else the later of the other two.
 * Unusable numbers (non-finite, absurd) count as missing; with no usable time at all the conversation
 * cannot be placed on a timeline and is not mapped.
 */
function resolveTimes(conversation: Partial<FrontConversation>, messageCreatedAt: unknown): Times {
  const created = unixSecondsToIso(conversation.created_at);
  const updated = unixSecondsToIso(conversation.updated_at);
  const lastMessageAt = unixSecondsToIso(messageCreatedAt);
  const createdAt = created ?? lastMessageAt ?? updated;
  if (!createdAt) {
    return { ok: false, reason: 'conversation has no usable created_at, updated_at or last message time' };
  }
  const warnings = created
    ? []
    : [`created_at missing or invalid; used the ${lastMessageAt ? "last message's time" : 'updated_at'}`];
  const latest = lastMessageAt && lastMessageAt > createdAt ? lastMessageAt : createdAt;
  return { ok: true, createdAt, updatedAt: updated ?? latest, lastMessageAt, warnings };
}

/** Tidied like every other text field: a tag name is free text in Front, control characters and all. */
function tagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  const names = new Set<string>();
  for (const tag of tags) {
    const name = oneLine(tag?.name);
    if (name) names.add(name);
  }
  return [...names].sort();
}
