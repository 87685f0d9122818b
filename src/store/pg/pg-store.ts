// The Store on a PostgreSQL database: connects (settling sslmode=prefer), migrates, wires the table
// modules together and makes every failure a StoreError naming the state by its masked URL.

import { hostname as osHostname } from 'node:os';
import type { Outbox, Store } from '../roles.js';
import { pgAtRest } from './at-rest.js';
import { openPgConnection, openPgPool, type PgLocation } from './connection.js';
import { pgConversations } from './conversations.js';
import { pgDeliveries } from './deliveries.js';
import { pgDestinationState } from './destination-state.js';
import { guardAllAsync, toPgStoreError, type AsyncMethods } from './errors.js';
import { pgCheckpoints, pgMeta } from './key-values.js';
import { pgLocks } from './locks.js';
import { inspect, migrate, type SchemaFound } from './migrations.js';
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
  return storeOn(await connectedPool(location), location, deps);
}

/** The state when the database holds one (brought up to this version's schema), else null and nothing created: `status`. */
export async function openExistingPgStore(location: PgLocation, deps: PgStoreDeps = {}): Promise<Store | null> {
  const opened = await connectedPool(location);
  let found: SchemaFound;
  try {
    found = await inspect(opened.client, location.schema);
  } catch (err) {
    throw await closedAfter(opened, err, location);
  }
  if (found.version > 0) return storeOn(opened, location, deps, found);
  opened.client.release();
  await opened.pool.end();
  return null;
}

type OpenedPool = Awaited<ReturnType<typeof openPgPool>>;

async function connectedPool(location: PgLocation): Promise<OpenedPool> {
  try {
    return await openPgPool(location);
  } catch (err) {
    throw toPgStoreError(err, location.display);
  }
}

/** Ends a pool whose first connection failed; returns the error to throw. */
async function closedAfter(opened: OpenedPool, err: unknown, location: PgLocation): Promise<unknown> {
  opened.client.release(err instanceof Error ? err : true);
  await opened.pool.end().catch(() => undefined);
  return toPgStoreError(err, location.display);
}

/**
 * Migrates on the pool's first connection (`found`: what an inspect on it already read), gives it
 * back (the store's first query reuses it) and builds the store.
 */
async function storeOn(opened: OpenedPool, location: PgLocation, deps: PgStoreDeps, found?: SchemaFound): Promise<Store> {
  const { pool } = opened;
  try {
    await migrate(opened.client, location.schema, `PostgreSQL state ${location.display}`, undefined, found);
  } catch (err) {
    throw await closedAfter(opened, err, location);
  }
  opened.client.release();

  const clock = deps.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();
  const locks = pgLocks(opened.config, pool, location.schema, location.display, { pid: deps.pid ?? process.pid, hostname: deps.hostname ?? osHostname() }, now);
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
    ...pgAtRest(pool),
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
    inProcess: false,
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
