// The file `state export` writes and `state import` reads: JSON lines, a header naming the format,
// one line per row, and a trailer with the row count, so a cut-off file is refused instead of
// loading part of a state. Written and read as a stream of rows, so memory stays flat whatever the
// size of the state (a million conversations is a few GB of lines).

import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { lineWriter, readLines } from './line-io.js';
import { STATE_TABLES, type Row, type StateTableName, type TableRow, type TableCounts } from './tables.js';

const FORMAT = 'front-import-state';
/** 2: the compact state (SQLite v7, PostgreSQL migration 5): destinations, outbox_payloads, no delivered Highlights. */
const VERSION = 2;
/** Lines are gathered to about this many bytes before a write. */
const WRITE_CHUNK = 1 << 20;
const READ_CHUNK = 1 << 20;

export interface DumpHeader {
  format: typeof FORMAT;
  version: number;
  exportedAt: string;
  source: 'sqlite' | 'postgres';
}

/**
 * Writes the rows to `path` (mode 0600: it holds customer messages) via a temp file and a rename;
 * returns rows per table. Any failure removes the temp file, a whole copy of the state; one of the
 * file's own (a full disk, a folder in the way) is a ConfigError naming the file and why, one of
 * reading the state is thrown as it came.
 */
export async function writeDumpFile(path: string, rows: AsyncIterable<TableRow>, header: Omit<DumpHeader, 'format' | 'version'>): Promise<TableCounts> {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw fileProblem('write', path, { code: 'EISDIR' });
  const temp = `${path}.tmp-${process.pid}`;
  const onFile = <T>(step: () => T): T => {
    try {
      return step();
    } catch (err) {
      throw fileProblem('write', path, err);
    }
  };
  const counts = emptyCounts();
  try {
    const fd = onFile(() => openSync(temp, 'w', 0o600));
    try {
      let total = 0;
      const out = lineWriter((bytes) => onFile(() => writeAll(fd, bytes)), WRITE_CHUNK);
      const line = (value: unknown) => out.line(JSON.stringify(value));
      line({ format: FORMAT, version: VERSION, ...header });
      for await (const { table, row } of rows) {
        line({ table, row });
        counts[table]++;
        total++;
      }
      line({ end: true, rows: total });
      out.flush();
      onFile(() => fsyncSync(fd));
    } finally {
      closeSync(fd);
    }
    onFile(() => renameSync(temp, path));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return counts;
}

/**
 * Writes every byte: a write may take only part of a chunk (a file size limit, a disk filling up),
 * and the next one then fails with the reason (EFBIG, ENOSPC) instead of leaving a cut file.
 */
function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Why a state export could not be written or read, in words, with the fix. */
function fileProblem(action: 'write' | 'read', path: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
  const reason =
    code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT'
      ? 'the disk is full or over a quota; free some space and run again'
      : code === 'EISDIR'
        ? `it is a folder; name a file${action === 'write' ? ' inside it' : ''}`
        : code === 'ENOENT'
          ? action === 'write'
            ? 'its folder does not exist; create it first or choose another path'
            : 'no such file; check the path'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied; fix its permissions or choose another path'
            : 'choose another path';
  return new ConfigError(`cannot ${action} the state export ${path} (${code}): ${reason}`, { cause: err });
}

/**
 * Opens an export: its header is checked at once; `rows()` then yields its rows one by one and
 * throws at the end when the trailer is missing or counts otherwise, so a loader that runs in one
 * transaction rolls a cut-off file back whole. A file that cannot be read (missing, a folder) is a
 * ConfigError naming it and why.
 */
export function readDumpFile(path: string): { header: DumpHeader; rows: () => Generator<TableRow> } {
  const bad = (why: string) => new ConfigError(`${path} is not a complete front-import state export (${why}): export it again`);
  const parse = (text: string, at: number): Record<string, unknown> => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw bad(`line ${at} is not JSON`);
    }
  };
  const reader = lines(path);
  const first = reader.next();
  reader.return(undefined);
  if (first.done) throw bad('it is empty or cut short');
  const header = parse(first.value, 1) as unknown as DumpHeader;
  if (header.format !== FORMAT) throw bad('no front-import-state header');
  if (header.version > VERSION) throw new ConfigError(`${path} was written by a newer front-import (format v${header.version}): upgrade front-import`);
  if (header.version < VERSION) {
    throw new ConfigError(`${path} was written by an older front-import (format v${header.version}): import it with that version, then export again with this one (its state is migrated in place)`);
  }
  const known = new Set<string>(STATE_TABLES.map((t) => t.name));
  return {
    header,
    *rows() {
      let count = 0;
      let at = 0;
      let trailer: Record<string, unknown> | null = null;
      for (const text of lines(path)) {
        at++;
        if (at === 1) continue;
        if (trailer) throw bad(`line ${at} follows the end marker`);
        const entry = parse(text, at) as { table?: StateTableName; row?: Row; end?: boolean };
        if (entry.end === true) {
          trailer = entry;
          continue;
        }
        if (entry.table === undefined || !known.has(entry.table) || typeof entry.row !== 'object' || entry.row === null) {
          throw bad(`line ${at} names no table this version knows`);
        }
        count++;
        yield { table: entry.table, row: entry.row };
      }
      if (!trailer || trailer.rows !== count) throw bad('the end marker is missing or the row count differs');
    },
  };
}

export function emptyCounts(): TableCounts {
  return Object.fromEntries(STATE_TABLES.map((t) => [t.name, 0])) as TableCounts;
}

/** The file's lines, read a chunk at a time. */
function* lines(path: string): Generator<string> {
  const onFile = <T>(step: () => T): T => {
    try {
      return step();
    } catch (err) {
      throw fileProblem('read', path, err);
    }
  };
  const fd = onFile(() => openSync(path, 'r'));
  try {
    yield* readLines((buffer, offset, length) => onFile(() => readSync(fd, buffer, offset, length, null)), READ_CHUNK);
  } finally {
    closeSync(fd);
  }
}
