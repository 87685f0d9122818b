// Opens the state a location names: the SQLite file or the PostgreSQL database. The PostgreSQL
// driver is loaded only when a postgres:// state is used.

import { existsSync } from 'node:fs';
import type { StoreLocation } from './location.js';
import type { Store } from './roles.js';

export interface OpenStoreDeps {
  /** Milliseconds since the epoch; stamps every stored time. */
  clock?: () => number;
}

/** Whether a state exists at the location, found without creating it (a SQLite file, or our schema in PostgreSQL). */
export async function stateExists(location: StoreLocation): Promise<boolean> {
  if (location.kind === 'postgres') {
    const { pgStateExists } = await import('./pg/pg-store.js');
    return pgStateExists(location);
  }
  return existsSync(location.path);
}

export async function openStateStore(location: StoreLocation, deps: OpenStoreDeps = {}): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPgStore } = await import('./pg/pg-store.js');
    return openPgStore(location, deps);
  }
  const { openStore } = await import('./sqlite/sqlite-store.js');
  return openStore(location.path, deps);
}

/** The state at the location when there is one, else null with nothing created (one connection to PostgreSQL, not two). */
export async function openExistingStateStore(location: StoreLocation, deps: OpenStoreDeps = {}): Promise<Store | null> {
  if (location.kind === 'postgres') {
    const { openExistingPgStore } = await import('./pg/pg-store.js');
    return openExistingPgStore(location, deps);
  }
  return existsSync(location.path) ? openStateStore(location, deps) : null;
}
