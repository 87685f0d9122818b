// A destination's whole delivery state at once on PostgreSQL (the same rules as
// sqlite/destination-state.ts): moved to another identity (or claimed from a state written before
// delivery state was per destination), or forgotten.

import type pg from 'pg';
import type { Deliveries } from '../roles.js';
import type { ForgottenDestination } from '../types.js';
import { inTransaction, type Queryable } from './connection.js';
import { IS_PENDING, IS_REFUSED } from './deliveries.js';
import { LEGACY_DESTINATION, LEGACY_SYNC_CURSOR } from '../keys.js';

async function moveDestinationIn(q: Queryable, from: string, to: string, cursors: { from: string; to: string }): Promise<boolean> {
  if (from === to) return false;
  const has = await q.query('SELECT 1 FROM deliveries WHERE destination = $1 LIMIT 1', [to]);
  if ((has.rowCount ?? 0) > 0) return false;
  const moved = await q.query('UPDATE deliveries SET destination = $1 WHERE destination = $2', [to, from]);
  await q.query('UPDATE batches SET destination = $1 WHERE destination = $2', [to, from]);
  const cursor = await q.query('UPDATE cursors SET name = $1 WHERE name = $2 AND NOT EXISTS (SELECT 1 FROM cursors WHERE name = $1)', [cursors.to, cursors.from]);
  return (moved.rowCount ?? 0) + (cursor.rowCount ?? 0) > 0;
}

export function pgDestinationState(pool: pg.Pool) {
  return {
    claimLegacyDeliveries: (destination: string, cursorName: string) =>
      inTransaction(pool, (q) =>
        destination === LEGACY_DESTINATION ? Promise.resolve(false) : moveDestinationIn(q, LEGACY_DESTINATION, destination, { from: LEGACY_SYNC_CURSOR, to: cursorName }),
      ),
    moveDestination: (from: string, to: string, cursors: { from: string; to: string }) => inTransaction(pool, (q) => moveDestinationIn(q, from, to, cursors)),
    forgetDestination: (destination: string, cursorName: string) =>
      inTransaction(pool, async (q): Promise<ForgottenDestination> => {
        const { rows } = await q.query<Omit<ForgottenDestination, 'batches' | 'cursor'>>(
          `SELECT (count(*) FILTER (WHERE version = delivered_version))::int AS delivered,
             (count(*) FILTER (WHERE ${IS_PENDING}))::int AS pending,
             (count(*) FILTER (WHERE ${IS_REFUSED}))::int AS refused
           FROM deliveries WHERE destination = $1`,
          [destination],
        );
        await q.query('DELETE FROM deliveries WHERE destination = $1', [destination]);
        const batches = await q.query('DELETE FROM batches WHERE destination = $1', [destination]);
        const cursor = await q.query('DELETE FROM cursors WHERE name = $1', [cursorName]);
        return { ...rows[0]!, batches: batches.rowCount ?? 0, cursor: (cursor.rowCount ?? 0) > 0 };
      }),
  } satisfies Pick<Deliveries, 'claimLegacyDeliveries' | 'moveDestination' | 'forgetDestination'>;
}
