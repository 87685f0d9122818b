// State redaction on PostgreSQL: rewrites a text column in place, batch by batch (at-rest.ts), then
// rebuilds the tables it touched (VACUUM FULL). An UPDATE leaves the old row version behind as a
// dead tuple; a plain VACUUM makes its space reusable but does not zero it (measured: the old text
// is still in the table's files after it), so the tables are rewritten. The WAL segments, replicas
// and backups made before keep the old text until they are recycled or expire: README "Data
// already at rest" says so.

import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { AT_REST_COLUMNS, batchSelect, destinationsByConversation, planRewrite, type AtRestColumn, type AtRestCursor, type RewriteBatch, type ScrubReport } from '../at-rest.js';
import { inTransaction } from './connection.js';

/** How long VACUUM FULL waits for a table's lock before a plain VACUUM runs instead. */
const LOCK_WAIT = '5s';
/** How long the rewrite waits for snapshots other sessions opened before it (see olderSnapshots). */
const SNAPSHOT_WAIT_MS = 5_000;
const SNAPSHOT_POLL_MS = 100;
/** Sessions a run names when some stay open (the oldest first). */
const HOLDERS_NAMED = 5;
/** SQLSTATE lock_not_available: lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Tables a state redaction rewrites: the conversation rows', every at-rest column's, and meta (the unreadable conversations' errors). */
const TOUCHED_TABLES = [...new Set(['conversations', 'deliveries', 'meta', ...Object.values(AT_REST_COLUMNS).map((c) => c.table)])];

export function pgAtRest(pool: pg.Pool) {
  return {
    async deliveryDestinations(conversationIds: readonly string[]): Promise<Map<string, string[]>> {
      const { rows } = await pool.query<{ conversation_id: string; key: string }>(
        `SELECT d.conversation_id, dest.key FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id
         WHERE d.conversation_id = ANY($1) ORDER BY dest.key`,
        [conversationIds],
      );
      return destinationsByConversation(rows);
    },
    rewriteColumn(name: AtRestColumn, after: AtRestCursor, limit: number, rewrite: (value: string) => string): Promise<RewriteBatch> {
      const spec = AT_REST_COLUMNS[name];
      const keys = after === null ? [] : (JSON.parse(after) as unknown[]);
      const where = spec.key.map((k, i) => `${k} = $${i + 2}`).join(' AND ');
      return inTransaction(pool, async (q) => {
        const { rows } = await q.query<Record<string, unknown>>(`${batchSelect(spec, 'postgres', after !== null)} FOR UPDATE`, [...keys, limit]);
        const { writes, next } = planRewrite(spec, rows, limit, rewrite);
        for (const w of writes) {
          if (w.kind === 'delete') await q.query(`DELETE FROM ${spec.table} WHERE ${spec.key.map((k, i) => `${k} = $${i + 1}`).join(' AND ')}`, w.key);
          else await q.query(`UPDATE ${spec.table} SET ${spec.column} = $1 WHERE ${where}`, [w.value, ...w.key]);
          if (w.kind === 'update' && w.retag) {
            await q.query('UPDATE deliveries SET version = $1 WHERE destination_id = $2 AND conversation_id = $3 AND version = $4', [w.retag.version, w.key[0], w.key[1], w.retag.old]);
          }
        }
        return { next, changed: writes.length };
      });
    },
    /**
     * VACUUM FULL rewrites each table into new files, so the old row versions an UPDATE left behind
     * are gone from the tables' files (a plain VACUUM only marks their space reusable: the old text
     * stays there until overwritten). It locks each table while it copies it: waited for at most
     * LOCK_WAIT, else a plain VACUUM runs and the next run tries again. It needs the tables' owner.
     */
    async scrubFreeSpace(): Promise<ScrubReport> {
      const client = await pool.connect();
      try {
        // A table this role does not own is skipped by VACUUM with a mere warning: asked first.
        const { rows } = await client.query<{ owned: boolean }>(
          "SELECT bool_and(pg_has_role(c.relowner, 'MEMBER')) AS owned FROM pg_class c WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)",
          [TOUCHED_TABLES],
        );
        if (rows[0]?.owned !== true) return { done: false, detail: 'VACUUM did not run (this role does not own the tables): old row versions stay until autovacuum and new rows overwrite them' };
        const holder = await olderSnapshots(client);
        await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
        try {
          // ANALYZE too: the planner's statistics (pg_statistic) keep sample values of text columns,
          // which an autovacuum may have taken from the old rows; these are replaced by the new ones.
          await client.query(`VACUUM (FULL, ANALYZE) ${TOUCHED_TABLES.join(', ')}`);
          if (holder !== null) return { done: false, detail: `VACUUM FULL rewrote ${TOUCHED_TABLES.length} tables, but sessions open since before it (${holder}) held snapshots older than the rewrite, so old row versions they may still read were kept; the next run tries again` };
          return { done: true, detail: `VACUUM FULL rewrote ${TOUCHED_TABLES.length} tables: their files hold no old row versions (PostgreSQL's WAL keeps them until recycled, backups until they expire)` };
        } catch (err) {
          if ((err as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw err;
          await client.query(`VACUUM ${TOUCHED_TABLES.join(', ')}`);
          return { done: false, detail: 'VACUUM FULL could not lock the tables (another process is using them): a plain VACUUM ran, which leaves old row versions in place until overwritten; the next run tries again' };
        }
      } catch (err) {
        return { done: false, detail: `VACUUM did not run (${err instanceof Error ? err.message : String(err)}): old row versions stay until autovacuum and new rows overwrite them` };
      } finally {
        await client.query('RESET lock_timeout').catch(() => undefined);
        client.release();
      }
    },
  };
}

/**
 * VACUUM FULL keeps every old row version a snapshot open anywhere on the server might still read
 * (an autovacuum's ANALYZE at that moment, a long query, a transaction left open in another
 * database: measured, the rewritten files then still held the redacted text). So the sessions whose
 * snapshot or transaction is older than a transaction id taken now, after the redaction's last write,
 * are waited for, up to SNAPSHOT_WAIT_MS. Returns who still holds one then (oldest first, the first
 * HOLDERS_NAMED of them), or null. A role without
 * pg_read_all_stats sees only its own sessions' snapshots (README "Data already at rest").
 */
async function olderSnapshots(client: pg.PoolClient): Promise<string | null> {
  const mark = (await client.query<{ xid: string }>('SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid')).rows[0]?.xid;
  const holder = async () => {
    const { rows } = await client.query<{ who: string }>(
      `SELECT coalesce(nullif(application_name, ''), backend_type) || ' pid ' || pid || coalesce(' in ' || datname, '') AS who
       FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND greatest(age(backend_xmin), age(backend_xid)) > age($1::xid)
       ORDER BY greatest(age(backend_xmin), age(backend_xid)) DESC`,
      [mark],
    );
    if (rows.length === 0) return null;
    const more = rows.length > HOLDERS_NAMED ? `, and ${rows.length - HOLDERS_NAMED} more` : '';
    return rows.slice(0, HOLDERS_NAMED).map((r) => r.who).join(', ') + more;
  };
  for (let waited = 0; ; waited += SNAPSHOT_POLL_MS) {
    const who = await holder();
    if (who === null || waited >= SNAPSHOT_WAIT_MS) return who;
    await delay(SNAPSHOT_POLL_MS);
  }
}
