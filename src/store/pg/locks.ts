// Named run locks across machines: PostgreSQL session-level advisory locks, held on a connection of
// their own for as long as the lock is held. A holder that dies (kill -9, a lost machine) loses its
// session and with it the lock: no pid check, no manual clean-up. The `locks` table only records
// who holds what, for the "busy" message and the takeover warning.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { pgDriver } from './driver.js';
import { LockError, StoreError } from '../../errors.js';
import type { LockName, Locks } from '../roles.js';
import type { LockHolder } from '../types.js';
import { itemAt } from '../../shared/item-at.js';
import type { Queryable } from './connection.js';
import { anotherProcess, waitingRow } from '../lock-waiting.js';

/** "FRMI": the advisory-lock class of front-import, so other programs' advisory locks never collide. */
export const LOCK_CLASS = 0x46524d49;
/**
 * The server drops a vanished holder's session (machine gone, no FIN) after about
 * idle + interval * count seconds of silence, which frees its lock.
 */
const KEEPALIVE = { idle: 20, interval: 5, count: 3 };

export interface LockOwner {
  pid: number;
  hostname: string;
}

export interface PgLocks extends Locks {
  /** Set once the session holding a lock has died, until the caller releases or acquires that lock again. */
  lostLock(): StoreError | null;
  close(): Promise<void>;
}

/** The lock's key within our class: one per state (schema) and lock name ('webhook-claims': see the webhook queue). */
export function lockKey(schema: string, name: LockName | 'webhook-claims'): number {
  return createHash('sha256').update(`${schema}\0${name}`).digest().readInt32BE(0);
}

export function pgLocks(config: pg.ClientConfig, pool: Queryable, schema: string, display: string, owner: LockOwner, now: () => string): PgLocks {
  let session: pg.Client | null = null;
  const held = new Set<LockName>();
  // Per lock: a run holds the import lock throughout and takes the delivery lock per batch, so
  // ending a batch must not forget that the import lock went with the session.
  const lost = new Map<LockName, StoreError>();

  const connect = async (): Promise<pg.Client> => {
    if (session) return session;
    const client = new pgDriver.Client(config);
    client.on('error', (err) => {
      for (const name of held) {
        lost.set(
          name,
          new StoreError(`PostgreSQL state ${display}: lost the connection holding the ${name} lock (${err.message}); stopped so that no two runs overlap: run again`, {
            cause: err,
          }),
        );
      }
      held.clear();
      if (session === client) session = null;
    });
    await client.connect();
    await client.query(
      `SET tcp_keepalives_idle = ${KEEPALIVE.idle}; SET tcp_keepalives_interval = ${KEEPALIVE.interval}; SET tcp_keepalives_count = ${KEEPALIVE.count}`,
    );
    session = client;
    return client;
  };

  /** `row`: a lock's name, or where a process waits for it (waitingRow). */
  const holderOf = async (client: Queryable, row: string): Promise<LockHolder | null> => {
    const { rows } = await client.query<LockHolder>(
      'SELECT pid, hostname, command, acquired_at AS "acquiredAt" FROM locks WHERE name = $1',
      [row],
    );
    return rows[0] ?? null;
  };
  const writeHolder = (client: Queryable, row: string, command: string) =>
    client.query(
      `INSERT INTO locks (name, pid, hostname, command, acquired_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname, command = excluded.command,
         acquired_at = excluded.acquired_at`,
      [row, owner.pid, owner.hostname, command, now()],
    );
  const deleteOwn = (client: Queryable, row: string) =>
    client.query('DELETE FROM locks WHERE name = $1 AND pid = $2 AND hostname = $3', [row, owner.pid, owner.hostname]);

  return {
    async acquireLock(name, command) {
      // Another lock lost with the session ends this section before it starts: reconnecting would
      // only report the server as unreachable and hide why the run must stop.
      const other = [...lost].find(([n]) => n !== name);
      if (other) throw other[1];
      // A new section under this lock: its loss before was given up by the caller.
      lost.delete(name);
      const client = await connect();
      const already = held.has(name);
      if (!already) {
        const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [LOCK_CLASS, lockKey(schema, name)]);
        if (!itemAt(rows, 0).got) {
          const holder = await holderOf(client, name);
          const who = holder ? `another front-import ${holder.command} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt})` : 'another front-import process';
          throw new LockError(`${who} holds the ${name} lock on ${display}; wait for it or stop it`);
        }
        held.add(name);
      }
      // Holding the lock, any row left is a dead holder's (its session ended without releasing).
      const previous = await holderOf(client, name);
      await writeHolder(client, name, command);
      return already ? null : previous;
    },
    async releaseLock(name) {
      // The caller ends the section in which the lock was lost: that loss is said.
      lost.delete(name);
      if (!held.has(name) || !session) return;
      await deleteOwn(session, name);
      await session.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockKey(schema, name)]);
      held.delete(name);
    },
    async lockHolder(name) {
      // Reading who holds a lock needs no session of its own: `status` opens none.
      const client = session ?? pool;
      const holder = await holderOf(client, name);
      if (!holder) return null;
      // The row outlives a holder that died; the advisory lock does not: held means running.
      const { rows } = await client.query<{ running: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND classid::bigint = $1 AND objid::bigint = $2) AS running`,
        [LOCK_CLASS >>> 0, lockKey(schema, name) >>> 0],
      );
      return { ...holder, running: itemAt(rows, 0).running };
    },
    async markWaiting(name, command) {
      await writeHolder(pool, waitingRow(name), command);
    },
    async clearWaiting(name) {
      await deleteOwn(pool, waitingRow(name));
    },
    otherWaiting: async (name) => anotherProcess(await holderOf(pool, waitingRow(name)), owner),
    lostLock: () => lost.values().next().value ?? null,
    async close() {
      held.clear();
      const client = session;
      session = null;
      // Ending the session releases whatever it still holds.
      await client?.end().catch(() => undefined);
    },
  };
}
