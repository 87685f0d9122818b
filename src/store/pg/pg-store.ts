// The Store on a PostgreSQL database: connects (settling sslmode=prefer), migrates, wires the table
// modules together and makes every failure a StoreError naming the state by its masked URL.

import { hostname as osHostname } from 'node:os';
import type { Outbox, Store } from '../roles.js';
import { createPool, openPgConnection, type PgLocation } from './connection.js';
import { pgConversations } from './conversations.js';
import { pgDeliveries } from './deliveries.js';
import { pgDestinationState } from './destination-state.js';
import { guardAllAsync, toPgStoreError, type AsyncMethods } from './errors.js';
import { pgCheckpoints, pgMeta } from './key-values.js';
import { pgLocks } from './locks.js';
import { inspect, migrate } from './migrations.js';
import { pgRunLog } from './runs.js';
import { pgStaging } from './staging.js';
import { pgWebhookQueue } from './webhooks.js';

const UNCHECKED = new Set(['acquireLock', 'releaseLock', 'finishRun']);

export interface PgStoreDeps {
  /** Milliseconds since the epoch; stamps every stored time. */
  clock?: () => number;
  pid?: number;
  hostname?: string;
}

/** Whether the database holds a front-import state (any schema version), without creating one. */
export async function pgStateExists(location: PgLocation): Promise<boolean> {
  let opened: Awaited<ReturnType<typeof openPgConnection>> | undefined;
  try {
    opened = await openPgConnection(location);
    return (await inspect(opened.client, location.schema)).version > 0;
  } catch (err) {
    throw toPgStoreError(err, location.display);
  } finally {
    await opened?.client.end().catch(() => undefined);
  }
}

export async function openPgStore(location: PgLocation, deps: PgStoreDeps = {}): Promise<Store> {
  const where = `PostgreSQL state ${location.display}`;
  let opened: Awaited<ReturnType<typeof openPgConnection>>;
  try {
    opened = await openPgConnection(location);
  } catch (err) {
    throw toPgStoreError(err, location.display);
  }
  try {
    await migrate(opened.client, location.schema, where);
  } catch (err) {
    throw toPgStoreError(err, location.display);
  } finally {
    await opened.client.end().catch(() => undefined);
  }

  const clock = deps.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();
  const pool = createPool(opened.config);
  const locks = pgLocks(opened.config, location.schema, location.display, { pid: deps.pid ?? process.pid, hostname: deps.hostname ?? osHostname() }, now);
  const { lostLock, close: closeLocks, ...lockMethods } = locks;
  const deliveries = pgDeliveries(pool, now);
  const methods = {
    ...pgConversations(pool, now),
    ...deliveries.methods,
    ...pgDestinationState(pool),
    ...pgStaging(pool, now),
    ...pgCheckpoints(pool, now),
    ...pgRunLog(pool, now),
    ...pgWebhookQueue(pool, clock, location.schema),
    ...pgMeta(pool),
    ...lockMethods,
  };
  // Once the session holding a lock is gone another run may hold it: refuse the locked section's
  // further work. Recording the run's end and leaving the section stay possible.
  const guard = <M extends AsyncMethods>(some: M): M => {
    const guarded = guardAllAsync(location.display, some);
    return Object.fromEntries(
      Object.entries(guarded).map(([name, fn]) => [
        name,
        (...args: never[]) => {
          const lost = UNCHECKED.has(name) ? null : lostLock();
          return lost ? Promise.reject(lost) : (fn as (...a: never[]) => Promise<unknown>)(...args);
        },
      ]),
    ) as M;
  };
  const outboxes = new Map<string, Outbox>();
  return {
    location: location.display,
    ...guard(methods),
    outbox(destination) {
      let outbox = outboxes.get(destination);
      if (!outbox) {
        outbox = { destination, ...guard(deliveries.outboxMethods(destination)) };
        outboxes.set(destination, outbox);
      }
      return outbox;
    },
    async close() {
      await closeLocks();
      await pool.end().catch(() => undefined);
    },
  };
}
