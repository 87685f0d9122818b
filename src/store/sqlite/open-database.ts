// Opens (creating or migrating when needed) the SQLite state file. Everything that could refuse the
// file is checked before the first write, so a file we refuse is left exactly as it was.

import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { APPLICATION_ID, INCREMENTAL_VACUUM_FROM, MIGRATIONS, migrate, schemaVersion } from './migrations.js';
import { corruptStateFile, newerSchema, toStoreError } from './store-errors.js';

/** How long a write waits for another process's write transaction before giving up. */
export const BUSY_TIMEOUT_MS = 2000;

const IN_MEMORY = ':memory:';
/** SQLite's own default page cache, in KiB. */
const CACHE_KIB = 2000;

export function openDatabase(path: string): Database.Database {
  if (path !== IN_MEMORY) prepareFile(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: path !== IN_MEMORY, timeout: BUSY_TIMEOUT_MS });
    // Pages freed (a delivered item's Highlight, a finished run's staged messages) go back to the file
    // system in steps (releaseFreePages) instead of staying in the file. Takes effect on a file
    // without tables; an older file is switched over once, when it is migrated (below).
    if (isBlank(db)) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // FULL: a transaction that returned is on disk, even across a power cut.
    db.pragma('synchronous = FULL');
    // better-sqlite3 builds SQLite with a 16 MB page cache, which a large store fills, so peak memory
    // grew with the number of conversations; the OS file cache serves the rest about as fast.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('foreign_keys = ON');
    // What a statement deletes or overwrites is zeroed in the file, not left in a free page or cell
    // (a delivered Highlight's payload, a staged message, a rewritten text after state redaction).
    db.pragma('secure_delete = ON');
    const migratedFrom = migrate(db, path);
    if (migratedFrom !== null && migratedFrom > 0 && migratedFrom < INCREMENTAL_VACUUM_FROM) switchToIncrementalVacuum(db);
    return db;
  } catch (err) {
    db?.close();
    throw toStoreError(err, path);
  }
}

function isBlank(db: Database.Database): boolean {
  return schemaVersion(db) === 0 && db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() === 0;
}

/** AUTO_VACUUM_INCREMENTAL: SQLite's value of the pragma. */
const INCREMENTAL = 2;

/**
 * An existing file takes incremental auto-vacuum only through a VACUUM, which also gives back what
 * the compact schema freed. Done once, right after the migration to v7 committed; it rewrites the
 * file (it needs as much free disk as the state takes, and a moment per 100 MB). Should it fail
 * (disk full, another process reading) the state stays as migrated, only without the shrink.
 */
function switchToIncrementalVacuum(db: Database.Database): void {
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return;
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch {
    // Left as it is: see above.
  }
}

/** Pages freed in the file beyond which closing a store hands them back to the file system. */
const FREE_PAGES_KEPT = 256;

/**
 * Gives free pages beyond a few back to the file system (incremental auto-vacuum); never fails or
 * waits: while another process writes, its own close does it (closing `status` never waits on a sync).
 */
export function releaseFreePages(db: Database.Database): void {
  try {
    if ((db.pragma('freelist_count', { simple: true }) as number) <= FREE_PAGES_KEPT) return;
    db.pragma('busy_timeout = 0');
    db.pragma('incremental_vacuum');
  } catch {
    // Busy with another process's write: see above.
  }
}

function prepareFile(path: string): void {
  const directory = dirname(resolve(path));
  ensureDirectory(directory, path);
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new StoreError(`state file ${path} is not a regular file: use another --db`);
    requireWritable(path, path);
    requireWritable(directory, path, directory);
    inspectExisting(path);
  } else {
    requireWritable(directory, path, directory);
    createPrivateFile(path);
  }
}

function ensureDirectory(directory: string, path: string): void {
  if (existsSync(directory)) return;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (err) {
    // err.path is the folder that could not be made; its parent is the one refusing writes.
    const failedAt = (err as NodeJS.ErrnoException).path;
    throw toStoreError(err, path, failedAt ? dirname(failedAt) : directory);
  }
}

/** SQLite needs the directory too: it creates the -wal and -shm files next to the state file. */
function requireWritable(target: string, path: string, directory?: string): void {
  try {
    accessSync(target, constants.W_OK);
  } catch (err) {
    throw toStoreError(err, path, directory);
  }
}

function createPrivateFile(path: string): void {
  try {
    // 'a' never truncates, so losing a creation race to another process is harmless.
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    throw toStoreError(err, path);
  }
}

/**
 * Read-only look at an existing file: ours, not from the future, and a database at all. A file
 * another front-import is creating this very moment can look foreign for an instant (two cron jobs
 * starting together on a new state file), so a "not ours" verdict is only trusted once it holds
 * after a few short pauses.
 */
function inspectExisting(path: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      inspectOnce(path);
      return;
    } catch (err) {
      if (attempt >= INSPECT_ATTEMPTS) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, INSPECT_PAUSE_MS);
    }
  }
}

interface FileHeader {
  applicationId: number;
  version: number;
  objects: number;
}

/** The header a read-only connection finds, once a journal a killed write left is rolled back. */
function readHeader(path: string): FileHeader {
  try {
    return readHeaderOnce(path);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_READONLY_ROLLBACK') throw err;
    rollBackHotJournal(path);
    return readHeaderOnce(path);
  }
}

function readHeaderOnce(path: string): FileHeader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      version: schemaVersion(db),
      objects: db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

/**
 * A journal left by a write that was killed (`state import` loads with a rollback journal,
 * transfer/sqlite-tables.ts) must be rolled back before the file can be read at all, and a
 * read-only connection cannot do it. A writable one does, on its first read: the file goes back to
 * its last committed state, which is what any SQLite writer does on open, and nothing else changes.
 */
function rollBackHotJournal(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
  } finally {
    db.close();
  }
}

const INSPECT_ATTEMPTS = 4;
const INSPECT_PAUSE_MS = 100;

function inspectOnce(path: string): void {
  let found: FileHeader;
  try {
    found = readHeader(path);
  } catch (err) {
    throw toStoreError(err, path);
  }
  const isEmpty = found.version === 0 && found.objects === 0;
  if (!isEmpty && found.applicationId !== APPLICATION_ID) {
    throw corruptStateFile(path, 'it is a SQLite database of another program');
  }
  if (found.version > MIGRATIONS.length) throw newerSchema(path, found.version, MIGRATIONS.length);
}
