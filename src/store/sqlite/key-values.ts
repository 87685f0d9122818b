// Small named values kept between runs: numeric cursors, JSON checkpoints and JSON meta.

import type Database from 'better-sqlite3';
import type { RunCommit } from '../types.js';
import { writeTransaction } from './write-transaction.js';

export function keyValueStatements(db: Database.Database, now: () => string) {
  const selectCursor = db.prepare<[string], { value: number; updated_at: string }>(
    'SELECT value, updated_at FROM cursors WHERE name = ?',
  );
  const upsertCursor = db.prepare(
    `INSERT INTO cursors (name, value, updated_at) VALUES (@name, @value, @now)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const selectCheckpoint = db.prepare<[string], string>('SELECT value FROM checkpoints WHERE key = ?').pluck();
  const upsertCheckpoint = db.prepare(
    `INSERT INTO checkpoints (key, value, updated_at) VALUES (@key, @value, @now)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const deleteCheckpoint = db.prepare('DELETE FROM checkpoints WHERE key = ?');
  const selectMeta = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const removeMeta = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  const upsertMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  const insertCursorIfUnset = db.prepare(
    'INSERT INTO cursors (name, value, updated_at) VALUES (@name, @value, @now) ON CONFLICT (name) DO NOTHING',
  );

  const setCheckpoint = (key: string, value: unknown): void => {
    upsertCheckpoint.run({ key, value: toJson(value), now: now() });
  };

  return {
    getCursor(name: string): { value: number; updatedAt: string } | undefined {
      const row = selectCursor.get(name);
      return row && { value: row.value, updatedAt: row.updated_at };
    },
    getCheckpoint<T>(key: string): T | undefined {
      return parseJson<T>(selectCheckpoint.get(key));
    },
    /** Also used inside the store's page transaction. */
    setCheckpoint,
    commitRun: writeTransaction(db, (commit: RunCommit): void => {
      const at = now();
      for (const c of commit.cursors) (c.onlyIfUnset ? insertCursorIfUnset : upsertCursor).run({ name: c.name, value: c.value, now: at });
      for (const key of commit.clearCheckpoints) deleteCheckpoint.run(key);
      for (const m of commit.meta ?? []) upsertMeta.run({ key: m.key, value: toJson(m.value) });
    }),
    getMeta<T>(key: string): T | undefined {
      return parseJson<T>(selectMeta.get(key));
    },
    setMeta(key: string, value: unknown): void {
      upsertMeta.run({ key, value: toJson(value) });
    },
    deleteMeta(key: string): void {
      removeMeta.run(key);
    },
  };
}

function parseJson<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

// JSON.stringify(undefined) is undefined, which SQLite would store as NULL and break NOT NULL.
function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}
