// A destination's whole delivery state at once on PostgreSQL (the same rules as
// sqlite/destination-state.ts): moved to another identity (or claimed from a state written before
// delivery state was per destination), or forgotten. In the compact state (migration 5) a
// destination's rows and payloads carry its number and its counters live in its `destinations`
// row, so a move renames that row and forgetting deletes it with everything under it.

import type pg from 'pg';
import type { Deliveries } from '../roles.js';
import type { ForgottenDestination } from '../types.js';
import { inTransaction, type Queryable } from './connection.js';
import { LEGACY_DESTINATION, LEGACY_SYNC_CURSOR, scopeMetaFor } from '../keys.js';

interface DestinationRow {
  id: number;
  key: string;
  highlights: number;
  delivered: number;
  pending: number;
  refused: number;
}

/** Both destinations' rows, locked in id order (as the counting trigger locks them), so no writer changes their counters meanwhile. */
async function lockDestinations(q: Queryable, keys: readonly string[]): Promise<Map<string, DestinationRow>> {
  const { rows } = await q.query<DestinationRow>(
    `SELECT id, key, highlights::int, (highlights - pending - refused)::int AS delivered, pending::int, refused::int
     FROM destinations WHERE key = ANY ($1) ORDER BY id FOR UPDATE`,
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r]));
}

/** Deletes a destination's number with everything under it (the counting trigger then finds no row to count in). */
async function dropDestination(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM destinations WHERE id = $1', [id]);
  await q.query('DELETE FROM deliveries WHERE destination_id = $1', [id]);
  await q.query('DELETE FROM outbox_payloads WHERE destination_id = $1', [id]);
}

async function moveDestinationIn(q: Queryable, from: string, to: string, cursors: { from: string; to: string }): Promise<boolean> {
  if (from === to) return false;
  const found = await lockDestinations(q, [from, to]);
  const target = found.get(to);
  if (target !== undefined) {
    if (target.highlights > 0) return false;
    const has = await q.query('SELECT 1 FROM deliveries WHERE destination_id = $1 LIMIT 1', [target.id]);
    if ((has.rowCount ?? 0) > 0) return false;
  }
  const source = found.get(from);
  let moved = 0;
  if (source !== undefined) {
    // A number `to` kept without rows (nothing of its own) gives way; `from`'s key, which may hold a
    // secret the current identity rule drops, leaves the state with the rename.
    if (target !== undefined) await dropDestination(q, target.id);
    await q.query('UPDATE destinations SET key = $1 WHERE id = $2', [to, source.id]);
    moved = source.highlights;
  }
  await q.query('UPDATE batches SET destination = $1 WHERE destination = $2', [to, from]);
  const cursor = await q.query('UPDATE cursors SET name = $1 WHERE name = $2 AND NOT EXISTS (SELECT 1 FROM cursors WHERE name = $1)', [cursors.to, cursors.from]);
  if (moved + (cursor.rowCount ?? 0) === 0) return false;
  // The scope the cursor was recorded with (meta scope@<key>) moves with it.
  await q.query(
    'INSERT INTO meta (key, value) SELECT $2, value FROM meta WHERE key = $1 ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [scopeMetaFor(from), scopeMetaFor(to)],
  );
  await q.query('DELETE FROM meta WHERE key = $1', [scopeMetaFor(from)]);
  return true;
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
        const found = (await lockDestinations(q, [destination])).get(destination);
        if (found !== undefined) await dropDestination(q, found.id);
        const batches = await q.query('DELETE FROM batches WHERE destination = $1', [destination]);
        const cursor = await q.query('DELETE FROM cursors WHERE name = $1', [cursorName]);
        await q.query('DELETE FROM meta WHERE key = $1', [scopeMetaFor(destination)]);
        return {
          delivered: found?.delivered ?? 0,
          pending: found?.pending ?? 0,
          refused: found?.refused ?? 0,
          batches: batches.rowCount ?? 0,
          cursor: (cursor.rowCount ?? 0) > 0,
        };
      }),
  } satisfies Pick<Deliveries, 'claimLegacyDeliveries' | 'moveDestination' | 'forgetDestination'>;
}
