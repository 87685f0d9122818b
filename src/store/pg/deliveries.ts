// Delivery state per destination on PostgreSQL: one row per (destination, conversation) with the
// version the destination has or is to get, its state and when it got there, and the Highlight only
// while it is to be sent (the compact state, migration 5); destinations are numbered in
// `destinations`, which holds their counters (kept by triggers). Batches belong to a destination
// (kept as the exact text sent, so a re-send after a crash carries the same bytes under the same
// key). The same rules as the SQLite store (sqlite/deliveries.ts, upsert-rule.ts), written
// set-wise. Each method but splitBatch and enqueue is one statement, hence atomic. Moving or forgetting
// a destination's whole delivery state is destination-state.ts.

import type pg from 'pg';
import type { Highlight } from '../../highlight/types.js';
import { LEGACY_DESTINATION } from '../keys.js';
import type { Deliveries, Outbox } from '../roles.js';
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
import type { DestinationTotals, StoreTotals } from '../types.js';
import { queueAction, type QueueOutcome } from '../upsert-rule.js';
import { inTransaction, type Queryable } from './connection.js';
import { itemAt } from '../../shared/item-at.js';

const { pending: PENDING, delivered: DELIVERED, refused: REFUSED } = DELIVERY_STATE;
/** The destination numbered for the key in parameter $1. */
const DEST = '(SELECT id FROM destinations WHERE key = $1)';
const NOT_LEGACY = `key <> '${LEGACY_DESTINATION}'`;

interface DeliveryRow {
  destination: string;
  conversation_id: string;
  version: string;
  payload: string;
}

/**
 * Queues destinations' Highlights inside the caller's transaction, with the outcome of each in
 * order, as if queued one by one (a later item for the same row sees the earlier one). `resend`
 * (replay) makes rows pending again at the version they hold.
 */
export async function queueDeliveries(
  q: Queryable,
  items: readonly { destination: string; highlight: Highlight }[],
  now: string,
  resend: boolean,
): Promise<QueueOutcome[]> {
  if (items.length === 0) return [];
  const keyOf = (destination: string, conversationId: string) => JSON.stringify([destination, conversationId]);
  const pairs = [...new Map(items.map((i) => [keyOf(i.destination, i.highlight.conversationId), { destination: i.destination, conversation_id: i.highlight.conversationId }])).values()];
  await q.query('INSERT INTO destinations (key) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (key) DO NOTHING', [[...new Set(items.map((i) => i.destination))]]);
  // FOR UPDATE: two processes queueing the same rows serialise here, so neither decides on a stale version.
  const { rows: stored } = await q.query<{ destination: string; conversation_id: string; version: string }>(
    `SELECT x.destination, d.conversation_id, d.version FROM jsonb_to_recordset($1::jsonb) AS x(destination text, conversation_id text)
     JOIN destinations k ON k.key = x.destination
     JOIN deliveries d ON d.destination_id = k.id AND d.conversation_id = x.conversation_id
     FOR UPDATE OF d`,
    [JSON.stringify(pairs)],
  );
  const held = new Map(stored.map((r) => [keyOf(r.destination, r.conversation_id), r.version]));
  const writes = new Map<string, DeliveryRow>();
  const outcomes = items.map(({ destination, highlight: h }) => {
    const key = keyOf(destination, h.conversationId);
    const outcome = queueAction(held.get(key), h.version, resend);
    if (outcome === 'same') return outcome;
    held.set(key, h.version);
    // Map order is first-insertion order: delete first so the latest write takes the latest seq.
    writes.delete(key);
    writes.set(key, { destination, conversation_id: h.conversationId, version: h.version, payload: JSON.stringify(h) });
    return outcome;
  });
  if (writes.size > 0) {
    // nextval per row in array order keeps pending order = queue order, as SQLite's MAX()+1 does.
    await q.query(
      `INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq)
       SELECT (SELECT id FROM destinations WHERE key = x.destination), x.conversation_id, x.version, ${PENDING}, $2,
         nextval('deliveries_pending_seq')
       FROM jsonb_to_recordset($1::jsonb) AS x(destination text, conversation_id text, version text)
       ON CONFLICT (destination_id, conversation_id) DO UPDATE SET ${
         resend
           ? `version = excluded.version, state = ${PENDING}, at = excluded.at, pending_seq = excluded.pending_seq,
              attempts = 0, last_error = NULL, delivered_version = NULL`
           : requeueSet('excluded.version', 'excluded.at', 'excluded.pending_seq')
       }`,
      [JSON.stringify([...writes.values()]), now],
    );
    // The Highlight waits beside its row while it is to be sent; a change back to the version the
    // destination has leaves nothing to send.
    await q.query(
      `WITH x AS (SELECT (SELECT id FROM destinations WHERE key = x.destination) AS destination_id, x.conversation_id, x.payload
                  FROM jsonb_to_recordset($1::jsonb) AS x(destination text, conversation_id text, payload text)),
       gone AS (DELETE FROM outbox_payloads p USING x, deliveries d
                WHERE p.destination_id = x.destination_id AND p.conversation_id = x.conversation_id
                  AND d.destination_id = x.destination_id AND d.conversation_id = x.conversation_id AND d.state = ${DELIVERED})
       INSERT INTO outbox_payloads (destination_id, conversation_id, payload)
       SELECT x.destination_id, x.conversation_id, x.payload FROM x JOIN deliveries d USING (destination_id, conversation_id)
       WHERE d.state <> ${DELIVERED}
       ON CONFLICT (destination_id, conversation_id) DO UPDATE SET payload = excluded.payload`,
      [JSON.stringify([...writes.values()])],
    );
  }
  return outcomes;
}

