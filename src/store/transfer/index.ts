// Moves a whole state between backends: read one location into a dump, load a dump into another.

import type { StoreLocation } from '../location.js';
import type { StateDump } from './tables.js';

export async function dumpState(location: StoreLocation): Promise<StateDump> {
  if (location.kind === 'postgres') return (await import('./pg-tables.js')).dumpPg(location);
  return (await import('./sqlite-tables.js')).dumpSqlite(location.path);
}

export async function loadState(location: StoreLocation, dump: StateDump): Promise<void> {
  if (location.kind === 'postgres') return (await import('./pg-tables.js')).loadPg(location, dump);
  return (await import('./sqlite-tables.js')).loadSqlite(location.path, dump);
}
