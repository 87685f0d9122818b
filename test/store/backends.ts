// The store behaviour suite runs against every backend: each test file wraps its cases in
// `describe.each(storeBackends())`, and what passes for SQLite must pass for PostgreSQL.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgConnection } from '../../src/store/pg/connection.ts';
import { MIGRATIONS as PG_MIGRATIONS, migrate as migratePg } from '../../src/store/pg/migrations.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { MIGRATIONS as SQLITE_MIGRATIONS, migrate as migrateSqlite } from '../../src/store/sqlite/migrations.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { useTempDirs } from './helpers.ts';

export interface BackendDeps {
  clock?: () => number;
  /** The process the store says it is (locks name their holder by pid and host). */
  pid?: number;
  hostname?: string;
}

/** One state, to open more than once: a reopen, or a second process on it. */
export interface StateUnderTest {
  open(deps?: BackendDeps): Promise<Store>;
}

export interface StoreBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** A new, empty state. */
  state(): Promise<StateUnderTest>;
  /** A store on a new, empty state. */
  open(deps?: BackendDeps): Promise<Store>;
  /** A new state at an older release's schema `version`, with `seedSql` run in it: what an upgrade finds. */
  olderState(version: number, seedSql: string): Promise<StateUnderTest>;
}

/** Call at the top of a test file (it registers the temp-dir clean-up). */
export function storeBackends(): StoreBackend[] {
  const tempDir = useTempDirs();
  const sqlitePath = () => join(tempDir(), 'state.db');
  const sqliteAt = (path: string): StateUnderTest => ({ open: async (deps = {}) => openStore(path, deps) });
  const pgLocation = async () => parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
  const pgAt = (location: Extract<StoreLocation, { kind: 'postgres' }>): StateUnderTest => ({ open: (deps = {}) => openPgStore(location, deps) });
  const sqlite = async () => sqliteAt(sqlitePath());
  const postgres = async () => pgAt(await pgLocation());
  return [
    {
      name: 'SQLite',
      state: sqlite,
      open: async (deps) => (await sqlite()).open(deps),
      async olderState(version, seedSql) {
        const path = sqlitePath();
        const db = new Database(path);
        migrateSqlite(db, path, SQLITE_MIGRATIONS.slice(0, version));
        db.exec(seedSql);
        db.close();
        return sqliteAt(path);
      },
    },
    {
      name: 'PostgreSQL',
      state: postgres,
      open: async (deps) => (await postgres()).open(deps),
      async olderState(version, seedSql) {
        const location = await pgLocation();
        const { client } = await openPgConnection(location);
        try {
          await migratePg(client, location.schema, 'test state', PG_MIGRATIONS.slice(0, version));
          await client.query(seedSql);
        } finally {
          await client.end();
        }
        return pgAt(location);
      },
    },
  ];
}
