// Reads and writes a whole SQLite state for `state export` / `state import`, below the Store roles:
// a copy is table by table, not method by method.

import type Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { openDatabase } from '../sqlite/open-database.js';
import { carriedColumns, STATE_TABLES, orderColumn, unknownTables, type Row, type StateDump } from './tables.js';

export function dumpSqlite(path: string): StateDump {
  const db = openDatabase(path);
  try {
    refuseUnknownTables(db, path);
    // One read transaction: a consistent snapshot even while a sync writes.
    return db.transaction(() => ({
      tables: STATE_TABLES.map((table) => {
        const order = orderColumn(table, 'sqlite');
        const rows = db.prepare(`SELECT ${carriedColumns(table.name, columns(db, table.name)).join(', ')} FROM ${table.name}${order ? ` ORDER BY ${order}` : ''}`).all() as Row[];
        return { name: table.name, rows };
      }),
    }))();
  } finally {
    db.close();
  }
}

/** Loads a dump into an empty SQLite state, in one transaction. */
export function loadSqlite(path: string, dump: StateDump): void {
  const db = openDatabase(path);
  try {
    refuseUnknownTables(db, path);
    db.transaction(() => {
      requireEmpty(db, path);
      for (const { name, rows } of dump.tables) {
        // The one-row counters table exists from the start: it is updated, not inserted.
        if (rows.length === 0) continue;
        if (name === 'listener_stats') db.prepare('DELETE FROM listener_stats').run();
        const target = new Set(columns(db, name));
        const cols = Object.keys(rows[0]!);
        const missing = cols.filter((c) => !target.has(c));
        if (missing.length > 0) throw new StoreError(`state file ${path} has no column ${missing.join(', ')} in ${name}: upgrade front-import`);
        const insert = db.prepare(`INSERT INTO ${name} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
        for (const row of rows) insert.run(row);
      }
    }).immediate();
  } finally {
    db.close();
  }
}

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
}

function refuseUnknownTables(db: Database.Database, path: string): void {
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  const unknown = unknownTables(names);
  if (unknown.length > 0) throw new StoreError(`state file ${path} has tables this front-import cannot copy (${unknown.join(', ')}): upgrade front-import`);
}

function requireEmpty(db: Database.Database, path: string): void {
  for (const table of STATE_TABLES) {
    if (table.name === 'listener_stats') continue;
    const n = db.prepare(`SELECT count(*) FROM ${table.name}`).pluck().get() as number;
    if (n > 0) throw new StoreError(`state file ${path} is not empty (${table.name} has ${n} rows): import into a new state`);
  }
}
