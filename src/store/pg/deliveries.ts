// Delivery state per destination on PostgreSQL: one row per (destination, conversation) with that
// destination's Highlight and how far its delivery got; batches belong to a destination (kept as
// the exact text sent, so a re-send after a crash carries the same bytes under the same key). The
// same rules as the SQLite store (sqlite/deliveries.ts, upsert-rule.ts), written set-wise. Each
// method but splitBatch and enqueue is one statement, hence atomic.

import type pg from 'pg';
import type { Highlight } from '../../highlight/types.js';
import { LEGACY_DESTINATION } from '../keys.js';
import type { Deliveries, Outbox } from '../roles.js';
import { MAX_LISTED_REFUSALS, REFUSALS_ORDER, toDestinationTotals, toRefusal, type DestinationCountsRow, type RefusalRow } from '../rows.js';
import type { DestinationTotals, StoreTotals } from '../types.js';
import { queueAction, type QueueOutcome } from '../upsert-rule.js';
import { inTransaction, type Queryable } from './connection.js';

// Same text as the partial index deliveries_pending, so the planner can use it.
export const IS_PENDING = 'version IS DISTINCT FROM delivered_version AND version IS DISTINCT FROM refused_version';
export const IS_REFUSED = 'version = refused_version AND version IS DISTINCT FROM delivered_version';
const NOT_LEGACY = `destination <> '${LEGACY_DESTINATION}'`;

interface DeliveryRow {
  destination: string;
  conversation_id: string;
  id: string;
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
  // FOR UPDATE: two processes queueing the same rows serialise here, so neither decides on a stale version.
  const { rows: stored } = await q.query<{ destination: string; conversation_id: string; version: string }>(
    `SELECT d.destination, d.conversation_id, d.version FROM deliveries d
     JOIN jsonb_to_recordset($1::jsonb) AS x(destination text, conversation_id text) USING (destination, conversation_id)
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
    writes.set(key, { destination, conversation_id: h.conversationId, id: h.id, version: h.version, payload: JSON.stringify(h) });
    return outcome;
  });
  if (writes.size > 0) {
    // nextval per row in array order keeps pending order = queue order, as SQLite's MAX()+1 does.
    await q.query(
      `INSERT INTO deliveries (destination, conversation_id, id, version, payload, pending_seq, updated_at)
       SELECT x.destination, x.conversation_id, x.id, x.version, x.payload, nextval('deliveries_pending_seq'), $2
       FROM jsonb_to_recordset($1::jsonb) AS x(destination text, conversation_id text, id text, version text, payload text)
       ON CONFLICT (destination, conversation_id) DO UPDATE SET id = excluded.id, version = excluded.version, payload = excluded.payload,
         attempts = 0, last_error = NULL, pending_seq = excluded.pending_seq, updated_at = excluded.updated_at,
         delivered_version = CASE WHEN $3 THEN NULL ELSE deliveries.delivered_version END,
         refused_version = CASE WHEN $3 THEN NULL ELSE deliveries.refused_version END`,
      [JSON.stringify([...writes.values()]), now, resend],
    );
  }
  return outcomes;
}

function pgOutbox(pool: pg.Pool, now: () => string, destination: string): Omit<Outbox, 'destination'> {
  return {
    async pending(limit) {
      // Items of an open batch wait for that batch: it already holds their payload and key.
      const { rows } = await pool.query<{ payload: string }>(
        `SELECT payload FROM deliveries d
         WHERE destination = $1 AND ${IS_PENDING}
           AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.destination = $1 AND d.id = ANY (b.item_ids))
         ORDER BY pending_seq LIMIT $2`,
        [destination, limit],
      );
      return rows.map((r) => JSON.parse(r.payload) as Highlight);
    },
    async pendingCount() {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE destination = $1 AND ${IS_PENDING}`, [destination]);
      return rows[0]!.n;
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
        `WITH gone AS (DELETE FROM batches WHERE destination = $1 AND key = $2)
         UPDATE deliveries d SET delivered_version = x.version, attempts = 0, last_error = NULL, delivered_at = $4, updated_at = $4
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, version text) WHERE d.destination = $1 AND d.id = x.id`,
        [destination, key, JSON.stringify(items.map((i) => ({ id: i.id, version: i.version }))), now()],
      );
    },
    async batchRefused(key, item, error) {
      await pool.query(
        `WITH gone AS (DELETE FROM batches WHERE destination = $1 AND key = $2)
         UPDATE deliveries SET refused_version = $4, last_error = $5, attempts = attempts + 1, refused_at = $6, updated_at = $6
         WHERE destination = $1 AND id = $3`,
        [destination, key, item.id, item.version, error, now()],
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
      await pool.query('UPDATE deliveries SET attempts = attempts + 1, last_error = $3, updated_at = $4 WHERE destination = $1 AND id = ANY ($2)', [
        destination,
        [...ids],
        error,
        now(),
      ]);
    },
    async totals(): Promise<DestinationTotals> {
      const { rows } = await pool.query<DestinationCountsRow>(
        `SELECT count(*)::int AS highlights,
           (count(*) FILTER (WHERE version = delivered_version))::int AS delivered,
           (count(*) FILTER (WHERE ${IS_REFUSED}))::int AS refused,
           (count(*) FILTER (WHERE ${IS_PENDING}))::int AS pending,
           max(delivered_at) AS last
         FROM deliveries WHERE destination = $1`,
        [destination],
      );
      const refusals = await pool.query<RefusalRow>(
        `SELECT id, version, last_error AS error, attempts, refused_at FROM deliveries
         WHERE destination = $1 AND ${IS_REFUSED} ${REFUSALS_ORDER} LIMIT $2`,
        [destination, MAX_LISTED_REFUSALS],
      );
      return toDestinationTotals(destination, rows[0]!, refusals.rows);
    },
    async retryRefused() {
      const result = await pool.query(`UPDATE deliveries SET refused_version = NULL, attempts = 0, last_error = NULL WHERE destination = $1 AND ${IS_REFUSED}`, [
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
        const { rows } = await pool.query<{ destination: string }>(`SELECT DISTINCT destination FROM deliveries WHERE ${NOT_LEGACY} ORDER BY destination`);
        return rows.map((r) => r.destination);
      },
      async totals(): Promise<StoreTotals> {
        const { rows } = await pool.query<{ conversations: number; delivered: number; refused: number; pending: number }>(
          `SELECT (SELECT count(*)::int FROM conversations) AS conversations,
             (count(*) FILTER (WHERE version = delivered_version))::int AS delivered,
             (count(*) FILTER (WHERE ${IS_REFUSED}))::int AS refused,
             (count(*) FILTER (WHERE ${IS_PENDING}))::int AS pending
           FROM deliveries WHERE ${NOT_LEGACY}`,
        );
        const refusals = await pool.query<RefusalRow>(
          `SELECT id, version, last_error AS error, attempts, refused_at FROM deliveries
           WHERE ${NOT_LEGACY} AND ${IS_REFUSED} ${REFUSALS_ORDER} LIMIT $1`,
          [MAX_LISTED_REFUSALS],
        );
        const t = rows[0]!;
        return { conversations: t.conversations, delivered: t.delivered, pending: t.pending, failed: t.refused, failures: refusals.rows.map(toRefusal) };
      },
    } satisfies Omit<Deliveries, 'outbox' | 'claimLegacyDeliveries' | 'moveDestination' | 'forgetDestination'>,
  };
}
