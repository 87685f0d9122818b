// A destination's whole delivery state at once: its rows, open batches and sync cursor, moved to
// another identity (a state written before the identity rule changed, or before delivery state
// was per destination) or forgotten (`front-import destinations forget`).

import type Database from 'better-sqlite3';
import type { ForgottenDestination } from '../types.js';
import { IS_PENDING, IS_REFUSED } from './deliveries.js';

export function destinationStateStatements(db: Database.Database) {
  const hasRows = db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM deliveries WHERE destination = ?)').pluck();
  const moveRows = db.prepare<[string, string]>('UPDATE deliveries SET destination = ? WHERE destination = ?');
  const moveBatches = db.prepare<[string, string]>('UPDATE batches SET destination = ? WHERE destination = ?');
  const moveCursor = db.prepare<[{ from: string; to: string }]>(
    'UPDATE cursors SET name = @to WHERE name = @from AND NOT EXISTS (SELECT 1 FROM cursors WHERE name = @to)',
  );
  const counts = db.prepare<[string], Omit<ForgottenDestination, 'batches' | 'cursor'>>(
    `SELECT count(*) FILTER (WHERE version = delivered_version) AS delivered,
       count(*) FILTER (WHERE ${IS_PENDING}) AS pending,
       count(*) FILTER (WHERE ${IS_REFUSED}) AS refused
     FROM deliveries WHERE destination = ?`,
  );
  const deleteRows = db.prepare<[string]>('DELETE FROM deliveries WHERE destination = ?');
  const deleteBatches = db.prepare<[string]>('DELETE FROM batches WHERE destination = ?');
  const deleteCursor = db.prepare<[string]>('DELETE FROM cursors WHERE name = ?');

  return {
    /** Not atomic on its own: the store runs it in one transaction. */
    moveDestination(from: string, to: string, cursors: { from: string; to: string }): boolean {
      if (from === to || hasRows.get(to)) return false;
      const moved = moveRows.run(to, from).changes;
      moveBatches.run(to, from);
      return moved + moveCursor.run(cursors).changes > 0;
    },
    /** Not atomic on its own: the store runs it in one transaction. */
    forgetDestination(destination: string, cursorName: string): ForgottenDestination {
      const found = counts.get(destination)!;
      deleteRows.run(destination);
      const batches = deleteBatches.run(destination).changes;
      return { ...found, batches, cursor: deleteCursor.run(cursorName).changes > 0 };
    },
  };
}
