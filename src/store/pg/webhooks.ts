// The webhook queue on PostgreSQL, shared by every `listen` replica on the state: one table, so an
// event id seen by any replica is a duplicate for all of them.

import type pg from 'pg';
import type { WebhookQueue } from '../roles.js';
import { claimableEvents, fullEventText, toWebhookEvent, WEBHOOK_EVENT_COLUMNS, type WebhookEventTableRow } from '../rows.js';
import { inTransaction } from './connection.js';
import { LOCK_CLASS, lockKey } from './locks.js';
import { itemAt } from '../../shared/item-at.js';

export function pgWebhookQueue(pool: pg.Pool, clock: () => number, schema: string): WebhookQueue {
  const now = () => new Date(clock()).toISOString();
  return {
    async enqueueWebhookEvent(event) {
      // Every delivery counts as received, duplicates included; only a new event id is queued.
      const { rows } = await pool.query<{ queued: number }>(
        `WITH counted AS (UPDATE listener_stats SET received = received + 1, last_received_at = $4),
         queued AS (INSERT INTO webhook_events (event_id, type, conversation_id, received_at, emitted_at, full_event) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (event_id) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS queued FROM queued`,
        [event.eventId, event.type, event.conversationId, now(), event.emittedAt ?? null, fullEventText(event)],
      );
      return itemAt(rows, 0).queued === 1;
    },
    async queuedWebhookEvents(limit) {
      const { rows } = await pool.query<WebhookEventTableRow>(
        `SELECT ${WEBHOOK_EVENT_COLUMNS} FROM webhook_events
         WHERE processed_at IS NULL ORDER BY received_at, seq LIMIT $1`,
        [limit],
      );
      return rows.map(toWebhookEvent);
    },
    async claimWebhookEvents(claim) {
      const at = clock();
      return inTransaction(pool, async (q) => {
        // Claims run one at a time per state (for the length of this transaction; processing stays
        // parallel): under READ COMMITTED a claim running beside another would not see the other's
        // uncommitted claim, and both could take events of one conversation. Taken before the
        // UPDATE, whose snapshot then holds every claim committed so far.
        await q.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, lockKey(schema, 'webhook-claims')]);
        // SKIP LOCKED passes over rows another replica is writing (finishing or failing its batch):
        // they are its own, and waiting for them would only delay this claim.
        const { rows } = await q.query<WebhookEventTableRow>(
          `WITH claimed AS (
             UPDATE webhook_events SET claimed_by = $1, claim_expires_at = $3
             WHERE event_id IN (
               SELECT event_id FROM webhook_events
               WHERE ${claimableEvents({ owner: '$1', now: '$2', skipped: 'event_id = ANY ($4)' })}
               ORDER BY received_at, seq LIMIT $5 FOR UPDATE SKIP LOCKED)
             RETURNING ${WEBHOOK_EVENT_COLUMNS}, seq)
           SELECT ${WEBHOOK_EVENT_COLUMNS} FROM claimed ORDER BY received_at, seq`,
          [claim.owner, new Date(at).toISOString(), new Date(at + claim.leaseMs).toISOString(), claim.skip, claim.limit],
        );
        return rows.map(toWebhookEvent);
      });
    },
    async releaseWebhookEvents(eventIds) {
      await pool.query('UPDATE webhook_events SET claimed_by = NULL, claim_expires_at = NULL WHERE event_id = ANY ($1)', [eventIds]);
    },
    async markWebhookEventsProcessed(eventIds) {
      await pool.query(
        `WITH done AS (UPDATE webhook_events SET processed_at = $2 WHERE event_id = ANY ($1) AND processed_at IS NULL)
         UPDATE listener_stats SET last_processed_at = $2 WHERE cardinality($1::text[]) > 0`,
        [eventIds, now()],
      );
    },
    async recordWebhookFailure(eventIds, error) {
      await pool.query('UPDATE webhook_events SET attempts = attempts + 1, last_error = $2 WHERE event_id = ANY ($1)', [eventIds, error]);
    },
    async recordWebhookRejected(reason) {
      await pool.query('UPDATE listener_stats SET rejected = rejected + 1, last_reject_reason = $1', [reason]);
    },
    async listenerStats() {
      const { rows } = await pool.query<{
        received: number;
        rejected: number;
        lastReceivedAt: string | null;
        lastProcessedAt: string | null;
        lastRejectReason: string | null;
        queued: number;
        processed: number;
      }>(
        `SELECT received, rejected, last_received_at AS "lastReceivedAt", last_processed_at AS "lastProcessedAt",
           last_reject_reason AS "lastRejectReason",
           (SELECT count(*)::int FROM webhook_events WHERE processed_at IS NULL) AS queued,
           (SELECT count(processed_at)::int FROM webhook_events) AS processed
         FROM listener_stats`,
      );
      return itemAt(rows, 0);
    },
  };
}
