// One row per conversation (the latest state mapped from Front, without labels, and the facts scope
// and routing need), written set-wise: a page of items costs the same few round trips as one item.
// Which items change what is decided in JS by the rules every backend shares (upsert-rule.ts), over
// the stored rows read FOR UPDATE, so two processes writing the same conversation serialise on its
// row; each destination's Highlight is then queued (deliveries.ts).

import type pg from 'pg';
import type { Highlight } from '../../highlight/types.js';
import type { ConversationStore } from '../roles.js';
import { SNAPSHOT_COLUMNS, STORED_COLUMNS, deliveryVersionColumn, toSnapshot, toStoredConversation, type SnapshotRow, type StoredRow } from '../rows.js';
import { encodeHighlight } from '../stored-highlight.js';
import type { ConversationSnapshot, StoredConversation, UpsertItem, UpsertOutcome } from '../types.js';
import { trustedUntil, upsertAction, upsertOutcome, type StoredState } from '../upsert-rule.js';
import { inTransaction, type Queryable } from './connection.js';
import { queueDeliveries } from './deliveries.js';
import { itemAt } from '../../shared/item-at.js';

interface ItemRow {
  conversation_id: string;
  version: string;
  payload: string;
  facts: string;
  last_message: string | null;
  front_updated_at: number | null;
}

const ITEM_COLUMNS = 'conversation_id text, version text, payload text, facts text, last_message text, front_updated_at double precision';

/** Stores the items (one transaction is the caller's); returns each item's outcome, in order. */
export async function writeItems(q: Queryable, items: readonly UpsertItem[], now: string): Promise<UpsertOutcome[]> {
  if (items.length === 0) return [];
  const ids = [...new Set(items.map((i) => i.highlight.conversationId))];
  const stored = await q.query<{ conversation_id: string; front_updated_at: number | null }>(
    'SELECT conversation_id, front_updated_at FROM conversations WHERE conversation_id = ANY($1) FOR UPDATE',
    [ids],
  );
  const states = new Map<string, StoredState>(stored.rows.map((r) => [r.conversation_id, { frontUpdatedAt: r.front_updated_at }]));
  // Later items for the same conversation see the earlier ones' effect, as with one upsert each.
  const writes = new Map<string, ItemRow>();
  const queued: { item: number; destination: string; highlight: Highlight }[] = [];
  const actions = items.map((item, n) => {
    const id = item.highlight.conversationId;
    const action = upsertAction(states.get(id), item);
    if (action === 'older') return action;
    states.set(id, { frontUpdatedAt: item.frontUpdatedAt });
    writes.set(id, toRow(item));
    for (const d of item.deliveries) queued.push({ item: n, ...d });
    return action;
  });
  if (writes.size > 0) {
    const frontNows = items.flatMap((i) => (i.frontNow === undefined ? [] : [i.frontNow]));
    const latest = trustedUntil(frontNows.length > 0 ? Math.max(...frontNows) : undefined);
    await q.query(
      `INSERT INTO conversations (conversation_id, version, payload, facts, last_message, front_updated_at)
       SELECT x.conversation_id, x.version, x.payload, x.facts, x.last_message, x.front_updated_at
       FROM jsonb_to_recordset($1::jsonb) AS x(${ITEM_COLUMNS})
       ON CONFLICT (conversation_id) DO UPDATE SET version = excluded.version, payload = excluded.payload,
         facts = excluded.facts, last_message = excluded.last_message, front_updated_at = excluded.front_updated_at
       -- Only a row another process inserted since our read can get here unread: keep it if newer
       -- (by a time that can order states: see upsert-rule.ts trustedTime).
       WHERE conversations.front_updated_at IS NULL OR excluded.front_updated_at IS NULL
         OR excluded.front_updated_at >= conversations.front_updated_at
         OR conversations.front_updated_at > $2`,
      [JSON.stringify([...writes.values()]), latest],
    );
  }
  const queueOutcomes = await queueDeliveries(q, queued, now, false);
  const changed = new Set(queued.flatMap((d, i) => (queueOutcomes[i] === 'changed' ? [d.item] : [])));
  return actions.map((action, n) => upsertOutcome(action, changed.has(n)));
}

function toRow(item: UpsertItem): ItemRow {
  const h = item.highlight;
  return {
    conversation_id: h.conversationId,
    version: h.version,
    payload: encodeHighlight(h, item.lastMessage),
    facts: JSON.stringify(item.facts),
    last_message: item.lastMessage === null ? null : JSON.stringify(item.lastMessage),
    front_updated_at: item.frontUpdatedAt,
  };
}

export function pgConversations(pool: pg.Pool, now: () => string): ConversationStore {
  /** A page of stored rows; with `destination`, each with that destination's delivered version. */
  async function pageRows(afterConversationId: string | null, limit: number, since: number | null, destination?: string): Promise<StoredRow[]> {
    // COLLATE "C": byte order, as SQLite compares text, whatever the database's collation.
    const { rows } = await pool.query<StoredRow>(
      `SELECT ${STORED_COLUMNS}${destination === undefined ? '' : `, ${deliveryVersionColumn('(SELECT id FROM destinations WHERE key = $4)')}`} FROM conversations
       WHERE conversation_id COLLATE "C" > $1 AND ($2::double precision IS NULL OR front_updated_at >= $2)
       ORDER BY conversation_id COLLATE "C" LIMIT $3`,
      [afterConversationId ?? '', since, limit, ...(destination === undefined ? [] : [destination])],
    );
    return rows;
  }

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
      return itemAt(await inTransaction(pool, (q) => writeItems(q, [item], now())), 0);
    },
    async storedConversations(afterConversationId, limit, since): Promise<StoredConversation[]> {
      return (await pageRows(afterConversationId, limit, since)).map(toStoredConversation);
    },
    storedRows: pageRows,
  };
}
