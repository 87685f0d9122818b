// The store behaviour suite runs against every backend: each test file wraps its cases in
// `describe.each(storeBackends())`, and what passes for SQLite must pass for PostgreSQL.

import { join } from 'node:path';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { useTempDirs } from './helpers.ts';

export interface BackendDeps {
  clock?: () => number;
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
}

/** Call at the top of a test file (it registers the temp-dir clean-up). */
export function storeBackends(): StoreBackend[] {
  const tempDir = useTempDirs();
  const sqlite = async (): Promise<StateUnderTest> => {
    const path = join(tempDir(), 'state.db');
    return { open: async (deps = {}) => openStore(path, deps) };
  };
  const postgres = async (): Promise<StateUnderTest> => {
    const location = parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
    return { open: (deps = {}) => openPgStore(location, deps) };
  };
  return [
    { name: 'SQLite', state: sqlite, open: async (deps) => (await sqlite()).open(deps) },
    { name: 'PostgreSQL', state: postgres, open: async (deps) => (await postgres()).open(deps) },
  ];
}
