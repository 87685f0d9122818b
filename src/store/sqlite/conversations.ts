// One row per conversation: the latest state mapped from Front (without labels: each destination
// has its own, see deliveries.ts), the facts scope and routing need, and the bookkeeping that saves
// message requests. Upserting a conversation queues each destination's Highlight of it.

import type Database from 'better-sqlite3';
import type { Highlight } from '../../highlight/types.js';
import { SNAPSHOT_COLUMNS, STORED_COLUMNS, deliveryVersionColumn, toSnapshot, toStoredConversation, type SnapshotRow, type StoredRow } from '../rows.js';
import { encodeHighlight } from '../stored-highlight.js';
import type { ConversationSnapshot, StoredConversation, UpsertItem, UpsertOutcome } from '../types.js';
import { upsertAction, upsertOutcome, type QueueOutcome } from '../upsert-rule.js';
import { writeTransaction } from './write-transaction.js';

interface Queue {
  queue(destination: string, h: Highlight, resendSame: boolean): QueueOutcome;
  queueNew(destination: string, h: Highlight): void;
}

export function conversationStatements(db: Database.Database, deliveries: Queue) {
  const selectSnapshots = db.prepare<[string], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS}, json_extract(payload, '$.status') AS status
     FROM conversations WHERE conversation_id IN (SELECT value FROM json_each(?))`,
  );
  const selectStored = db.prepare<[string], { front_updated_at: number | null }>('SELECT front_updated_at FROM conversations WHERE conversation_id = ?');
  const insert = db.prepare(
    `INSERT INTO conversations (conversation_id, version, payload, facts, last_message, front_updated_at)
     VALUES (@conversationId, @version, @payload, @facts, @lastMessage, @frontUpdatedAt)`,
  );
  const update = db.prepare(
    `UPDATE conversations SET version = @version, payload = @payload, facts = @facts, last_message = @lastMessage, front_updated_at = @frontUpdatedAt
     WHERE conversation_id = @conversationId`,
  );
  // Two statements, so each is one index range: by id alone, or by time (conversations_by_time) then
  // sorted; each also with a destination's delivery version beside each row.
  const page = (since: boolean, destination: boolean) =>
    db.prepare<[{ after: string; since?: number; limit: number; destination?: string }], StoredRow>(
      `SELECT ${STORED_COLUMNS}${destination ? `, ${deliveryVersionColumn('(SELECT id FROM destinations WHERE key = @destination)')}` : ''}
       FROM conversations WHERE conversation_id > @after${since ? ' AND front_updated_at >= @since' : ''} ORDER BY conversation_id LIMIT @limit`,
    );
  const pages = { plain: { all: page(false, false), since: page(true, false) }, forDestination: { all: page(false, true), since: page(true, true) } };
  const count = db.prepare<[], number>('SELECT conversations FROM state_counts').pluck();

  const upsert = writeTransaction(db, (item: UpsertItem): UpsertOutcome => {
    const h = item.highlight;
    const row = {
      conversationId: h.conversationId,
      version: h.version,
      payload: encodeHighlight(h, item.lastMessage),
      facts: JSON.stringify(item.facts),
      lastMessage: item.lastMessage === null ? null : JSON.stringify(item.lastMessage),
      frontUpdatedAt: item.frontUpdatedAt,
    };
    const stored = selectStored.get(h.conversationId);
    // Decided here, under the write lock, so a listener and a sync writing the same conversation
    // cannot slip an older state past a newer one.
    const action = upsertAction(stored && { frontUpdatedAt: stored.front_updated_at }, item);
    if (action === 'created') {
      insert.run(row);
      for (const d of item.deliveries) deliveries.queueNew(d.destination, d.highlight);
      return 'created';
    }
    if (action === 'older') return 'unchanged';
    update.run(row);
    const queued = item.deliveries.map((d) => deliveries.queue(d.destination, d.highlight, false));
    return upsertOutcome(action, queued.includes('changed'));
  });

  /** A page of stored rows; with `destination`, each with that destination's delivered version. */
  function pageRows(afterConversationId: string | null, limit: number, since: number | null, destination?: string): StoredRow[] {
    const after = afterConversationId ?? '';
    const statement = pages[destination === undefined ? 'plain' : 'forDestination'][since === null ? 'all' : 'since'];
    return statement.all({ after, limit, ...(since === null ? {} : { since }), ...(destination === undefined ? {} : { destination }) });
  }

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
    storedConversations(afterConversationId: string | null, limit: number, since: number | null): StoredConversation[] {
      return pageRows(afterConversationId, limit, since).map(toStoredConversation);
    },
    storedRows: pageRows,
    conversationCount(): number {
      return count.get() ?? 0;
    },
  };
}
