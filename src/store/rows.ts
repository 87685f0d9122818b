// Rows as both backends read them (same tables, same columns) and the records they become.

import { decodeHighlight } from './stored-highlight.js';
import type {
  ConversationFacts,
  ConversationSnapshot,
  DestinationTotals,
  FullEventData,
  NewWebhookEvent,
  RunRecord,
  StoredConversation,
  StoredMessage,
  WebhookEventRow,
} from './types.js';

export interface RunRow {
  /** PostgreSQL hands bigint ids over as strings. */
  id: number | string;
  command: string;
  args: string;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
  exit_code: number | null;
  error: string | null;
  counts: string;
  requests: string;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: Number(row.id),
    command: row.command,
    args: JSON.parse(row.args) as Record<string, unknown>,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    exitCode: row.exit_code,
    error: row.error,
    counts: JSON.parse(row.counts) as Record<string, number>,
    requests: JSON.parse(row.requests) as Record<string, unknown>,
  };
}

export interface SnapshotRow {
  conversation_id: string;
  version: string;
  facts: string | null;
  front_updated_at: number | null;
  last_message: string | null;
  /** The stored Highlight's status, read out of its payload (each backend has its own JSON path syntax). */
  status: string | null;
}

/** Every column of a snapshot but `status`, which the backend's query adds. */
export const SNAPSHOT_COLUMNS = 'conversation_id, version, facts, front_updated_at, last_message';

export function toSnapshot(row: SnapshotRow): ConversationSnapshot {
  const lastMessage = row.last_message === null ? null : (JSON.parse(row.last_message) as StoredMessage);
  return {
    conversationId: row.conversation_id,
    version: row.version,
    // The stored message is the latest one (pipeline/prepare.ts), so its id is the row's last message id.
    lastMessageId: lastMessage?.id ?? null,
    frontUpdatedAt: row.front_updated_at,
    lastMessage,
    status: row.status,
    inboxes: row.facts === null ? null : (JSON.parse(row.facts) as ConversationFacts).inboxes,
  };
}

/** The conversation columns a stored conversation (replay, a new subscription) is rebuilt from. */
export const STORED_COLUMNS = 'conversation_id, version, payload, facts, last_message, front_updated_at';

export interface StoredRow {
  conversation_id: string;
  version: string;
  payload: string;
  facts: string | null;
  last_message: string | null;
  front_updated_at: number | null;
  /** Read for a destination only: its delivery row's version. */
  delivery_version?: string | null;
}

/** The version `destination`'s delivery row holds for the conversation row in the same query (`dest`: the backend's expression of its number). */
export function deliveryVersionColumn(dest: string): string {
  return `(SELECT d.version FROM deliveries d WHERE d.destination_id = ${dest} AND d.conversation_id = conversations.conversation_id) AS delivery_version`;
}

export function toStoredConversation(row: StoredRow): StoredConversation {
  const lastMessage = row.last_message === null ? null : (JSON.parse(row.last_message) as StoredMessage);
  return {
    highlight: decodeHighlight(row.payload, row.conversation_id, row.version, lastMessage),
    facts: row.facts === null ? null : (JSON.parse(row.facts) as ConversationFacts),
    frontUpdatedAt: row.front_updated_at,
    lastMessage,
    ...(row.delivery_version === undefined ? {} : { deliveryVersion: row.delivery_version }),
  };
}

/** A delivery row's state column. */
export const DELIVERY_STATE = { pending: 0, delivered: 1, refused: 2 } as const;

/**
 * The SET list that queues a new version on a delivery row (both backends; the values are the
 * backend's placeholders): pending, unless it is the version the destination already has (a change
 * and back), which makes the row delivered again. Every right-hand side reads the row as it was.
 */
export function requeueSet(version: string, now: string, seq: string): string {
  // Qualified: in PostgreSQL's ON CONFLICT the bare names would also be the proposed row's.
  const row = (column: string) => `deliveries.${column}`;
  const had = `(CASE WHEN ${row('state')} = ${DELIVERY_STATE.delivered} THEN ${row('version')} ELSE ${row('delivered_version')} END)`;
  const back = `${version} = ${had}`;
  return `version = ${version}, state = CASE WHEN ${back} THEN ${DELIVERY_STATE.delivered} ELSE ${DELIVERY_STATE.pending} END,
    at = CASE WHEN ${back} AND ${row('state')} = ${DELIVERY_STATE.delivered} THEN ${row('at')} ELSE ${now} END, pending_seq = ${seq},
    attempts = 0, last_error = NULL,
    delivered_version = CASE WHEN ${back} THEN NULL ELSE ${had} END`;
}

