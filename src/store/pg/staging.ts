// What an import run writes page by page: staged event-stream messages, the pages' items and the
// checkpoint, in one redoable transaction of a handful of set-wise statements, whatever the page size.

import type pg from 'pg';
import type { FrontMessage } from '../../front/types.js';
import type { ImportStaging } from '../roles.js';
import { inboxesOf, withInboxes } from '../rows.js';
import type { EventMessage, StagedMessage } from '../types.js';
import { inTransaction, type Queryable } from './connection.js';
import { writeItems } from './conversations.js';

interface MessageRow {
  conversation_id: string;
  inbox: { id: string; name: string }[];
  message: string;
  created_at: number;
  keep_oldest: boolean;
}

export function pgStaging(pool: pg.Pool, now: () => string): ImportStaging {
  return {
    persistPages(write) {
      return inTransaction(
        pool,
        async (q) => {
          const at = now();
          const imported = new Set(write.imported);
          // A message for a conversation these pages import is dropped at once: staging it would be undone below.
          await stageMessages(q, write.runKey, write.messages.filter((m) => !imported.has(m.conversationId)));
          if (imported.size > 0) {
            await q.query('DELETE FROM event_messages WHERE run_key = $1 AND conversation_id = ANY ($2)', [write.runKey, [...imported]]);
          }
          const outcomes = await writeItems(q, write.items, at);
          if (write.checkpoint !== undefined) await saveCheckpoint(q, write.runKey, write.checkpoint, at);
          return outcomes;
        },
        { redoable: true },
      );
    },
    async eventMessagesFor(runKey, conversationIds) {
      const found = new Map<string, StagedMessage>();
      if (conversationIds.length === 0) return found;
      const { rows } = await pool.query<{ conversation_id: string; inbox: string | null; message: string }>(
        'SELECT conversation_id, inbox, message FROM event_messages WHERE run_key = $1 AND conversation_id = ANY ($2)',
        [runKey, conversationIds],
      );
      for (const row of rows) found.set(row.conversation_id, { message: JSON.parse(row.message) as FrontMessage, inboxes: inboxesOf(row.inbox) });
      return found;
    },
    async eventMessagesAfter(runKey, afterConversationId, limit) {
      // COLLATE "C": byte order, as SQLite compares text, whatever the database's collation.
      const { rows } = await pool.query<{ conversation_id: string; inbox: string | null; message: string }>(
        `SELECT conversation_id, inbox, message FROM event_messages
         WHERE run_key = $1 AND conversation_id COLLATE "C" > $2 ORDER BY conversation_id COLLATE "C" LIMIT $3`,
        [runKey, afterConversationId ?? '', limit],
      );
      return rows.map(
        (row): EventMessage => ({
          conversationId: row.conversation_id,
          inbox: inboxesOf(row.inbox)[0] ?? null,
          message: JSON.parse(row.message) as FrontMessage,
        }),
      );
    },
    async clearEventMessages(runKey) {
      await pool.query('DELETE FROM event_messages WHERE run_key = $1', [runKey]);
    },
  };
}

/**
 * Only a newer message replaces the kept one (imported history arrives as new events carrying old
 * messages), or with keep 'oldest' (first-inbound text candidates) only an older one; the inbox
 * column gathers every lane that showed the conversation, in the order seen (rows.ts inboxesOf).
 * Folded per conversation first: one statement may not touch a row twice.
 */
async function stageMessages(q: Queryable, runKey: string, messages: readonly EventMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = new Map<string, MessageRow>();
  for (const item of messages) {
    const createdAt = typeof item.message.created_at === 'number' && Number.isFinite(item.message.created_at) ? item.message.created_at : 0;
    const kept = rows.get(item.conversationId);
    const inbox = withInboxes(kept?.inbox ?? [], item.inbox ? [item.inbox] : []);
    const keepOldest = item.keep === 'oldest';
    if (kept && !replaces(keepOldest, createdAt, kept.created_at)) kept.inbox = inbox;
    else rows.set(item.conversationId, { conversation_id: item.conversationId, inbox, message: JSON.stringify(item.message), created_at: createdAt, keep_oldest: keepOldest });
  }
  await q.query(
    `INSERT INTO event_messages (run_key, conversation_id, inbox, message, message_created_at)
     SELECT $1, x.conversation_id, x.inbox, x.message, x.created_at
     FROM jsonb_to_recordset($2::jsonb) AS x(conversation_id text, inbox text, message text, created_at double precision)
     ON CONFLICT (run_key, conversation_id) DO UPDATE SET
       inbox = ${MERGED_INBOXES},
       message = CASE WHEN ${REPLACES} THEN excluded.message ELSE event_messages.message END,
       message_created_at = CASE WHEN ${REPLACES} THEN excluded.message_created_at ELSE event_messages.message_created_at END`,
    [runKey, JSON.stringify([...rows.values()].map((r) => ({ ...r, inbox: JSON.stringify(r.inbox) }))), [...rows.values()].filter((r) => r.keep_oldest).map((r) => r.conversation_id)],
  );
}

/** The stored row's lanes, then the new ones not among them (by id), in the order seen. */
const MERGED_INBOXES = `(SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]'::jsonb)::text FROM (
    SELECT DISTINCT ON (e ->> 'id') e, n
    FROM jsonb_array_elements(
      CASE WHEN event_messages.inbox IS NULL OR event_messages.inbox = 'null' THEN '[]'::jsonb
           WHEN jsonb_typeof(event_messages.inbox::jsonb) = 'array' THEN event_messages.inbox::jsonb
           ELSE jsonb_build_array(event_messages.inbox::jsonb) END || excluded.inbox::jsonb) WITH ORDINALITY AS t(e, n)
    ORDER BY e ->> 'id', n) AS kept)`;

/** The same rule in SQL, for rows already stored: $3 lists the conversations staged with keep 'oldest'. */
const REPLACES = `CASE WHEN excluded.conversation_id = ANY ($3) THEN excluded.message_created_at < event_messages.message_created_at
  ELSE excluded.message_created_at >= event_messages.message_created_at END`;

function replaces(keepOldest: boolean, incoming: number, kept: number): boolean {
  return keepOldest ? incoming < kept : incoming >= kept;
}

export async function saveCheckpoint(q: Queryable, key: string, value: unknown, at: string): Promise<void> {
  await q.query(
    `INSERT INTO checkpoints (key, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    // JSON.stringify(undefined) is undefined, which would break NOT NULL.
    [key, JSON.stringify(value ?? null), at],
  );
}
