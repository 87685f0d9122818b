// Moves a whole state between backends as a stream of rows: `exportState` writes one location to an
// export file, `importState` loads an export file into another (empty) location.

import type { StoreLocation } from '../location.js';
import { readDumpFile, writeDumpFile, type DumpHeader } from './dump-file.js';
import type { TableCounts, TableRow } from './tables.js';

/** The state's rows, tables in load order (one consistent snapshot). */
export async function stateRows(location: StoreLocation): Promise<AsyncIterable<TableRow>> {
  if (location.kind === 'postgres') return (await import('./pg-tables.js')).pgRows(location);
  return (await import('./sqlite-tables.js')).sqliteRows(location.path);
}

export async function exportState(location: StoreLocation, path: string, header: Omit<DumpHeader, 'format' | 'version' | 'source'>): Promise<TableCounts> {
  return writeDumpFile(path, await stateRows(location), { ...header, source: location.kind });
}

/** Loads the export at `path` into an empty state, in one transaction (a cut-off file loads nothing). */
export async function importState(location: StoreLocation, path: string): Promise<TableCounts> {
  const { rows } = readDumpFile(path);
  if (location.kind === 'postgres') return (await import('./pg-tables.js')).loadPg(location, rows());
  return (await import('./sqlite-tables.js')).loadSqlite(location.path, rows());
}
