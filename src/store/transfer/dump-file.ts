// The file `state export` writes and `state import` reads: JSON lines, a header naming the format,
// one line per row, and a trailer with the row count, so a cut-off file is refused instead of
// loading part of a state.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { STATE_TABLES, type Row, type StateDump, type StateTableName } from './tables.js';

const FORMAT = 'front-import-state';
/** 2: the compact state (SQLite v7, PostgreSQL migration 5): destinations, delivery rows without a delivered Highlight. */
const VERSION = 2;

interface Header {
  format: typeof FORMAT;
  version: number;
  exportedAt: string;
  source: 'sqlite' | 'postgres';
}

/** Writes the dump to `path` (mode 0600: it holds customer messages) via a temp file and a rename. */
export function writeDumpFile(path: string, dump: StateDump, header: Omit<Header, 'format' | 'version'>): number {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o600);
  let rows = 0;
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
  return rows;
}

export function readDumpFile(path: string): { header: Header; dump: StateDump } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
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
  if (header.version < VERSION) {
    throw new ConfigError(`${path} was written by an older front-import (format v${header.version}): import it with that version, then export again with this one (its state is migrated in place)`);
  }
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
