// Batches are written down before they are sent, so after a crash the very same batch (same key,
// same bytes) is sent again instead of a re-cut one the destination cannot dedupe. Each belongs to
// one destination.

import type Database from 'better-sqlite3';
import type { Highlight } from '../../highlight/types.js';
import type { OpenBatch } from '../types.js';

export function batchStatements(db: Database.Database, now: () => string) {
  // DO NOTHING: a batch, once fixed, never changes under its key.
  const insert = db.prepare(
    `INSERT INTO batches (destination, key, highlights, created_at) VALUES (@destination, @key, @highlights, @now)
     ON CONFLICT (destination, key) DO NOTHING`,
  );
  const selectOpen = db.prepare<[string], { key: string; highlights: string }>('SELECT key, highlights FROM batches WHERE destination = ? ORDER BY rowid');
  const remove = db.prepare('DELETE FROM batches WHERE destination = ? AND key = ?');

  return {
    openBatches(destination: string): OpenBatch[] {
      return selectOpen.all(destination).map((b) => ({ key: b.key, highlights: JSON.parse(b.highlights) as Highlight[] }));
    },
    /** Not atomic on its own when paired (splitting a batch). */
    saveBatch(destination: string, batch: { key: string; highlights: Highlight[] }): void {
      insert.run({ destination, key: batch.key, highlights: JSON.stringify(batch.highlights), now: now() });
    },
    /** Not atomic on its own: the store pairs it with settling the batch's items. */
    deleteBatch(destination: string, key: string): void {
      remove.run(destination, key);
    },
  };
}
