// Reads and writes a whole SQLite state for `state export` / `state import`, below the Store roles:
// a copy is table by table, not method by method, and row by row (memory stays flat).

import type Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { COUNTING_TRIGGERS_GLOB, RECOUNT } from '../sqlite/migrations.js';
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
        // OR ROLLBACK: a failed row ends the whole import anyway, and a statement that cannot abort on
        // its own needs no statement journal, which wrote every page it touched to a temp file first.
        statement = db.prepare(`INSERT OR ROLLBACK INTO ${table} (${cols.join(', ')}) VALUES ${values.map(() => tuple).join(', ')}`);
        inserts.set(key, statement);
      }
      statement.run(values.flat());
    };
    leaveWal(db);
    db.transaction(() => {
      requireEmpty(db, path);
      const counting = dropCountingTriggers(db);
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
      db.exec(RECOUNT);
      for (const sql of counting) db.exec(sql);
    }).immediate();
    return counts;
  } finally {
    backToWal(db);
    db.close();
  }
}

/**
 * An import writes every page of the new state: in WAL mode each page went to the WAL and then, read
 * back, into the file by the checkpoint. A rollback journal keeps only the pages the empty state had
 * (few), so a crash still rolls back to the empty state and synchronous = FULL still makes the commit
 * durable. SQLite leaves WAL only while no other connection has the file open; else the import runs
 * in WAL as any write does.
 */
function leaveWal(db: Database.Database): void {
  try {
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
  }
}

/**
 * Back to WAL once the import committed or failed (nothing to do where it never left). Should that
 * fail (another connection opened the state meanwhile), the next openDatabase switches it back.
 */
function backToWal(db: Database.Database): void {
  try {
    db.pragma('journal_mode = WAL');
  } catch {
    // See above.
  }
}

/**
 * Drops the triggers that keep counters row by row (an UPDATE for every conversation and delivery
 * loaded); returns their SQL as the state has it, to create them again once RECOUNT has counted the
 * loaded rows in one pass. In the import transaction: a failed import keeps them.
 */
function dropCountingTriggers(db: Database.Database): string[] {
  const triggers = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name GLOB ?").all(COUNTING_TRIGGERS_GLOB) as { name: string; sql: string }[];
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  return triggers.map((t) => t.sql);
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