/**
 * What a delivery row becomes when a version was sent straight from the state (Outbox.sentDirectly),
 * in both backends: updated only where it still holds the version read with the conversation, and
 * created only where there was none then and is none now. A row queued again since holds a newer
 * version and stays as it is. Versions, not times, tell it: another machine's clock cannot misorder them.
 */
export function sentSet(version: string, now: string): string {
  return `version = ${version}, state = ${DELIVERY_STATE.delivered}, at = ${now}, attempts = 0, last_error = NULL, delivered_version = NULL`;
}

/** The Highlight id of a conversation (highlight/map.ts), and back: delivery rows are keyed by conversation. */
const HIGHLIGHT_ID_PREFIX = 'front:';

export function conversationIdOf(highlightId: string): string {
  return highlightId.startsWith(HIGHLIGHT_ID_PREFIX) ? highlightId.slice(HIGHLIGHT_ID_PREFIX.length) : highlightId;
}

/** A refused row as RefusalRow names it: the same text in both backends. */
export const REFUSAL_COLUMNS = `'${HIGHLIGHT_ID_PREFIX}' || conversation_id AS id, version, last_error AS error, attempts, at AS refused_at`;

/** How many refused items `totals` lists, newest first. */
export const MAX_LISTED_REFUSALS = 20;

/** Ordered newest first, then by pending order: the same text in both backends. */
export const REFUSALS_ORDER = 'ORDER BY at DESC, pending_seq DESC';

export interface RefusalRow {
  id: string;
  version: string;
  error: string | null;
  attempts: number;
  refused_at: string | null;
}

/** One destination's counts, as both backends' totals query names them. */
export interface DestinationCountsRow {
  highlights: number;
  delivered: number;
  refused: number;
  pending: number;
  last: string | null;
}

export function toDestinationTotals(destination: string, t: DestinationCountsRow, refusals: readonly RefusalRow[]): DestinationTotals {
  return {
    destination,
    highlights: t.highlights,
    delivered: t.delivered,
    pending: t.pending,
    refused: t.refused,
    refusals: refusals.map(toRefusal),
    lastDeliveryAt: t.last,
  };
}

export function toRefusal(r: RefusalRow): DestinationTotals['refusals'][number] {
  return { id: r.id, version: r.version, error: r.error ?? '', attempts: r.attempts, refusedAt: r.refused_at };
}

type Inbox = { id: string; name: string };

/**
 * A staged message's `inbox` column: every inbox lane that showed the conversation, as a JSON list;
 * rows written before several lanes were kept hold one inbox object or null.
 */
export function inboxesOf(column: string | null): Inbox[] {
  if (column === null) return [];
  const parsed = JSON.parse(column) as Inbox | Inbox[] | null;
  return parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed];
}

/** `inboxes` with `more` appended where not yet there (by id), in the order first seen. */
export function withInboxes(inboxes: readonly Inbox[], more: readonly Inbox[]): Inbox[] {
  return [...inboxes, ...more].filter((inbox, n, all) => all.findIndex((i) => i.id === inbox.id) === n);
}

export interface WebhookEventTableRow {
  event_id: string;
  type: string;
  conversation_id: string | null;
  received_at: string;
  attempts: number;
  emitted_at: number | null;
  full_event: string | null;
}

/** The columns a queued event is read from. */
export const WEBHOOK_EVENT_COLUMNS = 'event_id, type, conversation_id, received_at, attempts, emitted_at, full_event';

/**
 * Which queued events `owner` may claim now, as both backends' claim query says it (each passes its
 * own placeholders): unclaimed, expired or already its own, not skipped, and no event of the same
 * conversation under another owner's live claim.
 */
export function claimableEvents(p: { owner: string; now: string; skipped: string }): string {
  return `processed_at IS NULL
    AND (claimed_by IS NULL OR claimed_by = ${p.owner} OR claim_expires_at <= ${p.now})
    AND NOT (${p.skipped})
    AND (conversation_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM webhook_events other
      WHERE other.conversation_id = webhook_events.conversation_id AND other.processed_at IS NULL
        AND other.claimed_by <> ${p.owner} AND other.claim_expires_at > ${p.now}))`;
}

export function toWebhookEvent(row: WebhookEventTableRow): WebhookEventRow {
  return {
    eventId: row.event_id,
    type: row.type,
    conversationId: row.conversation_id,
    receivedAt: row.received_at,
    attempts: row.attempts,
    emittedAt: row.emitted_at,
    full: row.full_event === null ? null : (JSON.parse(row.full_event) as FullEventData),
  };
}

/** The full_event column of a new event: the full event data as JSON text, or null. */
export function fullEventText(event: NewWebhookEvent): string | null {
  return event.full ? JSON.stringify(event.full) : null;
}
