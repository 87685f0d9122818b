// State redaction on the SQLite file: rewrites a text column in place, batch by batch (at-rest.ts),
// and then leaves no old text in the file's free space or its journal. `secure_delete` (set for
// every connection, open-database.ts) zeroes what a statement frees from then on; what was freed
// before it, or before redaction was on, is gone only once VACUUM rebuilds the file, and the WAL
// holds page images until a checkpoint truncates it.

import type Database from 'better-sqlite3';
import { AT_REST_COLUMNS, batchSelect, destinationsByConversation, planRewrite, type AtRestColumn, type AtRestCursor, type RewriteBatch, type ScrubReport } from '../at-rest.js';
import { writeTransaction } from './write-transaction.js';

/** A file up to this size is rebuilt in memory, so VACUUM's temporary copy never touches a disk. */
const VACUUM_IN_MEMORY_BYTES = 512 * 1024 * 1024;

export function atRestStatements(db: Database.Database) {
  const selectDestinations = db.prepare<[string], { conversation_id: string; key: string }>(
    `SELECT d.conversation_id, dest.key FROM deliveries d JOIN destinations dest ON dest.id = d.destination_id
     WHERE d.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY dest.key`,
  );
  const retagVersion = db.prepare(
    'UPDATE deliveries SET version = @version WHERE destination_id = @dest AND conversation_id = @conversationId AND version = @old',
  );

  const rewriteColumn = writeTransaction(db, (name: AtRestColumn, after: AtRestCursor, limit: number, rewrite: (value: string) => string): RewriteBatch => {
    const spec = AT_REST_COLUMNS[name];
    const keys = after === null ? [] : (JSON.parse(after) as unknown[]);
    const rows = db.prepare(batchSelect(spec, 'sqlite', after !== null)).all(...keys, limit) as Record<string, unknown>[];
    const where = spec.key.map((k) => `${k} = ?`).join(' AND ');
    const update = db.prepare(`UPDATE ${spec.table} SET ${spec.column} = ? WHERE ${where}`);
    const remove = db.prepare(`DELETE FROM ${spec.table} WHERE ${where}`);
    const { writes, next } = planRewrite(spec, rows, limit, rewrite);
    for (const w of writes) {
      if (w.kind === 'delete') remove.run(...w.key);
      else update.run(w.value, ...w.key);
      if (w.kind === 'update' && w.retag) retagVersion.run({ dest: w.key[0], conversationId: w.key[1], ...w.retag });
    }
    return { next, changed: writes.length };
  });

  return {
    deliveryDestinations(conversationIds: readonly string[]): Map<string, string[]> {
      return destinationsByConversation(selectDestinations.all(JSON.stringify(conversationIds)));
    },
    rewriteColumn,
    scrubFreeSpace(): ScrubReport {
      return scrubFile(db);
    },
  };
}

/**
 * Rebuilds the file (VACUUM: only live rows are copied, so no freed page or cell keeps old text),
 * then checkpoints the WAL and truncates it to nothing. Another process reading or writing the
 * state (a `listen`) makes VACUUM fail busy: reported, and state redaction tries again next time.
 */
function scrubFile(db: Database.Database): ScrubReport {
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  const inMemory = bytes <= VACUUM_IN_MEMORY_BYTES;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (inMemory) db.pragma('temp_store = MEMORY');
    db.exec('VACUUM');
    const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint && checkpoint.busy !== 0) return { done: false, detail: 'the WAL could not be emptied: another process is reading the state' };
    return { done: true, detail: `file rebuilt (VACUUM${inMemory ? ' in memory' : ''}) and its WAL truncated` };
  } catch (err) {
    return { done: false, detail: `the file could not be rebuilt (${err instanceof Error ? err.message : String(err)}): another process may be using it` };
  } finally {
    if (inMemory) db.pragma('temp_store = DEFAULT');
  }
}
