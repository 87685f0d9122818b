// The outbox: one row per conversation holding the latest mapped Highlight and how far delivery got.

import type Database from 'better-sqlite3';
import type { Highlight } from '../../highlight/types.js';
import { SNAPSHOT_COLUMNS, toSnapshot, type SnapshotRow } from '../rows.js';
import type { ConversationSnapshot, StoreTotals, UpsertItem, UpsertOutcome } from '../types.js';
import { upsertAction } from '../upsert-rule.js';
import { writeTransaction } from './write-transaction.js';

const MAX_LISTED_FAILURES = 20;

// Same text as the partial index conversations_pending, so SQLite can use it.
const IS_PENDING = 'version IS NOT delivered_version AND version IS NOT failed_version';

export function conversationStatements(db: Database.Database, now: () => string) {
  const selectSnapshots = db.prepare<[string], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS}, json_extract(payload, '$.status') AS status
     FROM conversations WHERE conversation_id IN (SELECT value FROM json_each(?))`,
  );
  const selectStored = db.prepare<[string], { version: string; front_updated_at: number | null }>(
    'SELECT version, front_updated_at FROM conversations WHERE conversation_id = ?',
  );
  // pending_seq comes from the conversations_seq index, so MAX() is a single lookup.
  const nextSeq = '(SELECT COALESCE(MAX(pending_seq), 0) + 1 FROM conversations)';
  const insert = db.prepare(
    `INSERT INTO conversations (conversation_id, id, version, payload, last_message_id, last_message,
       front_updated_at, first_seen_at, updated_at, pending_seq)
     VALUES (@conversationId, @id, @version, @payload, @lastMessageId, @lastMessage, @frontUpdatedAt, @now, @now, ${nextSeq})`,
  );
  const replaceVersion = db.prepare(
    `UPDATE conversations SET id = @id, version = @version, payload = @payload, failed_version = NULL,
       last_error = NULL, attempts = 0, last_message_id = @lastMessageId, last_message = @lastMessage,
       front_updated_at = @frontUpdatedAt, updated_at = @now, pending_seq = ${nextSeq}
     WHERE conversation_id = @conversationId`,
  );
  const touch = db.prepare(
    `UPDATE conversations SET last_message_id = @lastMessageId, last_message = @lastMessage,
       front_updated_at = @frontUpdatedAt, updated_at = @now
     WHERE conversation_id = @conversationId`,
  );
  // Items of an open batch wait for that batch: it already holds their payload and key.
  const selectPending = db.prepare<[number], string>(
    `SELECT payload FROM conversations
     WHERE ${IS_PENDING}
       AND id NOT IN (SELECT json_extract(item.value, '$.id') FROM batches, json_each(batches.highlights) AS item
                      WHERE json_extract(item.value, '$.id') IS NOT NULL)
     ORDER BY pending_seq LIMIT ?`,
  ).pluck();
  const countPending = db.prepare<[], number>(`SELECT count(*) FROM conversations WHERE ${IS_PENDING}`).pluck();
  // Whatever version was accepted is what the destination now holds; a newer stored one stays pending.
  const setDelivered = db.prepare(
    'UPDATE conversations SET delivered_version = @version, attempts = 0, last_error = NULL, updated_at = @now WHERE id = @id',
  );
  const setFailed = db.prepare(
    `UPDATE conversations SET failed_version = @version, last_error = @error, attempts = attempts + 1, updated_at = @now
     WHERE id = @id`,
  );
  const bumpAttempts = db.prepare(
    'UPDATE conversations SET attempts = attempts + 1, last_error = @error, updated_at = @now WHERE id = @id',
  );
  const countTotals = db.prepare<[], { conversations: number; delivered: number; failed: number }>(
    `SELECT count(*) AS conversations,
       count(*) FILTER (WHERE version = delivered_version) AS delivered,
       count(*) FILTER (WHERE version = failed_version AND version IS NOT delivered_version) AS failed
     FROM conversations`,
  );
  const selectFailures = db.prepare<[number], { id: string; version: string; error: string | null; attempts: number }>(
    `SELECT id, version, last_error AS error, attempts FROM conversations
     WHERE version = failed_version AND version IS NOT delivered_version
     ORDER BY updated_at DESC, pending_seq DESC LIMIT ?`,
  );

  const upsert = writeTransaction(db, (item: UpsertItem): UpsertOutcome => {
    const h = item.highlight;
    const row = {
      conversationId: h.conversationId,
      id: h.id,
      version: h.version,
      payload: JSON.stringify(h),
      lastMessageId: item.lastMessageId,
      lastMessage: item.lastMessage === null ? null : JSON.stringify(item.lastMessage),
      frontUpdatedAt: item.frontUpdatedAt,
      now: now(),
    };
    const stored = selectStored.get(h.conversationId);
    // Decided here, under the write lock, so a listener and a sync writing the same conversation
    // cannot slip an older state past a newer one.
    const action = upsertAction(stored && { version: stored.version, frontUpdatedAt: stored.front_updated_at }, item);
    if (action === 'created') insert.run(row);
    else if (action === 'unchanged') touch.run(row);
    else if (action === 'updated') replaceVersion.run(row);
    return action === 'older' ? 'unchanged' : action;
  });

  return {
    snapshots(conversationIds: readonly string[]): Map<string, ConversationSnapshot> {
      const found = new Map<string, ConversationSnapshot>();
      if (conversationIds.length === 0) return found;
      for (const row of selectSnapshots.all(JSON.stringify(conversationIds))) {
        found.set(row.conversation_id, toSnapshot(row));
      }
      return found;
    },
    upsert,
    pending(limit: number): Highlight[] {
      return selectPending.all(limit).map((payload) => JSON.parse(payload) as Highlight);
    },
    pendingCount(): number {
      return countPending.get() ?? 0;
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markDelivered(items: readonly { id: string; version: string }[]): void {
      const at = now();
      for (const item of items) setDelivered.run({ id: item.id, version: item.version, now: at });
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markFailed(item: { id: string; version: string }, error: string): void {
      setFailed.run({ id: item.id, version: item.version, error, now: now() });
    },
    recordAttempt: writeTransaction(db, (ids: readonly string[], error: string | null): void => {
      const at = now();
      for (const id of ids) bumpAttempts.run({ id, error, now: at });
    }),
    totals(): StoreTotals {
      const t = countTotals.get()!;
      return {
        conversations: t.conversations,
        delivered: t.delivered,
        pending: countPending.get() ?? 0,
        failed: t.failed,
        failures: selectFailures.all(MAX_LISTED_FAILURES).map((f) => ({ ...f, error: f.error ?? '' })),
      };
    },
  };
}
