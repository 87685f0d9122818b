// The file `state export` writes and `state import` reads: JSON lines, a header naming the format,
// one line per row, and a trailer with the row count, so a cut-off file is refused instead of
// loading part of a state.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { STATE_TABLES, type Row, type StateDump, type StateTableName } from './tables.js';

const FORMAT = 'front-import-state';
const VERSION = 1;

interface Header {
  format: typeof FORMAT;
  version: number;
  exportedAt: string;
  source: 'sqlite' | 'postgres';
}

/**
 * Writes the dump to `path` (mode 0600: it holds customer messages) via a temp file and a rename.
 * Any failure (a full disk, a folder in the way) removes the temp file, a whole copy of the state,
 * and is a ConfigError naming the file and why.
 */
export function writeDumpFile(path: string, dump: StateDump, header: Omit<Header, 'format' | 'version'>): number {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw fileProblem('write', path, { code: 'EISDIR' });
  const temp = `${path}.tmp-${process.pid}`;
  let rows = 0;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      const line = (value: unknown) => writeSync(fd, `${JSON.stringify(value)}\n`);
      line({ format: FORMAT, version: VERSION, ...header });
      for (const { name, rows: tableRows } of dump.tables) {
        for (const row of tableRows) {
          line({ table: name, row });
          rows++;
        }
      }
      line({ end: true, rows });
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw fileProblem('write', path, err);
  }
  return rows;
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

export function readDumpFile(path: string): { header: Header; dump: StateDump } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileProblem('read', path, err);
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const bad = (why: string) => new ConfigError(`${path} is not a complete front-import state export (${why}): export it again`);
  const parse = (text: string, at: number): Record<string, unknown> => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw bad(`line ${at + 1} is not JSON`);
    }
  };
  if (lines.length < 2) throw bad('it is empty or cut short');
  const header = parse(lines[0]!, 0) as unknown as Header;
  if (header.format !== FORMAT) throw bad('no front-import-state header');
  if (header.version > VERSION) throw new ConfigError(`${path} was written by a newer front-import (format v${header.version}): upgrade front-import`);
  const trailer = parse(lines[lines.length - 1]!, lines.length - 1);
  if (trailer.end !== true || trailer.rows !== lines.length - 2) throw bad('the end marker is missing or the row count differs');
  const byTable = new Map<StateTableName, Row[]>(STATE_TABLES.map((t) => [t.name, []]));
  for (let i = 1; i < lines.length - 1; i++) {
    const entry = parse(lines[i]!, i) as { table?: StateTableName; row?: Row };
    const rows = entry.table === undefined ? undefined : byTable.get(entry.table);
    if (!rows || typeof entry.row !== 'object' || entry.row === null) throw bad(`line ${i + 1} names no table this version knows`);
    rows.push(entry.row);
  }
  return { header, dump: { tables: [...byTable].map(([name, rows]) => ({ name, rows })) } };
}
