// A destination's whole delivery state at once: its rows, their payloads, its counters, open
// batches and sync cursor, moved to another identity (a state written before the identity rule
// changed, or before delivery state was per destination) or forgotten (`front-import destinations
// forget`). In the compact state (migrations.ts v7) a destination's rows and payloads carry its
// number and its counters live in its `destinations` row, so a move renames that row (number,
// rows, payloads, counters and last delivery time stay together) and forgetting deletes it.

import type Database from 'better-sqlite3';
import type { ForgottenDestination } from '../types.js';
import { scopeMetaFor } from '../keys.js';

interface DestinationRow {
  id: number;
  highlights: number;
  delivered: number;
  pending: number;
  refused: number;
}

export function destinationStateStatements(db: Database.Database) {
  const selectDestination = db.prepare<[string], DestinationRow>(
    'SELECT id, highlights, highlights - pending - refused AS delivered, pending, refused FROM destinations WHERE key = ?',
  );
  // A destination has state of its own when it has rows: its counters say so, the primary key confirms it.
  const hasRows = db.prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM deliveries WHERE destination_id = ?)').pluck();
  const deletePayloads = db.prepare<[number]>('DELETE FROM outbox_payloads WHERE destination_id = ?');
  const deleteRows = db.prepare<[number]>('DELETE FROM deliveries WHERE destination_id = ?');
  const deleteDestination = db.prepare<[number]>('DELETE FROM destinations WHERE id = ?');
  const rename = db.prepare<[string, number]>('UPDATE destinations SET key = ? WHERE id = ?');
  const moveBatches = db.prepare<[string, string]>('UPDATE batches SET destination = ? WHERE destination = ?');
  const moveCursor = db.prepare<[{ from: string; to: string }]>(
    'UPDATE cursors SET name = @to WHERE name = @from AND NOT EXISTS (SELECT 1 FROM cursors WHERE name = @to)',
  );
  const deleteBatches = db.prepare<[string]>('DELETE FROM batches WHERE destination = ?');
  const deleteCursor = db.prepare<[string]>('DELETE FROM cursors WHERE name = ?');
  // The scope a destination's cursor was recorded with (meta scope@<key>) moves and goes with it.
  const copyMeta = db.prepare<[{ from: string; to: string }]>(
    'INSERT INTO meta (key, value) SELECT @to, value FROM meta WHERE key = @from ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteMeta = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');

  /** Deletes a destination's number with everything under it; the deliveries' triggers then count nothing. */
  const dropDestination = (id: number): void => {
    deleteDestination.run(id);
    deleteRows.run(id);
    deletePayloads.run(id);
  };

  return {
    /** Not atomic on its own: the store runs it in one transaction. */
    moveDestination(from: string, to: string, cursors: { from: string; to: string }): boolean {
      if (from === to) return false;
      const target = selectDestination.get(to);
      if (target !== undefined && (target.highlights > 0 || hasRows.get(target.id))) return false;
      const source = selectDestination.get(from);
      let moved = 0;
      if (source !== undefined) {
        // A number `to` kept without rows (nothing of its own) gives way; `from`'s key, which may hold
        // a secret the current identity rule drops, leaves the state with the rename.
        if (target !== undefined) dropDestination(target.id);
        rename.run(to, source.id);
        moved = source.highlights;
      }
      moveBatches.run(to, from);
      if (moved + moveCursor.run(cursors).changes === 0) return false;
      copyMeta.run({ from: scopeMetaFor(from), to: scopeMetaFor(to) });
      deleteMeta.run(scopeMetaFor(from));
      return true;
    },
    /** Not atomic on its own: the store runs it in one transaction. */
    forgetDestination(destination: string, cursorName: string): ForgottenDestination {
      const found = selectDestination.get(destination);
      if (found !== undefined) dropDestination(found.id);
      const batches = deleteBatches.run(destination).changes;
      deleteMeta.run(scopeMetaFor(destination));
      return {
        delivered: found?.delivered ?? 0,
        pending: found?.pending ?? 0,
        refused: found?.refused ?? 0,
        batches,
        cursor: deleteCursor.run(cursorName).changes > 0,
      };
    },
  };
}
