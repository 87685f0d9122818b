// The records the state store takes and gives; the role interfaces that use them are in ./roles.ts.

import type { FrontConversation, FrontMessage } from '../front/types.js';
import type { MessagePerson } from '../highlight/participants.js';
import type { Highlight, TextAuthor, TextFrom } from '../highlight/types.js';

export interface ConversationSnapshot {
  conversationId: string;
  /** Version of the latest state stored, mapped without labels (each destination has its own). */
  version: string;
  lastMessageId: string | null;
  /** Front's conversation.updated_at (unix seconds) when last stored. */
  frontUpdatedAt: number | null;
  /** Last message text and time as stored, so a state-only change needs no message fetch. */
  lastMessage: StoredMessage | null;
  /** The stored Highlight's status (open, archived, spam, trashed). */
  status: string | null;
  /** The inboxes a run's inbox lanes last saw it in ([] or null when none did). */
  inboxes: { id: string; name: string }[] | null;
}

export interface StoredMessage {
  id: string;
  createdAt: number | null;
  /** Plain text as mapped (already converted and tidied, not truncated by maxTextLength). */
  text: string;
  /**
   * The text-extraction rules the text was made with (TEXT_RULES). Kept in the row's JSON like the
   * fields below, which a row stored before schema 2 lacks: such a message is read again.
   */
  rules?: number;
  inbound?: boolean;
  /** Who wrote it (the Highlight's textAuthor). */
  author?: TextAuthor | null;
  /** Its addresses and author (the Highlight's participants). */
  people?: MessagePerson[];
  /** With highlights.textFrom other than `latest`: the message the text comes from, when not this one. */
  textSource?: { from: TextFrom; message: StoredMessage };
}

/** What scope and routing need beyond the Highlight itself; stored with each conversation. */
export interface ConversationFacts {
  /** Front's raw status (assigned, unassigned, ...), which label rules may name. */
  frontStatus: string | null;
  /** Tags with their ids, which scope filters may name. */
  tags: { id: string; name: string }[];
  /** The inboxes it was seen in; null when unknown (fetched by id, as webhook imports are). */
  inboxes: { id: string; name: string }[] | null;
}

export interface UpsertItem {
  /** Mapped without labels: what Front said. */
  highlight: Highlight;
  facts: ConversationFacts;
  /** lastMessage's id: the store keeps the message only (a snapshot's lastMessageId is its id). */
  lastMessageId: string | null;
  frontUpdatedAt: number | null;
  /**
   * Front's clock (unix seconds) when this state was read: stored or incoming times too far ahead of
   * it do not order states (upsert-rule.ts trustedTime). Absent: only the range check applies.
   */
  frontNow?: number;
  lastMessage: StoredMessage | null;
  /** Each destination's Highlight of it (its subscription's scope and labels); queued where the version is new. */
  deliveries: { destination: string; highlight: Highlight }[];
}

/** A conversation as stored, for starting a subscription or a replay from the state. */
export interface StoredConversation {
  highlight: Highlight;
  /** null for conversations stored before facts were kept. */
  facts: ConversationFacts | null;
  frontUpdatedAt: number | null;
  /** The stored latest message (with the text's message under textSource): state redaction rewrites it. */
  lastMessage: StoredMessage | null;
  /** Read for a destination: the version its delivery row held in the same read (null: it had none). */
  deliveryVersion?: string | null;
}

/**
 * created: new to the state; updated: some destination got a new version; unchanged otherwise
 * (also when the item was older than the stored state and so was not written).
 */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** A conversation's newest message in a run's event stream, and every inbox lane whose events showed it. */
export interface StagedMessage {
  message: FrontMessage;
  inboxes: { id: string; name: string }[];
}

/** A conversation's newest message seen in a run's event stream. */
export interface EventMessage {
  conversationId: string;
  message: FrontMessage;
  /** The inbox lane the event came from (null = every inbox). */
  inbox: { id: string; name: string } | null;
  /** Which message a later page's replaces: the newer (default) or, for 'oldest', the older. */
  keep?: 'newest' | 'oldest';
}

/** A batch fixed before sending, so a re-send after a crash has the same Idempotency-Key. */
export interface OpenBatch {
  key: string;
  highlights: Highlight[];
}

export interface RunRecord {
  id: number;
  command: string;
  args: Record<string, unknown>;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  exitCode: number | null;
  error: string | null;
  counts: Record<string, number>;
  requests: Record<string, unknown>;
}

/** One destination's delivery state. */
export interface DestinationTotals {
  destination: string;
  /** Highlights this destination has (had) to receive. */
  highlights: number;
  delivered: number;
  pending: number;
  refused: number;
  /** The most recent refusals, newest first, with the receiver's message. */
  refusals: { id: string; version: string; error: string; attempts: number; refusedAt: string | null }[];
  lastDeliveryAt: string | null;
}

/** What `Deliveries.forgetDestination` removed. */
export interface ForgottenDestination {
  delivered: number;
  pending: number;
  refused: number;
  /** Open batches (written down, not yet settled). */
  batches: number;
  /** Whether the destination had a sync cursor. */
  cursor: boolean;
}

/** Every destination together. */
export interface StoreTotals {
  conversations: number;
  delivered: number;
  pending: number;
  failed: number;
  failures: { id: string; version: string; error: string; attempts: number }[];
}

export interface WebhookEventRow {
  eventId: string;
  type: string;
  conversationId: string | null;
  receivedAt: string;
  attempts: number;
  /** Unix seconds on Front's clock, from the body; null when it did not say. */
  emittedAt: number | null;
  /** A rule webhook's full event data (the conversation, and the message of a message event). */
  full: FullEventData | null;
}

export interface WebhookClaim {
  /** The claiming replica, unique per process (host, pid and a random part). */
  owner: string;
  limit: number;
  /** How long the claim holds unless finished or released: a replica that died loses it then. */
  leaseMs: number;
  /** Event ids not to claim (events this replica gave up on). */
  skip: readonly string[];
}

export interface NewWebhookEvent {
  eventId: string;
  type: string;
  conversationId: string | null;
  emittedAt?: number | null;
  full?: FullEventData | null;
}

export interface FullEventData {
  conversation: FrontConversation;
  message: FrontMessage | null;
}

export interface ListenerStats {
  received: number;
  rejected: number;
  queued: number;
  processed: number;
  lastReceivedAt: string | null;
  lastProcessedAt: string | null;
  lastRejectReason: string | null;
}

export interface RunResult {
  outcome: string;
  exitCode: number;
  error?: string | null;
  counts: Record<string, number>;
  requests: Record<string, unknown>;
}

/** What a fully successful run changes, in one transaction. */
export interface RunCommit {
  clearCheckpoints: string[];
  /** `onlyIfUnset`: leave a cursor that already exists as it is. */
  cursors: { name: string; value: number; onlyIfUnset?: boolean }[];
  /** Meta values written with the rest (runs/coverage.ts: what the stored conversations cover). */
  meta?: { key: string; value: unknown }[];
}

/** Fetched pages written together (see ImportStaging.persistPages). */
export interface PagesWrite {
  /** The run's checkpoint key, which also keys its staged messages. */
  runKey: string;
  /** Event-stream messages to stage until their conversation is imported. */
  messages: EventMessage[];
  items: UpsertItem[];
  /** Conversations these pages imported (or decided not to): their staged messages are dropped. */
  imported: string[];
  /** Saved with the pages; undefined saves none (a dry run). */
  checkpoint?: unknown;
}

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  acquiredAt: string;
}