function pgOutbox(pool: pg.Pool, now: () => string, destination: string): Omit<Outbox, 'destination'> {
  return {
    async pending(limit) {
      // Items of an open batch wait for that batch: it already holds their payload and key.
      const { rows } = await pool.query<{ payload: string }>(
        `SELECT p.payload FROM deliveries d JOIN outbox_payloads p USING (destination_id, conversation_id)
         WHERE d.destination_id = ${DEST} AND d.state = ${PENDING}
           AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.destination = $1 AND 'front:' || d.conversation_id = ANY (b.item_ids))
         ORDER BY d.pending_seq LIMIT $2`,
        [destination, limit],
      );
      return rows.map((r) => JSON.parse(r.payload) as Highlight);
    },
    async pendingCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT pending::int AS n FROM destinations WHERE key = $1', [destination]);
      return rows[0]?.n ?? 0;
    },
    async openBatches() {
      const { rows } = await pool.query<{ key: string; highlights: string }>('SELECT key, highlights FROM batches WHERE destination = $1 ORDER BY seq', [destination]);
      return rows.map((b) => ({ key: b.key, highlights: JSON.parse(b.highlights) as Highlight[] }));
    },
    async saveBatch(batch) {
      // DO NOTHING: a batch, once fixed, never changes under its key.
      await pool.query(
        `INSERT INTO batches (destination, key, highlights, item_ids, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (destination, key) DO NOTHING`,
        [destination, batch.key, JSON.stringify(batch.highlights), batch.highlights.map((h) => h.id), now()],
      );
    },
    async batchAccepted(key, items) {
      // Whatever version was accepted is what the destination now holds; a newer stored one stays pending.
      await pool.query(
        `WITH gone AS (DELETE FROM batches WHERE destination = $1 AND key = $2),
         sent AS (UPDATE deliveries d SET state = ${DELIVERED}, at = $4, attempts = 0, last_error = NULL, delivered_version = NULL
           FROM jsonb_to_recordset($3::jsonb) AS x(conversation_id text, version text)
           WHERE d.destination_id = ${DEST} AND d.conversation_id = x.conversation_id AND d.version = x.version
           RETURNING d.destination_id, d.conversation_id)
         DELETE FROM outbox_payloads p USING sent WHERE p.destination_id = sent.destination_id AND p.conversation_id = sent.conversation_id`,
        [destination, key, JSON.stringify(items.map((i) => ({ conversation_id: conversationIdOf(i.id), version: i.version }))), now()],
      );
    },
    async batchRefused(key, item, error) {
      await pool.query(
        `WITH gone AS (DELETE FROM batches WHERE destination = $1 AND key = $2)
         UPDATE deliveries SET state = CASE WHEN version = $4 THEN ${REFUSED} ELSE state END, at = CASE WHEN version = $4 THEN $6 ELSE at END,
           last_error = $5, attempts = attempts + 1
         WHERE destination_id = ${DEST} AND conversation_id = $3`,
        [destination, key, conversationIdOf(item.id), item.version, error, now()],
      );
    },
    async splitBatch(key, parts) {
      const rows = parts.map((p) => ({ key: p.key, highlights: JSON.stringify(p.highlights), item_ids: p.highlights.map((h) => h.id) }));
      // Two statements: in one, the insert would not see the delete and a part that keeps the
      // batch's own key would vanish with it.
      await inTransaction(pool, async (q) => {
        await q.query('DELETE FROM batches WHERE destination = $1 AND key = $2', [destination, key]);
        await q.query(
          `INSERT INTO batches (destination, key, highlights, item_ids, created_at)
           SELECT $1, x.key, x.highlights, ARRAY(SELECT jsonb_array_elements_text(x.item_ids)), $3
           FROM jsonb_to_recordset($2::jsonb) AS x(key text, highlights text, item_ids jsonb)
           ON CONFLICT (destination, key) DO NOTHING`,
          [destination, JSON.stringify(rows), now()],
        );
      });
    },
    async recordAttempt(ids, error) {
      await pool.query(`UPDATE deliveries SET attempts = attempts + 1, last_error = $3 WHERE destination_id = ${DEST} AND conversation_id = ANY ($2)`, [
        destination,
        ids.map(conversationIdOf),
        error,
      ]);
    },
    async totals(): Promise<DestinationTotals> {
      const { rows } = await pool.query<DestinationCountsRow>(
        `SELECT highlights::int, (highlights - pending - refused)::int AS delivered, refused::int, pending::int, last_delivery_at AS last
         FROM destinations WHERE key = $1`,
        [destination],
      );
      const counts = rows[0] ?? { highlights: 0, delivered: 0, refused: 0, pending: 0, last: null };
      const refusals =
        counts.refused > 0
          ? (
              await pool.query<RefusalRow>(`SELECT ${REFUSAL_COLUMNS} FROM deliveries WHERE destination_id = ${DEST} AND state = ${REFUSED} ${REFUSALS_ORDER} LIMIT $2`, [
                destination,
                MAX_LISTED_REFUSALS,
              ])
            ).rows
          : [];
      return toDestinationTotals(destination, counts, refusals);
    },
    async sentDirectly(items) {
      if (items.length === 0) return;
      // One statement, hence atomic. A statement does not see its own CTE's insert, so a destination
      // numbered here gets its number from that insert (rows.ts sentSet: which rows are written).
      await pool.query(
        `WITH x AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) AS x(conversation_id, version, prior)),
         added AS (INSERT INTO destinations (key) VALUES ($1) ON CONFLICT (key) DO NOTHING RETURNING id),
         updated AS (
           UPDATE deliveries d SET ${sentSet('x.version', '$5')} FROM x
           WHERE d.destination_id = ${DEST} AND d.conversation_id = x.conversation_id AND d.version = x.prior
           RETURNING d.destination_id, d.conversation_id),
         inserted AS (
           INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq)
           SELECT COALESCE((SELECT id FROM added), ${DEST}), x.conversation_id, x.version, ${DELIVERED}, $5, 0 FROM x WHERE x.prior IS NULL
           ON CONFLICT (destination_id, conversation_id) DO NOTHING
           RETURNING destination_id, conversation_id)
         DELETE FROM outbox_payloads p USING (SELECT * FROM updated UNION ALL SELECT * FROM inserted) sent
         WHERE p.destination_id = sent.destination_id AND p.conversation_id = sent.conversation_id`,
        [destination, items.map((i) => conversationIdOf(i.id)), items.map((i) => i.version), items.map((i) => i.prior), now()],
      );
    },
    async retryRefused() {
      const result = await pool.query(`UPDATE deliveries SET state = ${PENDING}, attempts = 0, last_error = NULL WHERE destination_id = ${DEST} AND state = ${REFUSED}`, [
        destination,
      ]);
      return result.rowCount ?? 0;
    },
    async enqueue(highlights, opts) {
      const outcomes = await inTransaction(pool, (q) => queueDeliveries(q, highlights.map((highlight) => ({ destination, highlight })), now(), opts.resend));
      return outcomes.filter((o) => o !== 'same').length;
    },
  };
}

