// Reads and writes a whole SQLite state for `state export` / `state import`, below the Store roles:
// a copy is table by table, not method by method, and row by row (memory stays flat).

import type Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { openDatabase } from '../sqlite/open-database.js';
import { emptyCounts } from './dump-file.js';
import { carriedColumns, STATE_TABLES, orderColumn, unknownTables, type Row, type TableCounts, type TableRow } from './tables.js';

export async function* sqliteRows(path: string): AsyncGenerator<TableRow> {
  const db = openDatabase(path);
  try {
    refuseUnknownTables(db, path);
    // One read transaction: a consistent snapshot even while a sync writes.
    db.exec('BEGIN');
    for (const table of STATE_TABLES) {
      const order = orderColumn(table, 'sqlite');
      const select = db.prepare(`SELECT ${carriedColumns(table.name, columns(db, table.name)).join(', ')} FROM ${table.name}${order ? ` ORDER BY ${order}` : ''}`);
      for (const row of select.iterate() as IterableIterator<Row>) yield { table: table.name, row };
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/** Rows per INSERT: one statement for many rows costs far less than a statement per row. */
const ROWS_PER_INSERT = 50;

/** Loads rows into an empty SQLite state, in one transaction; returns rows per table. */
export function loadSqlite(path: string, rows: Iterable<TableRow>): TableCounts {
  const db = openDatabase(path);
  try {
    refuseUnknownTables(db, path);
    const counts = emptyCounts();
    const inserts = new Map<string, Database.Statement>();
    /** Inserts rows of one table with the same columns, in their order. */
    const insert = (table: string, cols: readonly string[], values: unknown[][]): void => {
      const key = `${table}:${values.length}:${cols.join(',')}`;
      let statement = inserts.get(key);
      if (!statement) {
        const target = new Set(columns(db, table));
        const missing = cols.filter((c) => !target.has(c));
        if (missing.length > 0) throw new StoreError(`state file ${path} has no column ${missing.join(', ')} in ${table}: upgrade front-import`);
        const tuple = `(${cols.map(() => '?').join(', ')})`;
        statement = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values.map(() => tuple).join(', ')}`);
        inserts.set(key, statement);
      }
      statement.run(values.flat());
    };
    db.transaction(() => {
      requireEmpty(db, path);
      let table: string | null = null;
      let cols: string[] = [];
      let chunk: unknown[][] = [];
      const flush = () => {
        if (table !== null && chunk.length > 0) insert(table, cols, chunk);
        chunk = [];
      };
      for (const entry of rows) {
        const rowCols = Object.keys(entry.row);
        if (entry.table !== table || chunk.length >= ROWS_PER_INSERT || !sameColumns(rowCols, cols)) {
          flush();
          // The one-row counters table exists from the start: its row is replaced.
          if (entry.table === 'listener_stats') db.prepare('DELETE FROM listener_stats').run();
          table = entry.table;
          cols = rowCols;
        }
        chunk.push(Object.values(entry.row));
        counts[entry.table]++;
      }
      flush();
    }).immediate();
    return counts;
  } finally {
    db.close();
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function columns(db: Database.Database, table: string): string[] {
  return db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
}

function refuseUnknownTables(db: Database.Database, path: string): void {
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  const unknown = unknownTables(names);
  if (unknown.length > 0) throw new StoreError(`state file ${path} has tables this front-import cannot copy (${unknown.join(', ')}): upgrade front-import`);
}

function requireEmpty(db: Database.Database, path: string): void {
  for (const table of STATE_TABLES) {
    if (table.name === 'listener_stats') continue;
    // Counted on an empty state only: that is instant, and a full one is refused anyway.
    const n = db.prepare(`SELECT count(*) FROM ${table.name}`).pluck().get() as number;
    if (n > 0) throw new StoreError(`state file ${path} is not empty (${table.name} has ${n} rows): import into a new state`);
  }
}
