// The state store's contract, split by the role each caller needs, so a command or pipeline step
// takes only what it uses and a second backend (PostgreSQL) can implement it. Every method is
// asynchronous. Where the pipeline needs atomicity there is one intention-named method that does
// the whole write in one transaction (one round trip for a server database); no transaction ever
// spans an await in caller code. The record types live in ./types.ts.

import type { Highlight } from '../highlight/types.js';
import type { AtRestColumn, AtRestCursor, RewriteBatch, ScrubReport } from './at-rest.js';
import type { StoredRow } from './rows.js';
import type {
  ConversationSnapshot,
  DestinationTotals,
  EventMessage,
  ForgottenDestination,
  ListenerStats,
  LockHolder,
  OpenBatch,
  PagesWrite,
  RunCommit,
  RunRecord,
  RunResult,
  StagedMessage,
  StoreTotals,
  StoredConversation,
  UpsertItem,
  UpsertOutcome,
  NewWebhookEvent,
  WebhookClaim,
  WebhookEventRow,
} from './types.js';

/** One row per conversation: the latest state mapped from Front and what the store knows about it. */
export interface ConversationStore {
  /** The stored snapshots of these conversations (absent ids are missing from the map). */
  snapshots(conversationIds: readonly string[]): Promise<Map<string, ConversationSnapshot>>;
  /**
   * Stores a mapped Highlight as pending when its version differs from the stored one. An item whose
   * Front `updated_at` is older than the stored one changes nothing and reports 'unchanged': a
   * newer stored state is never overwritten with an older one, whoever wrote it.
   */
  upsert(item: UpsertItem): Promise<UpsertOutcome>;
  /**
   * Up to `limit` stored conversations after a conversation id (null = from the first), in id order;
   * `since` (unix seconds) keeps those updated since then.
   */
  storedConversations(afterConversationId: string | null, limit: number, since: number | null): Promise<StoredConversation[]>;
  /**
   * The same page as its rows, not yet decoded (rows.ts toStoredConversation), each with the version
   * `destination`'s delivery row held, read in the same statement (`delivery_version`, decoded as
   * `deliveryVersion`): what `replay` to a file hands to its conversion worker.
   */
  storedRows(afterConversationId: string | null, limit: number, since: number | null, destination: string): Promise<StoredRow[]>;
}

/** Delivery state is kept per destination (its identity: destinations/identity.ts). */
export interface Deliveries {
  outbox(destination: string): Outbox;
  /** Every destination the state holds delivery state for. */
  destinations(): Promise<string[]>;
  /**
   * Hands the delivery state of a file written before it was kept per destination (destination '')
   * to `destination`, with the old sync cursor as `cursorName`, unless that destination already has
   * state of its own. True when something was claimed.
   */
  claimLegacyDeliveries(destination: string, cursorName: string): Promise<boolean>;
  /**
   * Gives `from`'s delivery state (rows, open batches, the sync cursor `cursors.from`) to `to`, in
   * one transaction, unless `to` already has delivery state: a destination whose identity changed
   * keeps what it was sent. True when something moved.
   */
  moveDestination(from: string, to: string, cursors: { from: string; to: string }): Promise<boolean>;
  /** Deletes a destination's delivery state (rows, open batches, the sync cursor `cursorName`) in one transaction; says what it removed. */
  forgetDestination(destination: string, cursorName: string): Promise<ForgottenDestination>;
  /** Every destination together. */
  totals(): Promise<StoreTotals>;
}

/** A Highlight sent straight from the state, and the version its delivery row held when it was read (null: none). */
export interface SentItem {
  id: string;
  version: string;
  prior: string | null;
}