/** The outboxes' methods per destination, and what spans destinations. */
export function pgDeliveries(pool: pg.Pool, now: () => string) {
  return {
    outboxMethods: (destination: string) => pgOutbox(pool, now, destination),
    methods: {
      async destinations() {
        const { rows } = await pool.query<{ key: string }>(`SELECT key FROM destinations WHERE ${NOT_LEGACY} AND highlights > 0 ORDER BY key COLLATE "C"`);
        return rows.map((r) => r.key);
      },
      async totals(): Promise<StoreTotals> {
        const { rows } = await pool.query<{ conversations: number; delivered: number; refused: number; pending: number }>(
          `SELECT (SELECT conversations::int FROM state_counts) AS conversations,
             COALESCE(sum(highlights - pending - refused), 0)::int AS delivered, COALESCE(sum(refused), 0)::int AS refused,
             COALESCE(sum(pending), 0)::int AS pending
           FROM destinations WHERE ${NOT_LEGACY}`,
        );
        const t = itemAt(rows, 0);
        const refusals =
          t.refused > 0
            ? (
                await pool.query<RefusalRow>(
                  `SELECT ${REFUSAL_COLUMNS} FROM deliveries
                   WHERE state = ${REFUSED} AND destination_id IN (SELECT id FROM destinations WHERE ${NOT_LEGACY} AND refused > 0)
                   ${REFUSALS_ORDER} LIMIT $1`,
                  [MAX_LISTED_REFUSALS],
                )
              ).rows
            : [];
        return { conversations: t.conversations, delivered: t.delivered, pending: t.pending, failed: t.refused, failures: refusals.map(toRefusal) };
      },
    } satisfies Omit<Deliveries, 'outbox' | 'claimLegacyDeliveries' | 'moveDestination' | 'forgetDestination'>,
  };
}
