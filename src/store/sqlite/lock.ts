// Named locks on the state file (see LockName): one row per held lock naming its holder. A holder
// that died without releasing (kill -9, power cut) is detected by pid and taken over.

import type Database from 'better-sqlite3';
import { LockError } from '../../errors.js';
import type { LockName } from '../roles.js';
import type { LockHolder } from '../types.js';
import { BUSY_TIMEOUT_MS } from './open-database.js';
import { redoableTransaction } from './write-transaction.js';
import { anotherProcess, waitingRow } from '../lock-waiting.js';

/** A second run must be told "busy" within a second, so acquiring waits only briefly for writers. */
const LOCK_BUSY_TIMEOUT_MS = 250;

export interface LockOwner {
  pid: number;
  hostname: string;
  isProcessAlive: (pid: number) => boolean;
}

/** `kill(pid, 0)` semantics: EPERM means the process exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockStatements(db: Database.Database, path: string, now: () => string, owner: LockOwner) {
  const selectHolder = db.prepare<[string], LockHolder>(
    'SELECT pid, hostname, command, acquired_at AS acquiredAt FROM locks WHERE name = ?',
  );
  const writeHolder = db.prepare(
    `INSERT INTO locks (name, pid, hostname, command, acquired_at) VALUES (@name, @pid, @hostname, @command, @now)
     ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,
       command = excluded.command, acquired_at = excluded.acquired_at`,
  );
  const deleteOwn = db.prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND hostname = ?');

  // Returns the holder it replaced, if any. Redoable, like releasing: a lock row lost to a power cut
  // names no running process either way, and delivery takes and releases one per batch, so two
  // waits for the disk per batch are saved (the batch's own settle is a regular commit).
  const take = redoableTransaction(db, (name: LockName, command: string): LockHolder | null => {
    const holder = selectHolder.get(name) ?? null;
    // Only a process on this host can be checked; on another host (a container restarted with a
    // new hostname, a file copied over) the holder cannot be running against this file.
    if (holder && holder.hostname === owner.hostname && holder.pid !== owner.pid && owner.isProcessAlive(holder.pid)) {
      throw new LockError(
        `another front-import ${holder.command} (pid ${holder.pid}, since ${holder.acquiredAt}) is running with ${path}; wait for it or stop it`,
      );
    }
    writeHolder.run({ name, pid: owner.pid, hostname: owner.hostname, command, now: now() });
    return holder;
  });

  return {
    acquireLock(name: LockName, command: string): LockHolder | null {
      db.pragma(`busy_timeout = ${LOCK_BUSY_TIMEOUT_MS}`);
      try {
        return take(name, command);
      } catch (err) {
        if (String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
          throw new LockError(`another front-import process is writing to ${path}; wait for it or stop it`, { cause: err });
        }
        throw err;
      } finally {
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    },
    releaseLock: redoableTransaction(db, (name: LockName): void => {
      deleteOwn.run(name, owner.pid, owner.hostname);
    }),
    markWaiting: redoableTransaction(db, (name: LockName, command: string): void => {
      writeHolder.run({ name: waitingRow(name), pid: owner.pid, hostname: owner.hostname, command, now: now() });
    }),
    clearWaiting: redoableTransaction(db, (name: LockName): void => {
      deleteOwn.run(waitingRow(name), owner.pid, owner.hostname);
    }),
    otherWaiting(name: LockName): LockHolder | null {
      return anotherProcess(selectHolder.get(waitingRow(name)) ?? null, owner);
    },
    lockHolder(name: LockName): (LockHolder & { running: boolean }) | null {
      const holder = selectHolder.get(name);
      if (!holder) return null;
      // The same rule as taking the lock over: a process on another host cannot be checked.
      return { ...holder, running: holder.hostname !== owner.hostname || owner.isProcessAlive(holder.pid) };
    },
  };
}
