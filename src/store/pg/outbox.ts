// The outbox on PostgreSQL: pending Highlights, batches fixed before a send (kept as the exact text
// sent, so a re-send after a crash carries the same bytes under the same key) and delivery results.
// Each method but splitBatch is one statement, hence atomic without an explicit transaction.

import type pg from 'pg';
import type { Highlight } from '../../highlight/types.js';
import type { Outbox } from '../roles.js';
import { inTransaction } from './connection.js';

const MAX_LISTED_FAILURES = 20;

// Same text as the partial index conversations_pending, so the planner can use it.
const IS_PENDING = 'version IS DISTINCT FROM delivered_version AND version IS DISTINCT FROM failed_version';
const IS_FAILED = 'version = failed_version AND version IS DISTINCT FROM delivered_version';

export function pgOutbox(pool: pg.Pool, now: () => string): Outbox {
  const countPending = async (): Promise<number> =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE ${IS_PENDING}`)).rows[0]!.n;

  return {
    async pending(limit) {
      // Items of an open batch wait for that batch: it already holds their payload and key.
      const { rows } = await pool.query<{ payload: string }>(
        `SELECT payload FROM conversations c
         WHERE ${IS_PENDING} AND NOT EXISTS (SELECT 1 FROM batches b WHERE c.id = ANY (b.item_ids))
         ORDER BY pending_seq LIMIT $1`,
        [limit],
      );
      return rows.map((r) => JSON.parse(r.payload) as Highlight);
    },
    pendingCount: countPending,
    async openBatches() {
      const { rows } = await pool.query<{ key: string; highlights: string }>('SELECT key, highlights FROM batches ORDER BY seq');
      return rows.map((b) => ({ key: b.key, highlights: JSON.parse(b.highlights) as Highlight[] }));
    },
    async saveBatch(batch) {
      // DO NOTHING: a batch, once fixed, never changes under its key.
      await pool.query(
        'INSERT INTO batches (key, highlights, item_ids, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
        [batch.key, JSON.stringify(batch.highlights), batch.highlights.map((h) => h.id), now()],
      );
    },
    async batchAccepted(key, items) {
      // Whatever version was accepted is what the destination now holds; a newer stored one stays pending.
      await pool.query(
        `WITH gone AS (DELETE FROM batches WHERE key = $1)
         UPDATE conversations c SET delivered_version = x.version, attempts = 0, last_error = NULL, updated_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, version text) WHERE c.id = x.id`,
        [key, JSON.stringify(items.map((i) => ({ id: i.id, version: i.version }))), now()],
      );
    },
    async batchRefused(key, item, error) {
      await pool.query(
        `WITH gone AS (DELETE FROM batches WHERE key = $1)
         UPDATE conversations SET failed_version = $3, last_error = $4, attempts = attempts + 1, updated_at = $5 WHERE id = $2`,
        [key, item.id, item.version, error, now()],
      );
    },
    async splitBatch(key, parts) {
      const rows = parts.map((p) => ({ key: p.key, highlights: JSON.stringify(p.highlights), item_ids: p.highlights.map((h) => h.id) }));
      // Two statements: in one, the insert would not see the delete and a part that keeps the
      // batch's own key would vanish with it.
      await inTransaction(pool, async (q) => {
        await q.query('DELETE FROM batches WHERE key = $1', [key]);
        await q.query(
          `INSERT INTO batches (key, highlights, item_ids, created_at)
           SELECT x.key, x.highlights, ARRAY(SELECT jsonb_array_elements_text(x.item_ids)), $2
           FROM jsonb_to_recordset($1::jsonb) AS x(key text, highlights text, item_ids jsonb)
           ON CONFLICT (key) DO NOTHING`,
          [JSON.stringify(rows), now()],
        );
      });
    },
    async recordAttempt(ids, error) {
      await pool.query('UPDATE conversations SET attempts = attempts + 1, last_error = $2, updated_at = $3 WHERE id = ANY ($1)', [ids, error, now()]);
    },
    async totals() {
      const { rows } = await pool.query<{ conversations: number; delivered: number; failed: number; pending: number }>(
        `SELECT count(*)::int AS conversations,
           (count(*) FILTER (WHERE version = delivered_version))::int AS delivered,
           (count(*) FILTER (WHERE ${IS_FAILED}))::int AS failed,
           (count(*) FILTER (WHERE ${IS_PENDING}))::int AS pending
         FROM conversations`,
      );
      const failures = await pool.query<{ id: string; version: string; error: string | null; attempts: number }>(
        `SELECT id, version, last_error AS error, attempts FROM conversations WHERE ${IS_FAILED}
         ORDER BY updated_at DESC, pending_seq DESC LIMIT $1`,
        [MAX_LISTED_FAILURES],
      );
      return { ...rows[0]!, failures: failures.rows.map((f) => ({ ...f, error: f.error ?? '' })) };
    },
  };
}
