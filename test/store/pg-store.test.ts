// What only the PostgreSQL backend has: locks across processes and machines (advisory locks on a
// session of their own), versioned migrations of a schema it may share a database with, and the
// lost-connection rule.

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LockError, StoreError, exitCodeFor } from '../../src/errors.ts';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openExistingPgStore, openPgStore } from '../../src/store/pg/pg-store.ts';
import { MIGRATIONS } from '../../src/store/pg/migrations.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { item, manualClock } from './helpers.ts';

type PgLocation = Extract<StoreLocation, { kind: 'postgres' }>;
const location = async (suffix = ''): Promise<PgLocation> => parseStoreLocation(`${await freshPgDatabase()}${suffix}`, 'test', (p) => p) as PgLocation;

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function lockErrorOf(promise: Promise<unknown>): Promise<LockError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LockError);
  return err as LockError;
}

describe('PostgreSQL locks', () => {
  it('refuse a second holder on another machine at once, naming it; free after release', async () => {
    const at = await location();
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const first = await openPgStore(at, { clock: clock.now, pid: 111, hostname: 'runner-a' });
    const second = await openPgStore(at, { pid: 222, hostname: 'runner-b' });
    expect(await first.acquireLock('import', 'sync')).toBeNull();
    const err = await lockErrorOf(second.acquireLock('import', 'sync'));
    expect(exitCodeFor(err)).toBe(4);
    expect(err.message).toBe(
      `another front-import sync (pid 111 on runner-a, since 2024-05-01T10:00:00.000Z) holds the import lock on ${at.display}; wait for it or stop it`,
    );
    // Each name is its own lock.
    expect(await second.acquireLock('delivery', 'listen')).toBeNull();
    await first.releaseLock('import');
    expect(await second.acquireLock('import', 'sync')).toBeNull();
    await first.close();
    await second.close();
  });

  it('a holder whose session ends without releasing (kill -9, lost machine) frees the lock, and the next holder is told whom it replaced', async () => {
    const at = await location();
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const crashed = await openPgStore(at, { clock: clock.now, pid: 111, hostname: 'runner-a' });
    await crashed.acquireLock('import', 'backfill');
    // close() without releaseLock ends the session as a dying process does.
    await crashed.close();
    const next = await openPgStore(at, { pid: 222, hostname: 'runner-b' });
    expect(await next.acquireLock('import', 'sync')).toEqual({ pid: 111, hostname: 'runner-a', command: 'backfill', acquiredAt: '2024-05-01T10:00:00.000Z' });
    await next.close();
  });

  it('a store whose lock session is cut refuses further work until the caller leaves the locked section', async () => {
    const at = await location();
    const store = await openPgStore(at, { pid: 111, hostname: 'runner-a' });
    await store.acquireLock('import', 'sync');
    // Only this test's database: other tests share the server.
    await sql(
      at.url,
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    await expect.poll(() => store.upsert(item(1, 'a')).then(() => 'worked', (e: unknown) => String(e))).toMatch(/lost the connection holding the import lock/);
    await expect(store.upsert(item(1, 'a'))).rejects.toBeInstanceOf(StoreError);
    await store.releaseLock('import');
    // Item 2: the poll above may have stored item 1 before the loss was noticed.
    expect(await store.upsert(item(2, 'a'))).toBe('created');
    await store.close();
  });
  it('a run holding the import lock whose session is cut stops with that reason, also when a delivery batch takes and leaves its own lock meanwhile', async () => {
    const at = await location();
    const store = await openPgStore(at, { pid: 111, hostname: 'runner-a' });
    await store.acquireLock('import', 'sync');
    await store.acquireLock('delivery', 'sync');
    await sql(
      at.url,
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    await expect.poll(() => store.upsert(item(1, 'a')).then(() => 'worked', (e: unknown) => String(e))).toMatch(/lost the connection holding the import lock/);
    // The batch ends (its lock is left) and the next one tries to start: the import lock's loss is still what is said.
    await store.releaseLock('delivery');
    await expect(store.acquireLock('delivery', 'sync')).rejects.toThrow(/lost the connection holding the import lock/);
    await expect(store.upsert(item(1, 'a'))).rejects.toThrow(/lost the connection holding the import lock/);
    await store.releaseLock('import');
    // Item 2: the poll above may have stored item 1 before the loss was noticed.
    expect(await store.upsert(item(2, 'a'))).toBe('created');
    await store.close();
  });
});

describe('PostgreSQL schema', () => {
  it('creates its tables in the schema the URL names, leaving the rest of the database alone', async () => {
    const at = await location('?schema=acme');
    const store = await openPgStore(at);
    await store.upsert(item(1, 'a'));
    await store.close();
    const tables = await sql(at.url.replace('?schema=acme', ''), "SELECT table_schema, count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY 1");
    expect(tables.rows).toEqual([{ table_schema: 'acme', n: expect.any(Number) }]);
    expect((await sql(at.url.replace('?schema=acme', ''), 'SELECT version FROM acme.schema_info')).rows).toEqual([{ version: MIGRATIONS.length }]);
  });

  it('refuses a schema from a newer front-import without changing it', async () => {
    const at = await location();
    await (await openPgStore(at)).close();
    const url = at.url;
    await sql(url, 'UPDATE front_import.schema_info SET version = version + 1');
    const before = await sql(url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'front_import'");
    // Both ways in: a run's, and status's, which opens only a state that exists.
    for (const open of [openPgStore, openExistingPgStore]) {
      const err = await open(at).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, open.name).toBeInstanceOf(StoreError);
      expect((err as Error).message).toBe(
        `PostgreSQL state ${at.display} was written by a newer front-import (schema v${MIGRATIONS.length + 1}, this version knows v${MIGRATIONS.length}): upgrade front-import or use another state`,
      );
    }
    // Neither left a connection behind (the counting query's own is the one left). A server process
    // ends a moment after its client hung up: asked a bounded number of times.
    let sessions = -1;
    for (let i = 0; i < 100 && sessions !== 1; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      sessions = (await sql(url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()')).rows[0].n;
    }
    expect(sessions).toBe(1);
    expect((await sql(url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'front_import'")).rows).toEqual(before.rows);
    expect((await sql(url, 'SELECT version FROM front_import.schema_info')).rows).toEqual([{ version: MIGRATIONS.length + 1 }]);
  });

  it('opens an existing state only: an empty database gets no schema, a state gets its store', async () => {
    const at = await location();
    expect(await openExistingPgStore(at)).toBeNull();
    expect((await sql(at.url, "SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'front_import'")).rows).toEqual([{ n: 0 }]);
    await (await openPgStore(at)).close();
    const store = await openExistingPgStore(at);
    expect(await store?.upsert(item(1, 'a'))).toBe('created');
    await store?.close();
  });

  it("refuses a schema holding another program's tables", async () => {
    const at = await location();
    await sql(at.url, 'CREATE SCHEMA front_import; CREATE TABLE front_import.orders (id int)');
    await expect(openPgStore(at)).rejects.toThrow(/schema holds tables of another program; use another database or \?schema= in the URL/);
    expect((await sql(at.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'front_import'")).rows).toEqual([{ table_name: 'orders' }]);
  });

  it('two first runs at once both find one migrated schema', async () => {
    const at = await location();
    const stores = await Promise.all([openPgStore(at), openPgStore(at), openPgStore(at)]);
    expect(await stores[0]!.upsert(item(1, 'a'))).toBe('created');
    expect((await stores[2]!.snapshots(['cnv_1'])).get('cnv_1')?.version).toBe('a');
    await Promise.all(stores.map((s) => s.close()));
  });

  it('names the database and hides the password when the login is refused', async () => {
    const at = await location();
    const wrong = parseStoreLocation(at.url.replace(':test-password@', ':not-the-password@'), 'test', (p) => p) as PgLocation;
    const err = await openPgStore(wrong).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err!.message).toMatch(/^PostgreSQL state postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: password authentication failed for user "postgres": check the user and password \(in the URL or PGPASSWORD\)$/);
    expect(err!.message).not.toContain('not-the-password');
  });
});
