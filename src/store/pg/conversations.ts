// One row per conversation (the latest mapped Highlight), written set-wise: a page of items costs
// the same few round trips as one item. Which items change what is decided in JS by the rule every
// backend shares (upsert-rule.ts), over the stored rows read FOR UPDATE, so two processes writing
// the same conversation serialise on its row.

import type pg from 'pg';
import type { ConversationStore } from '../roles.js';
import { SNAPSHOT_COLUMNS, toSnapshot, type SnapshotRow } from '../rows.js';
import type { ConversationSnapshot, UpsertItem, UpsertOutcome } from '../types.js';
import { upsertAction, type StoredState } from '../upsert-rule.js';
import { inTransaction, type Queryable } from './connection.js';

interface ItemRow {
  conversation_id: string;
  id: string;
  version: string;
  payload: string;
  last_message_id: string | null;
  last_message: string | null;
  front_updated_at: number | null;
}

const ITEM_COLUMNS = `conversation_id text, id text, version text, payload text, last_message_id text, last_message text,
  front_updated_at double precision`;

/** Stores the items (one transaction is the caller's); returns each item's outcome, in order. */
export async function writeItems(q: Queryable, items: readonly UpsertItem[], now: string): Promise<UpsertOutcome[]> {
  if (items.length === 0) return [];
  const ids = [...new Set(items.map((i) => i.highlight.conversationId))];
  const stored = await q.query<{ conversation_id: string; version: string; front_updated_at: number | null }>(
    'SELECT conversation_id, version, front_updated_at FROM conversations WHERE conversation_id = ANY($1) FOR UPDATE',
    [ids],
  );
  const states = new Map<string, StoredState>(stored.rows.map((r) => [r.conversation_id, { version: r.version, frontUpdatedAt: r.front_updated_at }]));
  // Later items for the same conversation see the earlier ones' effect, as with one upsert each.
  const writes = new Map<string, ItemRow>();
  const touches = new Map<string, ItemRow>();
  const outcomes = items.map((item): UpsertOutcome => {
    const id = item.highlight.conversationId;
    const action = upsertAction(states.get(id), item);
    if (action === 'older') return 'unchanged';
    const row = toRow(item);
    states.set(id, { version: row.version, frontUpdatedAt: row.front_updated_at });
    if (action === 'unchanged' && !writes.has(id)) touches.set(id, row);
    else {
      // Map order is first-insertion order: delete first so the newest write takes the latest seq.
      writes.delete(id);
      writes.set(id, row);
      touches.delete(id);
    }
    return action;
  });
  if (writes.size > 0) {
    // nextval per row in array order keeps pending order = store order, as SQLite's MAX()+1 does.
    await q.query(
      `INSERT INTO conversations (conversation_id, id, version, payload, last_message_id, last_message, front_updated_at,
         first_seen_at, updated_at, pending_seq)
       SELECT x.conversation_id, x.id, x.version, x.payload, x.last_message_id, x.last_message, x.front_updated_at,
         $2, $2, nextval('conversations_pending_seq')
       FROM jsonb_to_recordset($1::jsonb) AS x(${ITEM_COLUMNS})
       ON CONFLICT (conversation_id) DO UPDATE SET id = excluded.id, version = excluded.version, payload = excluded.payload,
         failed_version = NULL, last_error = NULL, attempts = 0, last_message_id = excluded.last_message_id,
         last_message = excluded.last_message, front_updated_at = excluded.front_updated_at, updated_at = excluded.updated_at,
         pending_seq = excluded.pending_seq
       -- Only a row another process inserted since our read can get here unread: keep it if newer.
       WHERE conversations.front_updated_at IS NULL OR excluded.front_updated_at IS NULL
         OR excluded.front_updated_at >= conversations.front_updated_at`,
      [JSON.stringify([...writes.values()]), now],
    );
  }
  if (touches.size > 0) {
    await q.query(
      `UPDATE conversations c SET last_message_id = x.last_message_id, last_message = x.last_message,
         front_updated_at = x.front_updated_at, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS x(${ITEM_COLUMNS})
       WHERE c.conversation_id = x.conversation_id`,
      [JSON.stringify([...touches.values()]), now],
    );
  }
  return outcomes;
}

function toRow(item: UpsertItem): ItemRow {
  const h = item.highlight;
  return {
    conversation_id: h.conversationId,
    id: h.id,
    version: h.version,
    payload: JSON.stringify(h),
    last_message_id: item.lastMessageId,
    last_message: item.lastMessage === null ? null : JSON.stringify(item.lastMessage),
    front_updated_at: item.frontUpdatedAt,
  };
}

export function pgConversations(pool: pg.Pool, now: () => string): ConversationStore {
  return {
    async snapshots(conversationIds) {
      const result = new Map<string, ConversationSnapshot>();
      if (conversationIds.length === 0) return result;
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS}, payload::json ->> 'status' AS status FROM conversations WHERE conversation_id = ANY($1)`,
        [conversationIds],
      );
      for (const row of rows) result.set(row.conversation_id, toSnapshot(row));
      return result;
    },
    async upsert(item) {
      const [outcome] = await inTransaction(pool, (q) => writeItems(q, [item], now()));
      return outcome!;
    },
  };
}