/** One destination's outbox: pending Highlights, the batches fixed before a send, and how delivery went. */
export interface Outbox {
  readonly destination: string;
  /** Pending items (stored version not delivered, not refused at that version, not in an open batch), oldest first. */
  pending(limit: number): Promise<Highlight[]>;
  pendingCount(): Promise<number>;
  /** Batches written before a send; resent unchanged (same key) until settled. */
  openBatches(): Promise<OpenBatch[]>;
  /** Writes a batch down before it is sent (a regular, durable commit). A key already saved is kept as it was. */
  saveBatch(batch: { key: string; highlights: Highlight[] }): Promise<void>;
  /** The destination accepted the batch: its items are delivered at these versions and the batch is gone (one transaction). */
  batchAccepted(key: string, items: readonly { id: string; version: string }[]): Promise<void>;
  /** The destination refused the batch's only item for good: it is refused at that version and the batch is gone (one transaction). */
  batchRefused(key: string, item: { id: string; version: string }, error: string): Promise<void>;
  /** A refused batch is replaced by its parts (one transaction), to isolate the item at fault. */
  splitBatch(key: string, parts: readonly { key: string; highlights: Highlight[] }[]): Promise<void>;
  /** A send failed (retryable): counts an attempt against each item, as `totals` reports them. */
  recordAttempt(ids: readonly string[], error: string | null): Promise<void>;
  totals(): Promise<DestinationTotals>;
  /**
   * These versions reached the destination straight from the state, with no batch fixed before
   * (a replay to a file, whose readers dedupe by item): each row becomes delivered at that version,
   * created where the destination had none, its waiting Highlight gone; but only where the row
   * still holds `prior`, the version read with the conversation (null: no row). One that changed
   * since was queued again by another process with a newer version, and stays as it is. One
   * transaction.
   */
  sentDirectly(items: readonly SentItem[]): Promise<void>;
  /** Refused items become pending again (retry-refused); returns how many. */
  retryRefused(): Promise<number>;
  /**
   * Queues these Highlights for this destination where it lacks them or holds another version. With
   * `resend` (replay), also those it already has at that version, delivered or refused. Returns
   * how many became pending.
   */
  enqueue(highlights: readonly Highlight[], opts: { resend: boolean }): Promise<number>;
}

/** What an import run writes page by page, and the event-stream messages it stages per run. */
export interface ImportStaging {
  /**
   * Persists fetched pages in ONE transaction: stages their messages, upserts their items (each as
   * `ConversationStore.upsert` would, older states kept out), drops the staged messages of the
   * conversations now imported and, unless `checkpoint` is undefined, saves the checkpoint with
   * them. The commit is redoable (need not wait for the disk): losing it only means fetching those
   * pages again from the previous checkpoint. Returns the items' outcomes, in order.
   */
  persistPages(write: PagesWrite): Promise<UpsertOutcome[]>;
  /** The staged message of each of these conversations that has one, with the lanes that showed it (one pass for several subscriptions needs them all). */
  eventMessagesFor(runKey: string, conversationIds: readonly string[]): Promise<Map<string, StagedMessage>>;
  /** Up to `limit` staged messages after a conversation id (null = from the first), in conversation id order. */
  eventMessagesAfter(runKey: string, afterConversationId: string | null, limit: number): Promise<EventMessage[]>;
  clearEventMessages(runKey: string): Promise<void>;
}

/** Where runs resume (checkpoints) and where the next sync starts (cursors). */
export interface Checkpoints {
  getCheckpoint<T>(key: string): Promise<T | undefined>;
  setCheckpoint(key: string, value: unknown): Promise<void>;
  getCursor(name: string): Promise<{ value: number; updatedAt: string } | undefined>;
  /** After a fully successful run, in one transaction: move cursors, clear checkpoints, write meta (what the state covers). */
  commitRun(commit: RunCommit): Promise<void>;
}

/** One record per command run, for `status` and "since the last successful run". */
export interface RunLog {
  startRun(command: string, args: Record<string, unknown>): Promise<number>;
  finishRun(id: number, result: RunResult): Promise<void>;
  /** Marks runs left open by processes that died as interrupted; call it holding the 'import' lock. */
  abandonOpenRuns(): Promise<void>;
  lastRuns(limit: number): Promise<RunRecord[]>;
  lastSuccessfulRun(command: string): Promise<RunRecord | undefined>;
}

