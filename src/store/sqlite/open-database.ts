// Opens (creating or migrating when needed) the SQLite state file. Everything that could refuse the
// file is checked before the first write, so a file we refuse is left exactly as it was.

import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { APPLICATION_ID, MIGRATIONS, migrate, schemaVersion } from './migrations.js';
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
    db.pragma('journal_mode = WAL');
    // FULL: a transaction that returned is on disk, even across a power cut.
    db.pragma('synchronous = FULL');
    // better-sqlite3 builds SQLite with a 16 MB page cache, which a large store fills, so peak memory
    // grew with the number of conversations; the OS file cache serves the rest about as fast.
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (err) {
    db?.close();
    throw toStoreError(err, path);
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

const INSPECT_ATTEMPTS = 4;
const INSPECT_PAUSE_MS = 100;

function inspectOnce(path: string): void {
  let found: { applicationId: number; version: number; objects: number };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    found = {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      version: schemaVersion(db),
      objects: db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number,
    };
  } catch (err) {
    throw toStoreError(err, path);
  } finally {
    db?.close();
  }
  const isEmpty = found.version === 0 && found.objects === 0;
  if (!isEmpty && found.applicationId !== APPLICATION_ID) {
    throw corruptStateFile(path, 'it is a SQLite database of another program');
  }
  if (found.version > MIGRATIONS.length) throw newerSchema(path, found.version, MIGRATIONS.length);
}
