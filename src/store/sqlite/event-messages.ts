// Messages the event stream showed, waiting for the same run's conversation listing: events carry
// message bodies cheaply (15 per request) but each conversation only as it was at that event, so
// the listing decides the state and these rows supply the text. On disk, not in memory, so a run's
// footprint does not grow with the number of conversations; the conversation itself is not kept,
// because its JSON was twice the message's and the listing reads it anyway.

import type Database from 'better-sqlite3';
import type { FrontMessage } from '../../front/types.js';
import { inboxesOf, withInboxes } from '../rows.js';
import type { EventMessage, StagedMessage } from '../types.js';

interface Row {
  conversation_id: string;
  inbox: string | null;
  message: string;
}

export function eventMessageStatements(db: Database.Database) {
  // Only a newer message replaces the kept one: imported history arrives as new events carrying
  // old messages. Rows staged with keep 'oldest' (first-inbound text candidates) keep the older.
  // `inbox` holds every lane that showed the conversation (rows.ts inboxesOf).
  const replaces = `CASE WHEN @keepOldest THEN excluded.message_created_at < message_created_at
                         ELSE excluded.message_created_at >= message_created_at END`;
  const upsert = db.prepare(
    `INSERT INTO event_messages (run_key, conversation_id, inbox, message, message_created_at)
     VALUES (@runKey, @conversationId, @inbox, @message, @createdAt)
     ON CONFLICT (run_key, conversation_id) DO UPDATE SET
       inbox = excluded.inbox,
       message = CASE WHEN ${replaces} THEN excluded.message ELSE message END,
       message_created_at = CASE WHEN ${replaces} THEN excluded.message_created_at ELSE message_created_at END`,
  );
  const selectInbox = db.prepare<[string, string], string | null>('SELECT inbox FROM event_messages WHERE run_key = ? AND conversation_id = ?').pluck();
  const selectMessages = db.prepare<[string, string], { conversation_id: string; inbox: string | null; message: string }>(
    'SELECT conversation_id, inbox, message FROM event_messages WHERE run_key = ? AND conversation_id IN (SELECT value FROM json_each(?))',
  );
  const selectAfter = db.prepare<[string, string, number], Row>(
    'SELECT conversation_id, inbox, message FROM event_messages WHERE run_key = ? AND conversation_id > ? ORDER BY conversation_id LIMIT ?',
  );
  const deleteOne = db.prepare('DELETE FROM event_messages WHERE run_key = ? AND conversation_id = ?');
  const deleteRun = db.prepare('DELETE FROM event_messages WHERE run_key = ?');

  const fromRow = (row: Row): EventMessage => ({
    conversationId: row.conversation_id,
    inbox: inboxesOf(row.inbox)[0] ?? null,
    message: JSON.parse(row.message) as FrontMessage,
  });

  return {
    /** Not atomic on its own: the store pairs it with the page's items and checkpoint. */
    rememberEventMessages(runKey: string, items: readonly EventMessage[]): void {
      for (const item of items) {
        const createdAt = item.message.created_at;
        const inboxes = withInboxes(inboxesOf(selectInbox.get(runKey, item.conversationId) ?? null), item.inbox ? [item.inbox] : []);
        upsert.run({
          runKey,
          conversationId: item.conversationId,
          inbox: JSON.stringify(inboxes),
          message: JSON.stringify(item.message),
          createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
          keepOldest: item.keep === 'oldest' ? 1 : 0,
        });
      }
    },
    eventMessagesFor(runKey: string, conversationIds: readonly string[]): Map<string, StagedMessage> {
      const found = new Map<string, StagedMessage>();
      if (conversationIds.length === 0) return found;
      for (const row of selectMessages.all(runKey, JSON.stringify(conversationIds))) {
        found.set(row.conversation_id, { message: JSON.parse(row.message) as FrontMessage, inboxes: inboxesOf(row.inbox) });
      }
      return found;
    },
    eventMessagesAfter(runKey: string, afterConversationId: string | null, limit: number): EventMessage[] {
      return selectAfter.all(runKey, afterConversationId ?? '', limit).map(fromRow);
    },
    /** Not atomic on its own: the store pairs it with the page that imported them. */
    forgetEventMessages(runKey: string, conversationIds: readonly string[]): void {
      for (const id of conversationIds) deleteOne.run(runKey, id);
    },
    clearEventMessages(runKey: string): void {
      deleteRun.run(runKey);
    },
  };
}
