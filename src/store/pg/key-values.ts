// Small named values kept between runs on PostgreSQL: numeric cursors, JSON checkpoints, JSON meta.

import type pg from 'pg';
import type { Checkpoints, MetaStore } from '../roles.js';
import { saveCheckpoint } from './staging.js';

export function pgCheckpoints(pool: pg.Pool, now: () => string): Checkpoints {
  return {
    async getCheckpoint<T>(key: string) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM checkpoints WHERE key = $1', [key]);
      return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as T);
    },
    setCheckpoint: (key, value) => saveCheckpoint(pool, key, value, now()),
    async getCursor(name) {
      const { rows } = await pool.query<{ value: number; updated_at: string }>('SELECT value, updated_at FROM cursors WHERE name = $1', [name]);
      return rows[0] && { value: rows[0].value, updatedAt: rows[0].updated_at };
    },
    async commitRun(commit) {
      // One row per name (a statement may not touch a row twice): the last one given wins.
      const cursors = [...new Map(commit.cursors.map((c) => [c.name, { name: c.name, value: c.value, keep: c.onlyIfUnset === true }])).values()];
      const meta = [...new Map((commit.meta ?? []).map((m) => [m.key, { key: m.key, value: JSON.stringify(m.value ?? null) }])).values()];
      // One statement, so one transaction: checkpoints go, meta is written and cursors move together or not at all.
      await pool.query(
        `WITH cleared AS (DELETE FROM checkpoints WHERE key = ANY ($1)),
         meta_set AS (INSERT INTO meta (key, value) SELECT key, value FROM jsonb_to_recordset($4::jsonb) AS m(key text, value text)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value),
         input AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(name text, value double precision, keep boolean))
         INSERT INTO cursors (name, value, updated_at) SELECT name, value, $3 FROM input
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
         WHERE NOT (SELECT keep FROM input WHERE input.name = excluded.name)`,
        [commit.clearCheckpoints, JSON.stringify(cursors), now(), JSON.stringify(meta)],
      );
    },
  };
}

export function pgMeta(pool: pg.Pool): MetaStore {
  return {
    async getMeta<T>(key: string) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
      return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as T);
    },
    async setMeta(key, value) {
      await pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
        key,
        JSON.stringify(value ?? null),
      ]);
    },
    async deleteMeta(key) {
      await pool.query('DELETE FROM meta WHERE key = $1', [key]);
    },
  };
}
