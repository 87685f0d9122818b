// Delivery state per destination: one row per (destination, conversation) holding that
// destination's Highlight and how far its delivery got. A destination that has no row for a
// conversation has never been sent it, so a new destination gets everything in its window.

import type Database from 'better-sqlite3';
import type { Highlight } from '../../highlight/types.js';
import { LEGACY_DESTINATION } from '../keys.js';
import { MAX_LISTED_REFUSALS, REFUSALS_ORDER, toDestinationTotals, toRefusal, type DestinationCountsRow, type RefusalRow } from '../rows.js';
import type { DestinationTotals } from '../types.js';
import { queueAction, type QueueOutcome } from '../upsert-rule.js';

// Same text as the partial index deliveries_pending, so SQLite can use it.
export const IS_PENDING = 'version IS NOT delivered_version AND version IS NOT refused_version';
export const IS_REFUSED = 'version = refused_version AND version IS NOT delivered_version';

export function deliveryStatements(db: Database.Database, now: () => string) {
  // pending_seq comes from the deliveries_seq index, so MAX() is a single lookup.
  const nextSeq = '(SELECT COALESCE(MAX(pending_seq), 0) + 1 FROM deliveries)';
  const selectVersion = db.prepare<[string, string], string>('SELECT version FROM deliveries WHERE destination = ? AND conversation_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO deliveries (destination, conversation_id, id, version, payload, pending_seq, updated_at)
     VALUES (@destination, @conversationId, @id, @version, @payload, ${nextSeq}, @now)`,
  );
  // A refusal of an earlier version does not hold a new one back (upsert-rule.ts queueAction).
  const replaceVersion = db.prepare(
    `UPDATE deliveries SET id = @id, version = @version, payload = @payload, attempts = 0, last_error = NULL,
       pending_seq = ${nextSeq}, updated_at = @now
     WHERE destination = @destination AND conversation_id = @conversationId`,
  );
  const resend = db.prepare(
    `UPDATE deliveries SET id = @id, version = @version, payload = @payload, delivered_version = NULL, refused_version = NULL,
       attempts = 0, last_error = NULL, pending_seq = ${nextSeq}, updated_at = @now
     WHERE destination = @destination AND conversation_id = @conversationId`,
  );
  // Items of an open batch wait for that batch: it already holds their payload and key.
  const selectPending = db.prepare<[{ destination: string; limit: number }], string>(
    `SELECT payload FROM deliveries
     WHERE destination = @destination AND ${IS_PENDING}
       AND id NOT IN (SELECT json_extract(item.value, '$.id') FROM batches, json_each(batches.highlights) AS item
                      WHERE batches.destination = @destination AND json_extract(item.value, '$.id') IS NOT NULL)
     ORDER BY pending_seq LIMIT @limit`,
  ).pluck();
  const countPending = db.prepare<[string], number>(`SELECT count(*) FROM deliveries WHERE destination = ? AND ${IS_PENDING}`).pluck();
  // Whatever version was accepted is what the destination now holds; a newer stored one stays pending.
  const setDelivered = db.prepare(
    `UPDATE deliveries SET delivered_version = @version, attempts = 0, last_error = NULL, delivered_at = @now, updated_at = @now
     WHERE destination = @destination AND id = @id`,
  );
  const setRefused = db.prepare(
    `UPDATE deliveries SET refused_version = @version, last_error = @error, attempts = attempts + 1, refused_at = @now, updated_at = @now
     WHERE destination = @destination AND id = @id`,
  );
  const bumpAttempts = db.prepare(
    'UPDATE deliveries SET attempts = attempts + 1, last_error = @error, updated_at = @now WHERE destination = @destination AND id = @id',
  );
  const unrefuse = db.prepare<[string]>(
    `UPDATE deliveries SET refused_version = NULL, attempts = 0, last_error = NULL WHERE destination = ? AND ${IS_REFUSED}`,
  );
  const countTotals = db.prepare<[string], DestinationCountsRow>(
    `SELECT count(*) AS highlights,
       count(*) FILTER (WHERE version = delivered_version) AS delivered,
       count(*) FILTER (WHERE ${IS_REFUSED}) AS refused,
       count(*) FILTER (WHERE ${IS_PENDING}) AS pending,
       max(delivered_at) AS last
     FROM deliveries WHERE destination = ?`,
  );
  const selectRefusals = db.prepare<[string, number], RefusalRow>(
    `SELECT id, version, last_error AS error, attempts, refused_at FROM deliveries
     WHERE destination = ? AND ${IS_REFUSED} ${REFUSALS_ORDER} LIMIT ?`,
  );
  const countAll = db.prepare<[], { delivered: number; refused: number; pending: number }>(
    `SELECT count(*) FILTER (WHERE version = delivered_version) AS delivered,
       count(*) FILTER (WHERE ${IS_REFUSED}) AS refused,
       count(*) FILTER (WHERE ${IS_PENDING}) AS pending
     FROM deliveries WHERE destination <> '${LEGACY_DESTINATION}'`,
  );
  const selectAllRefusals = db.prepare<[number], RefusalRow>(
    `SELECT id, version, last_error AS error, attempts, refused_at FROM deliveries
     WHERE destination <> '${LEGACY_DESTINATION}' AND ${IS_REFUSED} ${REFUSALS_ORDER} LIMIT ?`,
  );
  const selectDestinations = db.prepare<[], string>(`SELECT DISTINCT destination FROM deliveries WHERE destination <> '${LEGACY_DESTINATION}' ORDER BY destination`).pluck();

  return {
    /** A conversation new to the state has no delivery row anywhere yet: no need to look (the upsert's hot path). */
    queueNew(destination: string, h: Highlight): void {
      insert.run({ destination, conversationId: h.conversationId, id: h.id, version: h.version, payload: JSON.stringify(h), now: now() });
    },
    /** Not atomic on its own: the store runs it inside the conversation's upsert or enqueue. */
    queue(destination: string, h: Highlight, resendSame: boolean): QueueOutcome {
      const row = { destination, conversationId: h.conversationId, id: h.id, version: h.version, payload: JSON.stringify(h), now: now() };
      const outcome = queueAction(selectVersion.get(destination, h.conversationId), h.version, resendSame);
      if (outcome === 'new') insert.run(row);
      else if (outcome === 'resent') resend.run(row);
      else if (outcome === 'changed') replaceVersion.run(row);
      return outcome;
    },
    pending(destination: string, limit: number): Highlight[] {
      return selectPending.all({ destination, limit }).map((payload) => JSON.parse(payload) as Highlight);
    },
    pendingCount(destination: string): number {
      return countPending.get(destination) ?? 0;
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markDelivered(destination: string, items: readonly { id: string; version: string }[]): void {
      const at = now();
      for (const item of items) setDelivered.run({ destination, id: item.id, version: item.version, now: at });
    },
    /** Not atomic on its own: the store pairs it with deleting the batch. */
    markRefused(destination: string, item: { id: string; version: string }, error: string): void {
      setRefused.run({ destination, id: item.id, version: item.version, error, now: now() });
    },
    /** Not atomic on its own: the store runs it in one transaction. */
    bumpAttempts(destination: string, ids: readonly string[], error: string | null): void {
      const at = now();
      for (const id of ids) bumpAttempts.run({ destination, id, error, now: at });
    },
    retryRefused(destination: string): number {
      return unrefuse.run(destination).changes;
    },
    destinationTotals(destination: string): DestinationTotals {
      return toDestinationTotals(destination, countTotals.get(destination)!, selectRefusals.all(destination, MAX_LISTED_REFUSALS));
    },
    allTotals() {
      return { ...countAll.get()!, refusals: selectAllRefusals.all(MAX_LISTED_REFUSALS).map(toRefusal) };
    },
    destinations(): string[] {
      return selectDestinations.all();
    },
  };
}
