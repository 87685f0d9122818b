// Delivery state per destination: one row per (destination, conversation) with the version the
// destination has or is to get, its state (pending, delivered, refused) and when it got there. The
// Highlight to send is kept only while it is to be sent: once the destination accepted it, replay
// rebuilds it from the conversation. A destination that has no row for a conversation has never
// been sent it, so a new destination gets everything in its window. Destinations are numbered in
// `destinations`, which also holds their counters (kept by triggers, migrations.ts v7).

import type Database from 'better-sqlite3';
import type { Highlight } from '../../highlight/types.js';
import { StoreError } from '../../errors.js';
import { LEGACY_DESTINATION } from '../keys.js';
import {
  DELIVERY_STATE,
  requeueSet,
  sentSet,
  MAX_LISTED_REFUSALS,
  REFUSALS_ORDER,
  REFUSAL_COLUMNS,
  conversationIdOf,
  toDestinationTotals,
  toRefusal,
  type DestinationCountsRow,
  type RefusalRow,
} from '../rows.js';
import type { SentItem } from '../roles.js';
import type { DestinationTotals } from '../types.js';
import { queueAction, type QueueOutcome } from '../upsert-rule.js';

const { pending: PENDING, delivered: DELIVERED, refused: REFUSED } = DELIVERY_STATE;

