// The records the state store takes and gives; the role interfaces that use them are in ./roles.ts.

import type { FrontMessage } from '../front/types.js';
import type { MessagePerson } from '../highlight/participants.js';
import type { Highlight, TextAuthor, TextFrom } from '../highlight/types.js';

export interface ConversationSnapshot {
  conversationId: string;
  /** Latest version stored (delivered or not). */
  version: string;
  deliveredVersion: string | null;
  lastMessageId: string | null;
  /** Front's conversation.updated_at (unix seconds) when last stored. */
  frontUpdatedAt: number | null;
  /** Last message text and time as stored, so a state-only change needs no message fetch. */
  lastMessage: StoredMessage | null;
  /** The stored Highlight's status (open, archived, spam, trashed). */
  status: string | null;
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

export interface UpsertItem {
  highlight: Highlight;
  lastMessageId: string | null;
  frontUpdatedAt: number | null;
  lastMessage: StoredMessage | null;
}

/** 'unchanged' also when the item was older than the stored state and so was not written. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

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
