// The Store on a better-sqlite3 state file: opens it, wires the table modules together and makes
// every failure a StoreError naming the file.

import { hostname as osHostname } from 'node:os';
import { batchStatements } from './batches.js';
import { conversationStatements } from './conversations.js';
import { eventMessageStatements } from './event-messages.js';
import { keyValueStatements } from './key-values.js';
import { isProcessAlive, lockStatements, type LockHolder } from './lock.js';
import { openDatabase } from './open-database.js';
import { runStatements } from './runs.js';
import { guardAll, toStoreError } from './store-errors.js';
import type { Store } from './types.js';
import { webhookStatements } from './webhook-queue.js';
import { writeTransaction } from './write-transaction.js';

export type { LockHolder } from './lock.js';

export interface StoreDeps {
  /** Milliseconds since the epoch; stamps every stored time. */
  clock?: () => number;
  pid?: number;
  hostname?: string;
  isProcessAlive?: (pid: number) => boolean;
}

export interface SqliteStore extends Store {
  /** Set by acquireLock when it replaced a stale holder (dead process, or our own pid), else null. */
  readonly lastTakeover: LockHolder | null;
}

/** Opens or creates the state file at `path` (":memory:" for a throwaway store); throws StoreError. */
export function openStore(path: string, deps: StoreDeps = {}): SqliteStore {
  const db = openDatabase(path);
  try {
    const clock = deps.clock ?? Date.now;
    const now = () => new Date(clock()).toISOString();
    const { bumpAttempts, ...conversations } = conversationStatements(db, now);
    const { bumpBatchAttempts, ...batches } = batchStatements(db, now);
    const { lastTakeover, ...lock } = lockStatements(db, path, now, {
      pid: deps.pid ?? process.pid,
      hostname: deps.hostname ?? osHostname(),
      isProcessAlive: deps.isProcessAlive ?? isProcessAlive,
    });
    const methods = {
      close: (): void => {
        db.close();
      },
      transaction: <T>(fn: () => T, opts: { redoable?: boolean } = {}): T => {
        // The safety level cannot change inside a transaction: a nested call follows the outer one.
        if (!opts.redoable || db.inTransaction) return db.transaction(fn).immediate();
        db.pragma('synchronous = NORMAL');
        try {
          return db.transaction(fn).immediate();
        } finally {
          db.pragma('synchronous = FULL');
        }
      },
      ...conversations,
      recordAttempt: writeTransaction(db, (ids: string[], error: string | null): void => {
        bumpAttempts(ids, error);
        bumpBatchAttempts(ids);
      }),
      ...batches,
      ...eventMessageStatements(db),
      ...keyValueStatements(db, now),
      ...runStatements(db, now),
      ...webhookStatements(db, now),
      ...lock,
    };
    return {
      path,
      get lastTakeover() {
        return lastTakeover();
      },
      ...guardAll(path, methods),
    };
  } catch (err) {
    db.close();
    throw toStoreError(err, path);
  }
}
