// Durable queue between `listen`'s HTTP handler and its processing loop, deduplicated by event id
// (Front retries deliveries), plus the counters `status` shows.

import type Database from 'better-sqlite3';
import type { ListenerStats, NewWebhookEvent, WebhookClaim, WebhookEventRow } from '../types.js';
import { StoreError } from '../../errors.js';
import { claimableEvents, fullEventText, toWebhookEvent, WEBHOOK_EVENT_COLUMNS, type WebhookEventTableRow } from '../rows.js';
import { writeTransaction } from './write-transaction.js';

export function webhookStatements(db: Database.Database, clock: () => number) {
  const now = () => new Date(clock()).toISOString();
  const insert = db.prepare(
    `INSERT INTO webhook_events (event_id, type, conversation_id, received_at, emitted_at, full_event)
     VALUES (@eventId, @type, @conversationId, @now, @emittedAt, @full)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  const countReceived = db.prepare('UPDATE listener_stats SET received = received + 1, last_received_at = ?');
  const selectQueued = db.prepare<[number], WebhookEventTableRow>(
    `SELECT ${WEBHOOK_EVENT_COLUMNS} FROM webhook_events
     WHERE processed_at IS NULL ORDER BY received_at, rowid LIMIT ?`,
  );
  const selectClaimable = db.prepare<{ owner: string; now: string; skip: string; limit: number }, WebhookEventTableRow>(
    `SELECT ${WEBHOOK_EVENT_COLUMNS} FROM webhook_events
     WHERE ${claimableEvents({ owner: '@owner', now: '@now', skipped: 'event_id IN (SELECT value FROM json_each(@skip))' })}
     ORDER BY received_at, rowid LIMIT @limit`,
  );
  const setClaim = db.prepare('UPDATE webhook_events SET claimed_by = @owner, claim_expires_at = @until WHERE event_id IN (SELECT value FROM json_each(@ids))');
  const clearClaim = db.prepare('UPDATE webhook_events SET claimed_by = NULL, claim_expires_at = NULL WHERE event_id IN (SELECT value FROM json_each(?))');
  const setProcessed = db.prepare('UPDATE webhook_events SET processed_at = @now WHERE event_id = @eventId AND processed_at IS NULL');
  const noteProcessed = db.prepare('UPDATE listener_stats SET last_processed_at = ?');
  const setFailure = db.prepare('UPDATE webhook_events SET attempts = attempts + 1, last_error = @error WHERE event_id = @eventId');
  const countRejected = db.prepare('UPDATE listener_stats SET rejected = rejected + 1, last_reject_reason = ?');
  const selectStats = db.prepare<[], Omit<ListenerStats, 'queued' | 'processed'>>(
    `SELECT received, rejected, last_received_at AS lastReceivedAt, last_processed_at AS lastProcessedAt,
       last_reject_reason AS lastRejectReason FROM listener_stats`,
  );
  const countQueue = db.prepare<[], { queued: number; processed: number }>(
    `SELECT count(*) FILTER (WHERE processed_at IS NULL) AS queued, count(processed_at) AS processed FROM webhook_events`,
  );

  return {
    /** Every delivery counts as received, duplicates included; only new event ids are queued. */
    enqueueWebhookEvent: writeTransaction(db, (event: NewWebhookEvent): boolean => {
      const at = now();
      countReceived.run(at);
      const row = { eventId: event.eventId, type: event.type, conversationId: event.conversationId, emittedAt: event.emittedAt ?? null, full: fullEventText(event) };
      return insert.run({ ...row, now: at }).changes === 1;
    }),
    queuedWebhookEvents(limit: number): WebhookEventRow[] {
      return selectQueued.all(limit).map(toWebhookEvent);
    },
    // SQLite is one machine: the write transaction's lock serialises concurrent claims, so the
    // conversation check sees every other replica's claim.
    claimWebhookEvents: writeTransaction(db, (claim: WebhookClaim): WebhookEventRow[] => {
      const at = clock();
      const rows = selectClaimable.all({ owner: claim.owner, now: new Date(at).toISOString(), skip: JSON.stringify(claim.skip), limit: claim.limit });
      setClaim.run({ owner: claim.owner, until: new Date(at + claim.leaseMs).toISOString(), ids: JSON.stringify(rows.map((r) => r.event_id)) });
      return rows.map(toWebhookEvent);
    }),
    releaseWebhookEvents(eventIds: readonly string[]): void {
      clearClaim.run(JSON.stringify(eventIds));
    },
    markWebhookEventsProcessed: writeTransaction(db, (eventIds: readonly string[]): void => {
      const at = now();
      for (const eventId of eventIds) setProcessed.run({ eventId, now: at });
      if (eventIds.length > 0) noteProcessed.run(at);
    }),
    recordWebhookFailure: writeTransaction(db, (eventIds: readonly string[], error: string): void => {
      for (const eventId of eventIds) setFailure.run({ eventId, error });
    }),
    recordWebhookRejected(reason: string): void {
      countRejected.run(reason);
    },
    listenerStats(): ListenerStats {
      const stats = selectStats.get();
      const queue = countQueue.get();
      if (!stats || !queue) throw new StoreError('the listener stats queries answered no row');
      return { ...stats, ...queue };
    },
  };
}
