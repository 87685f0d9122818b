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

/**
 * Like writeTransaction, for work that is simply done again if lost (fetched pages with their
 * checkpoint, a lock row): it commits without waiting for the disk. A power cut may roll such transactions back
 * (whole, latest first) until the next regular one, which makes them durable too; anything that
 * precedes a send is a regular one.
 */
export function redoableTransaction<A extends unknown[], R>(db: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args) => {
    // The safety level cannot change inside a transaction: a nested call follows the outer one.
    if (db.inTransaction) return tx.immediate(...args);
    db.pragma('synchronous = NORMAL');
    try {
      return tx.immediate(...args);
    } finally {
      db.pragma('synchronous = FULL');
    }
  };
}
