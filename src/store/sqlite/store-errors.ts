// The one place SQLite and file-system failures become StoreErrors with a message a user can act on.

import Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';

export function corruptStateFile(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    `state file ${path} is not a front-import state file or is corrupted (${detail}): move it away or use another --db`,
    { cause },
  );
}

export function newerSchema(path: string, found: number, known: number): StoreError {
  return new StoreError(
    `state file ${path} was written by a newer front-import (schema v${found}, this version knows v${known}): upgrade front-import or use another --db`,
  );
}

/** `directory` names the folder at fault when it is the folder, not the file, that cannot be written. */
export function notWritable(path: string, detail: string, cause?: unknown, directory?: string): StoreError {
  const message = directory
    ? `state file ${path} cannot be created or updated: directory ${directory} is not writable (${detail}); fix its permissions or use another --db`
    : `state file ${path} is not writable (${detail}): fix its permissions or use another --db`;
  return new StoreError(message, { cause });
}

/**
 * Maps a better-sqlite3 or fs error to a StoreError naming the state file (and `directory` when the
 * failing call was about the folder); anything else passes through unchanged.
 */
export function toStoreError(err: unknown, path: string, directory?: string): unknown {
  if (err instanceof Database.SqliteError) return fromSqlite(err, path);
  if (isErrnoError(err)) return fromErrno(err, path, directory);
  return err;
}

function fromSqlite(err: InstanceType<typeof Database.SqliteError>, path: string): StoreError {
  const code = err.code;
  const detail = `${code}: ${err.message}`;
  if (code.startsWith('SQLITE_FULL')) return diskFull(path, detail, err);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return corruptStateFile(path, err.message, err);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return notWritable(path, detail, err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(`state file ${path} stayed locked by another process (${detail}): try again when it has finished`, {
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError(
      `state file ${path} could not be read or written (${detail}): the disk may be full, over a quota or failing; free some space or fix it and run again`,
      { cause: err },
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError(`state file ${path} cannot be opened (${detail}): check the path or use another --db`, { cause: err });
  }
  return new StoreError(`state file ${path}: ${detail}`, { cause: err });
}

function fromErrno(err: NodeJS.ErrnoException, path: string, directory?: string): StoreError {
  const code = err.code ?? 'unknown error';
  if (code === 'ENOSPC') return diskFull(path, code, err);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return notWritable(path, code, err, directory);
  return new StoreError(`state file ${path} cannot be opened (${code}): check the path or use another --db`, { cause: err });
}

function diskFull(path: string, detail: string, cause: unknown): StoreError {
  return new StoreError(`state file ${path} could not be written: the disk is full (${detail}); free some space and run again`, {
    cause,
  });
}

function isErrnoError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in err;
}

type Methods = Record<string, (...args: never[]) => unknown>;

/** The same methods, answering through a Promise. */
export type Promised<T extends Methods> = { [K in keyof T]: (...args: Parameters<T[K]>) => Promise<ReturnType<T[K]>> };

/**
 * Makes every method asynchronous, as the store's roles are, and turns a failure anywhere into a
 * rejected StoreError naming the state file. Each call still runs to its end synchronously (the
 * promise is settled with its result), so two calls can never interleave inside one transaction.
 */
export function guardAll<T extends Methods>(path: string, methods: T): Promised<T> {
  const guarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(methods) as [string, (...args: unknown[]) => unknown][]) {
    guarded[name] = (...args) => {
      try {
        return Promise.resolve(fn(...args));
      } catch (err) {
        return Promise.reject(toStoreError(err, path));
      }
    };
  }
  return guarded as Promised<T>;
}
