import type Database from 'better-sqlite3';

/**
 * Makes fn atomic. IMMEDIATE takes the write lock up front, so a read-then-write cannot fail half
 * way with SQLITE_BUSY when another process (e.g. `listen`) writes at the same time; inside an outer
 * transaction it becomes a savepoint.
 */
export function writeTransaction<A extends unknown[], R>(db: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args) => tx.immediate(...args);
}
