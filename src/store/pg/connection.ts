// Connections to a PostgreSQL state: the driver settings from the state URL (libpq's meaning of
// sslmode, our own `schema` parameter), a pool for the store's queries, and transactions.

import type pg from 'pg';
import { pgDriver } from './driver.js';
import { parse, toClientConfig } from 'pg-connection-string';
import type { StoreLocation } from '../location.js';

export type PgLocation = Extract<StoreLocation, { kind: 'postgres' }>;

/** A query runner: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** How long opening a connection may take before the store reports the server unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A few connections are plenty: one command's queries are sequential, `listen` adds a handful. */
const POOL_SIZE = 4;

/**
 * Driver settings for the location. sslmode follows libpq (disable, prefer, require, verify-ca,
 * verify-full); unset means prefer, as with psql. With prefer the first connection tries TLS and
 * `openPgConnection` falls back to plain text when the server has none.
 */
export function clientConfig(location: PgLocation): pg.ClientConfig & { sslmode: string } {
  const parsed = parse(location.url, { useLibpqCompat: true });
  const { schema: _schema, sslmode, uselibpqcompat: _compat, options, ...rest } = parsed;
  const mode = typeof sslmode === 'string' ? sslmode : 'prefer';
  const config = toClientConfig({ ...rest, ...(mode === 'prefer' && typeof sslmode !== 'string' ? { ssl: { rejectUnauthorized: false } } : {}) });
  return {
    ...config,
    sslmode: mode,
    // Unqualified table names resolve to the state's schema on every connection.
    options: [typeof options === 'string' ? options : '', `-c search_path=${location.schema}`].filter(Boolean).join(' '),
    application_name: config.application_name ?? 'front-import',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  };
}

const NO_TLS = 'The server does not support SSL connections';

/** A first connection, with sslmode=prefer's fallback settled; returns it and the settings that worked. */
export async function openPgConnection(location: PgLocation): Promise<{ client: pg.Client; config: pg.ClientConfig }> {
  return withTlsFallback(location, async (config) => ({ client: await connected(config), config }));
}

/**
 * The store's pool, its first connection already open (sslmode=prefer's fallback settled on it):
 * the caller checks the schema on that connection and releases it, and the store's first query
 * reuses it. Every connection costs a server process and an authentication (about 15 ms locally),
 * which a `status` from cron pays each time.
 */
export async function openPgPool(location: PgLocation): Promise<{ pool: pg.Pool; client: pg.PoolClient; config: pg.ClientConfig }> {
  return withTlsFallback(location, async (config) => {
    const pool = createPool(config);
    try {
      return { pool, client: await pool.connect(), config };
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  });
}

/** Runs open with the location's settings; with sslmode=prefer against a server without TLS, once more in plain text. */
async function withTlsFallback<T>(location: PgLocation, open: (config: pg.ClientConfig) => Promise<T>): Promise<T> {
  const { sslmode, ...config } = clientConfig(location);
  try {
    return await open(config);
  } catch (err) {
    if (sslmode !== 'prefer' || !(err instanceof Error) || !err.message.includes(NO_TLS)) throw err;
    return open({ ...config, ssl: false });
  }
}

async function connected(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pgDriver.Client(config);
  // An idle client whose server goes away emits 'error'; unhandled, that would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

export function createPool(config: pg.ClientConfig): pg.Pool {
  const pool = new pgDriver.Pool({ ...config, max: POOL_SIZE });
  // A pooled idle client cut by a server restart reports here; the next query gets a new one.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs fn in one transaction on one pooled client. `redoable`: a commit that is simply done again
 * if lost (a fetched page with its checkpoint) does not wait for the WAL flush, as the SQLite
 * store's synchronous=NORMAL; the next regular commit flushes it too.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (q: Queryable) => Promise<T>, opts: { redoable?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query(opts.redoable ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    broken = await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackErr: unknown) => rollbackErr,
    );
    throw err;
  } finally {
    // A client whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