/** Durable queue between `listen`'s HTTP handler and its worker, deduplicated by event id, with its counters. */
export interface WebhookQueue {
  /** Counts the delivery as received; returns false when the event id was seen before. */
  enqueueWebhookEvent(event: NewWebhookEvent): Promise<boolean>;
  /** Unprocessed events, oldest first (claimed or not). */
  queuedWebhookEvents(limit: number): Promise<WebhookEventRow[]>;
  /**
   * Claims up to `limit` unprocessed events, oldest first, for `owner` until `leaseMs` from now and
   * returns them: events nobody claimed, events whose claim expired (its replica died) and events
   * `owner` claimed before; never an event in `skip`, nor one whose conversation has an event with
   * a live claim by another owner (replicas process whole conversations, see the queue worker).
   */
  claimWebhookEvents(claim: WebhookClaim): Promise<WebhookEventRow[]>;
  /** Gives claimed events back to the queue, for any replica to claim at once. */
  releaseWebhookEvents(eventIds: readonly string[]): Promise<void>;
  markWebhookEventsProcessed(eventIds: readonly string[]): Promise<void>;
  /** Counts a failed attempt; the events stay claimed (their owner retries them after its backoff). */
  recordWebhookFailure(eventIds: readonly string[], error: string): Promise<void>;
  recordWebhookRejected(reason: string): Promise<void>;
  listenerStats(): Promise<ListenerStats>;
}

/**
 * Named locks held by a live process. 'import': one backfill or sync at a time per state.
 * 'delivery': one process at a time sends the outbox (held per batch; a listener and a sync take
 * turns). Listener replicas need none for the webhook queue: they claim its events (claimWebhookEvents).
 */
export type LockName = 'import' | 'delivery' | 'oauth';

export interface Locks {
  /**
   * Takes the named lock or rejects with LockError while a live process holds it; a lock whose
   * holder is gone is taken over, and that holder is returned (null when the lock was free).
   */
  acquireLock(name: LockName, command: string): Promise<LockHolder | null>;
  /** Releases the named lock if this process holds it. */
  releaseLock(name: LockName): Promise<void>;
  /**
   * Who holds the named lock, and whether that process still runs (false: it died, e.g. kill -9,
   * and its runs are interrupted); null when nobody holds it. Read-only, for `status`.
   */
  lockHolder(name: LockName): Promise<(LockHolder & { running: boolean }) | null>;
  /**
   * Says this process is waiting for the named lock (its latest try, replaced by the next), so that
   * a holder taking it again and again lets it go: see underDeliveryLock. Cleared by clearWaiting.
   */
  markWaiting(name: LockName, command: string): Promise<void>;
  clearWaiting(name: LockName): Promise<void>;
  /** The latest try of another process waiting for the named lock (markWaiting), or null. */
  otherWaiting(name: LockName): Promise<LockHolder | null>;
}

/** Small JSON values kept between runs (e.g. the last rate-limit snapshot). */
export interface MetaStore {
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta(key: string, value: unknown): Promise<void>;
  /** Removes the entry (a key that names a former destination identity may hold one of its secrets). */
  deleteMeta(key: string): Promise<void>;
}

/**
 * What the state keeps at rest, rewritten in place (state redaction, runs/state-redaction.ts). The
 * conversation rows go through `ImportStaging.persistPages`; these are the rest.
 */
export interface AtRestRewrite {
  /** The destinations (keys) holding a delivery row of each of these conversations. */
  deliveryDestinations(conversationIds: readonly string[]): Promise<Map<string, string[]>>;
  /**
   * One batch of up to `limit` rows of a text column (at-rest.ts) after `after`, in key order, in one
   * transaction: each value becomes `rewrite(value)` (the same string: left alone).
   */
  rewriteColumn(column: AtRestColumn, after: AtRestCursor, limit: number, rewrite: (value: string) => string): Promise<RewriteBatch>;
  /** Leaves no old text in the state's free space and journal where the backend can (SQLite: VACUUM, WAL truncated; PostgreSQL: VACUUM FULL). */
  scrubFreeSpace(): Promise<ScrubReport>;
}

/** Where the store's work runs. */
export interface StoreRuntime {
  /**
   * On this thread (SQLite: better-sqlite3 is synchronous), not in a server beside it (PostgreSQL):
   * work of ours cannot go on while the store reads or writes.
   */
  readonly inProcess: boolean;
}

/** A whole state store, as a backend provides it. */
export interface Store extends ConversationStore, Deliveries, ImportStaging, Checkpoints, RunLog, WebhookQueue, Locks, MetaStore, AtRestRewrite, StoreRuntime {
  /** Where the state lives, fit to print (a file path, a URL without its password). */
  readonly location: string;
  close(): Promise<void>;
}
