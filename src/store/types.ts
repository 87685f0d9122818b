// The local state file's contract, as the pipeline and commands use it. Implemented by
// SqliteStore (better-sqlite3). Every method is synchronous: better-sqlite3 is, and it keeps
// "persist, then move the cursor" inside one transaction trivially.

import type { FrontMessage } from '../front/types.js';
import type { Highlight } from '../highlight/types.js';

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
}

export interface StoredMessage {
  id: string;
  createdAt: number | null;
  /** Plain text as mapped (already converted and tidied, not truncated by maxTextLength). */
  text: string;
}

export interface UpsertItem {
  highlight: Highlight;
  lastMessageId: string | null;
  frontUpdatedAt: number | null;
  lastMessage: StoredMessage | null;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** A conversation's newest message seen in a run's event stream. */
export interface EventMessage {
  conversationId: string;
  message: FrontMessage;
  /** The inbox lane the event came from (null = every inbox). */
  inbox: { id: string; name: string } | null;
}

export interface PendingItem {
  highlight: Highlight;
  attempts: number;
}

/** A batch fixed before sending, so a re-send after a crash has the same Idempotency-Key. */
export interface OpenBatch {
  key: string;
  highlights: Highlight[];
  attempts: number;
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

export interface Store {
  readonly path: string;
  close(): void;
  /**
   * Runs fn in one SQLite transaction (all or nothing), on disk when it returns. `redoable`: work
   * that is simply done again if lost (a fetched page with its checkpoint) commits without waiting
   * for the disk; a power cut may roll back such transactions (whole, latest first) until the next
   * regular one, which makes them durable too. Anything that precedes a send is a regular one.
   */
  transaction<T>(fn: () => T, opts?: { redoable?: boolean }): T;

  getSnapshot(conversationId: string): ConversationSnapshot | undefined;
  /** Stores a mapped Highlight as pending when its version differs from the stored one. */
  upsert(item: UpsertItem): UpsertOutcome;

  /**
   * Messages from the event stream, kept per run (`runKey`) until the run's conversation listing
   * gives their conversation's current state. A message older than the one kept is ignored.
   */
  rememberEventMessages(runKey: string, items: EventMessage[]): void;
  /** The message kept for a conversation. */
  eventMessage(runKey: string, conversationId: string): FrontMessage | undefined;
  /** Up to `limit` kept messages after a conversation id (null = from the first), in conversation id order. */
  eventMessages(runKey: string, afterConversationId: string | null, limit: number): EventMessage[];
  forgetEventMessages(runKey: string, conversationIds: string[]): void;
  clearEventMessages(runKey: string): void;

  /** Pending items (stored version not yet delivered, not failed at that version), oldest first. */
  pending(limit: number): PendingItem[];
  pendingCount(): number;
  markDelivered(items: { id: string; version: string }[]): void;
  markFailed(id: string, version: string, error: string): void;
  recordAttempt(ids: string[], error: string | null): void;

  /** Batches written before a POST; resent unchanged (same key) until accepted. */
  openBatches(): OpenBatch[];
  saveBatch(batch: { key: string; highlights: Highlight[] }): void;
  deleteBatch(key: string): void;

  getCursor(name: string): { value: number; updatedAt: string } | undefined;
  setCursor(name: string, value: number): void;
  getCheckpoint<T>(key: string): T | undefined;
  setCheckpoint(key: string, value: unknown): void;
  clearCheckpoint(key: string): void;

  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;

  startRun(command: string, args: Record<string, unknown>): number;
  finishRun(
    id: number,
    result: {
      outcome: string;
      exitCode: number;
      error?: string | null;
      counts: Record<string, number>;
      requests: Record<string, unknown>;
    },
  ): void;
  /** Marks runs left open by processes that died as abandoned; call it holding the lock. */
  abandonOpenRuns(): void;
  lastRuns(limit: number): RunRecord[];
  lastSuccessfulRun(command: string): RunRecord | undefined;
  totals(): StoreTotals;

  /** Durable webhook queue (front-import listen). Returns false when the event id was seen before. */
  enqueueWebhookEvent(event: { eventId: string; type: string; conversationId: string | null }): boolean;
  /** Unprocessed events, oldest first. */
  queuedWebhookEvents(limit: number): WebhookEventRow[];
  markWebhookEventsProcessed(eventIds: string[]): void;
  recordWebhookFailure(eventIds: string[], error: string): void;
  recordWebhookRejected(reason: string): void;
  listenerStats(): ListenerStats;

  /** Set by acquireLock when it took over a lock left by a process that is gone. */
  readonly lastTakeover?: { pid: number; hostname: string; command: string; acquiredAt: string } | null;
  /** Takes the store lock or throws LockError; a lock whose holder process is gone is taken over. */
  acquireLock(command: string): void;
  releaseLock(): void;
}