export function deliveryStatements(db: Database.Database, now: () => string) {
  const ids = destinationIds(db);
  // Pending order within a destination: its pending rows' largest, found at the end of the partial
  // index deliveries_pending (one lookup).
  const nextSeq = `(SELECT COALESCE(MAX(pending_seq), 0) + 1 FROM deliveries WHERE destination_id = @dest AND state = ${PENDING})`;
  const selectVersion = db.prepare<[number, string], string>('SELECT version FROM deliveries WHERE destination_id = ? AND conversation_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq)
     VALUES (@dest, @conversationId, @version, ${PENDING}, @now, ${nextSeq})`,
  );
  const savePayload = db.prepare(
    `INSERT INTO outbox_payloads (destination_id, conversation_id, payload) VALUES (@dest, @conversationId, @payload)
     ON CONFLICT (destination_id, conversation_id) DO UPDATE SET payload = excluded.payload`,
  );
  const dropPayload = db.prepare('DELETE FROM outbox_payloads WHERE destination_id = @dest AND conversation_id = @conversationId');
  const selectState = db.prepare<[{ dest: number; conversationId: string }], number>(
    'SELECT state FROM deliveries WHERE destination_id = @dest AND conversation_id = @conversationId',
  ).pluck();
  // A refusal of an earlier version does not hold a new one back (upsert-rule.ts queueAction); a
  // change back to the version the destination has makes the row delivered again, nothing to send.
  const requeue = db.prepare(
    `UPDATE deliveries SET ${requeueSet('@version', '@now', nextSeq)}
     WHERE destination_id = @dest AND conversation_id = @conversationId`,
  );
  // Replay: pending at the same version, delivered or refused.
  const resend = db.prepare(
    `UPDATE deliveries SET version = @version, state = ${PENDING}, at = @now, pending_seq = ${nextSeq}, attempts = 0,
       last_error = NULL, delivered_version = NULL
     WHERE destination_id = @dest AND conversation_id = @conversationId`,
  );
  // Items of an open batch wait for that batch: it already holds their payload and key.
  const selectPending = db.prepare<[{ dest: number; key: string; limit: number }], string>(
    `SELECT p.payload FROM deliveries d JOIN outbox_payloads p USING (destination_id, conversation_id)
     WHERE d.destination_id = @dest AND d.state = ${PENDING}
       AND d.conversation_id NOT IN (SELECT json_extract(item.value, '$.conversationId') FROM batches, json_each(batches.highlights) AS item
                                   WHERE batches.destination = @key AND json_extract(item.value, '$.conversationId') IS NOT NULL)
     ORDER BY d.pending_seq LIMIT @limit`,
  ).pluck();
  // Whatever version was accepted is what the destination now has: a newer one queued since stays pending.
  const setDelivered = db.prepare(
    `UPDATE deliveries SET state = ${DELIVERED}, at = @now, attempts = 0, last_error = NULL, delivered_version = NULL
     WHERE destination_id = @dest AND conversation_id = @conversationId AND version = @version`,
  );
  // Sent straight from the state (Outbox.sentDirectly, rows.ts sentSet).
  const insertSent = db.prepare(
    `INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq)
     VALUES (@dest, @conversationId, @version, ${DELIVERED}, @now, 0) ON CONFLICT (destination_id, conversation_id) DO NOTHING`,
  );
  const updateSent = db.prepare(
    `UPDATE deliveries SET ${sentSet('@version', '@now')} WHERE destination_id = @dest AND conversation_id = @conversationId AND version = @prior`,
  );
  // One statement for a whole batch (a JSON array of conversation ids): usually none is waiting.
  const dropPayloads = db.prepare<[number, string]>(
    'DELETE FROM outbox_payloads WHERE destination_id = ? AND conversation_id IN (SELECT value FROM json_each(?))',
  );
  const setRefused = db.prepare(
    `UPDATE deliveries SET state = CASE WHEN version = @version THEN ${REFUSED} ELSE state END,
       at = CASE WHEN version = @version THEN @now ELSE at END, last_error = @error, attempts = attempts + 1
     WHERE destination_id = @dest AND conversation_id = @conversationId`,
  );
  const bumpAttempts = db.prepare(
    'UPDATE deliveries SET attempts = attempts + 1, last_error = @error WHERE destination_id = @dest AND conversation_id = @conversationId',
  );
  const unrefuse = db.prepare<[number]>(
    `UPDATE deliveries SET state = ${PENDING}, attempts = 0, last_error = NULL WHERE destination_id = ? AND state = ${REFUSED}`,
  );
  const selectCounts = db.prepare<[number], DestinationCountsRow>(
    'SELECT highlights, highlights - pending - refused AS delivered, refused, pending, last_delivery_at AS last FROM destinations WHERE id = ?',
  );
  const selectRefusals = db.prepare<[number, number], RefusalRow>(
    `SELECT ${REFUSAL_COLUMNS} FROM deliveries WHERE destination_id = ? AND state = ${REFUSED} ${REFUSALS_ORDER} LIMIT ?`,
  );
  const countAll = db.prepare<[], { delivered: number; refused: number; pending: number }>(
    `SELECT COALESCE(sum(highlights - pending - refused), 0) AS delivered, COALESCE(sum(refused), 0) AS refused, COALESCE(sum(pending), 0) AS pending
     FROM destinations WHERE key <> '${LEGACY_DESTINATION}'`,
  );
  const selectAllRefusals = db.prepare<[number], RefusalRow>(
    `SELECT ${REFUSAL_COLUMNS} FROM deliveries
     WHERE state = ${REFUSED} AND destination_id IN (SELECT id FROM destinations WHERE key <> '${LEGACY_DESTINATION}' AND refused > 0)
     ${REFUSALS_ORDER} LIMIT ?`,
  );
  const selectDestinations = db.prepare<[], string>(`SELECT key FROM destinations WHERE key <> '${LEGACY_DESTINATION}' AND highlights > 0 ORDER BY key`).pluck();
  const settle = (destination: string) => ids.find(destination);
  const queueAt = (dest: number, h: Highlight, resendSame: boolean): QueueOutcome => {
    const outcome = queueAction(selectVersion.get(dest, h.conversationId), h.version, resendSame);
    if (outcome === 'same') return outcome;
    const row = { dest, conversationId: h.conversationId, version: h.version, now: now() };
    if (outcome === 'new') insert.run(row);
    else if (outcome === 'resent') resend.run(row);
    else requeue.run(row);
    // A change back to the version the destination has leaves nothing to send.
    if (outcome === 'changed' && selectState.get(row) === DELIVERED) dropPayload.run(row);
    else savePayload.run({ ...row, payload: JSON.stringify(h) });
    return outcome;
  };
  return {
    /** A conversation new to the state has no delivery row anywhere yet: no need to look (the upsert's hot path). */
    queueNew(destination: string, h: Highlight): void {
      const row = { dest: ids.ensure(destination), conversationId: h.conversationId, version: h.version, now: now() };
      insert.run(row);
      savePayload.run({ ...row, payload: JSON.stringify(h) });
    },
    /** Not atomic on its own: the store runs it inside the conversation's upsert. */
    queue(destination: string, h: Highlight, resendSame: boolean): QueueOutcome {
      return queueAt(ids.ensure(destination), h, resendSame);
    },
    /** queue for many Highlights of one destination, numbered once. Not atomic on its own: the store runs it inside enqueue. */
    queueAll(destination: string, highlights: readonly Highlight[], resendSame: boolean): QueueOutcome[] {
      const dest = ids.ensure(destination);
      return highlights.map((h) => queueAt(dest, h, resendSame));
    },
    pending(destination: string, limit: number): Highlight[] {
      const dest = ids.find(destination);
      if (dest === undefined) return [];
      return selectPending.all({ dest, key: destination, limit }).map((payload) => JSON.parse(payload) as Highlight);
    },
    pendingCount(destination: string): number {
      const dest = ids.find(destination);
      return dest === undefined ? 0 : (selectCounts.get(dest)?.pending ?? 0);
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markDelivered(destination: string, items: readonly { id: string; version: string }[]): void {
      const dest = settle(destination);
      if (dest === undefined) return;
      const at = now();
      for (const item of items) {
        const row = { dest, conversationId: conversationIdOf(item.id), version: item.version, now: at };
        if (setDelivered.run(row).changes > 0) dropPayload.run(row);
      }
    },
    /** Not atomic on its own: the store runs it in one transaction. */
    markSent(destination: string, items: readonly SentItem[]): void {
      const dest = ids.ensure(destination);
      const at = now();
      const written = items.flatMap((item) => {
        const row = { dest, conversationId: conversationIdOf(item.id), version: item.version, now: at };
        const result = item.prior === null ? insertSent.run(row) : updateSent.run({ ...row, prior: item.prior });
        return result.changes > 0 ? [row.conversationId] : [];
      });
      if (written.length > 0) dropPayloads.run(dest, JSON.stringify(written));
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markRefused(destination: string, item: { id: string; version: string }, error: string): void {
      const dest = settle(destination);
      if (dest !== undefined) setRefused.run({ dest, conversationId: conversationIdOf(item.id), version: item.version, error, now: now() });
    },
    /** Not atomic on its own: the store runs it in one transaction. */
    bumpAttempts(destination: string, ids_: readonly string[], error: string | null): void {
      const dest = settle(destination);
      if (dest === undefined) return;
      for (const id of ids_) bumpAttempts.run({ dest, conversationId: conversationIdOf(id), error });
    },
    retryRefused(destination: string): number {
      const dest = ids.find(destination);
      return dest === undefined ? 0 : unrefuse.run(dest).changes;
    },
    destinationTotals(destination: string): DestinationTotals {
      const dest = ids.find(destination);
      const counts = dest === undefined ? undefined : selectCounts.get(dest);
      if (dest === undefined || !counts) return toDestinationTotals(destination, { highlights: 0, delivered: 0, refused: 0, pending: 0, last: null }, []);
      return toDestinationTotals(destination, counts, counts.refused > 0 ? selectRefusals.all(dest, MAX_LISTED_REFUSALS) : []);
    },
    allTotals() {
      const all = countAll.get();
      if (!all) throw new StoreError('the delivery totals query answered no row');
      return { ...all, refusals: all.refused > 0 ? selectAllRefusals.all(MAX_LISTED_REFUSALS).map(toRefusal) : [] };
    },
    destinations(): string[] {
      return selectDestinations.all();
    },
  };
}

/**
 * Destination keys and their numbers; reading never creates one (a destination unknown to the state
 * has no delivery state). Not remembered between calls: a number made in a transaction that then
 * rolls back is gone again.
 */
function destinationIds(db: Database.Database) {
  const select = db.prepare<[string], number>('SELECT id FROM destinations WHERE key = ?').pluck();
  const insert = db.prepare<[string]>('INSERT INTO destinations (key) VALUES (?) ON CONFLICT (key) DO NOTHING');
  const find = (key: string): number | undefined => select.get(key);
  return {
    find,
    /** Not atomic on its own: called inside the write that needs it. */
    ensure(key: string): number {
      insert.run(key);
      const id = find(key);
      if (id === undefined) throw new StoreError(`destination ${key} has no number right after it was added`);
      return id;
    },
  };
}
