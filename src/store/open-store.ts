// Opens the state a location names: the SQLite file or the PostgreSQL database. The PostgreSQL
// driver is loaded only when a postgres:// state is used.

import type { StoreLocation } from './location.js';
import type { Store } from './roles.js';

export interface OpenStoreDeps {
  /** Milliseconds since the epoch; stamps every stored time. */
  clock?: () => number;
}

export async function openStateStore(location: StoreLocation, deps: OpenStoreDeps = {}): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPgStore } = await import('./pg/pg-store.js');
    return openPgStore(location, deps);
  }
  const { openStore } = await import('./sqlite/sqlite-store.js');
  return openStore(location.path, deps);
}
