// State redaction on PostgreSQL: rewrites a text column in place, batch by batch (at-rest.ts), then
// VACUUMs the tables it touched. An UPDATE leaves the old row version behind as a dead tuple until
// VACUUM makes its space reusable; even then PostgreSQL does not zero that space (it is
// overwritten as new rows arrive), and the WAL segments, replicas and backups made before keep the
// old text until they are recycled or expire. README "PII redaction" says so.

import type pg from 'pg';
import { AT_REST_COLUMNS, batchSelect, planRewrite, type AtRestColumn, type AtRestCursor, type RewriteBatch, type ScrubReport } from '../at-rest.js';
import { inTransaction } from './connection.js';

/** Tables a state redaction rewrites: the conversation rows' and every at-rest column's. */
const TOUCHED_TABLES = [...new Set(['conversations', 'deliveries', ...Object.values(AT_REST_COLUMNS).map((c) => c.table)])];

export function pgAtRest(pool: pg.Pool) {
  return {
    async deliveryDestinations(conversationIds: readonly string[]): Promise<Map<string, string[]>> {
      const { rows } = await pool.query<{ conversation_id: string; key: string }>(
        `SELECT d.conversation_id, dest.key FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id
         WHERE d.conversation_id = ANY($1) ORDER BY dest.key`,
        [conversationIds],
      );
      const found = new Map<string, string[]>();
      for (const row of rows) found.set(row.conversation_id, [...(found.get(row.conversation_id) ?? []), row.key]);
      return found;
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
    /** VACUUM needs its own statement outside a transaction and the table's owner (or MAINTAIN): a role without it is told so. */
    async scrubFreeSpace(): Promise<ScrubReport> {
      try {
        // A table this role does not own is skipped by VACUUM with a mere warning: asked first.
        const { rows } = await pool.query<{ owned: boolean }>(
          "SELECT bool_and(pg_has_role(c.relowner, 'MEMBER')) AS owned FROM pg_class c WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)",
          [TOUCHED_TABLES],
        );
        if (rows[0]?.owned !== true) throw Object.assign(new Error('not the owner'), { code: '42501' });
        await pool.query(`VACUUM ${TOUCHED_TABLES.join(', ')}`);
        return { done: true, detail: `VACUUM ran on ${TOUCHED_TABLES.length} tables: old row versions are gone from them (PostgreSQL's WAL and backups keep theirs until recycled)` };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const why = code === '42501' ? 'this role may not VACUUM them (it needs to own the tables)' : err instanceof Error ? err.message : String(err);
        return { done: false, detail: `VACUUM did not run (${why}): old row versions stay until autovacuum reclaims them` };
      }
    },
  };
}
