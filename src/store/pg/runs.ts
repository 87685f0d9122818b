// One row per command run on PostgreSQL, for `status` and "since the last successful run".

import type pg from 'pg';
import type { RunLog } from '../roles.js';
import { toRunRecord, type RunRow } from '../rows.js';
import { itemAt } from '../../shared/item-at.js';

export function pgRunLog(pool: pg.Pool, now: () => string): RunLog {
  return {
    async startRun(command, args) {
      const { rows } = await pool.query<{ id: string }>('INSERT INTO runs (command, args, started_at) VALUES ($1, $2, $3) RETURNING id', [
        command,
        JSON.stringify(args),
        now(),
      ]);
      return Number(itemAt(rows, 0).id);
    },
    async finishRun(id, result) {
      await pool.query(
        `UPDATE runs SET ended_at = $2, outcome = $3, exit_code = $4, error = $5, counts = $6, requests = $7 WHERE id = $1`,
        [id, now(), result.outcome, result.exitCode, result.error ?? null, JSON.stringify(result.counts), JSON.stringify(result.requests)],
      );
    },
    async abandonOpenRuns() {
      // Call it holding the 'import' lock: only the holder has a live run, so every open one is dead.
      await pool.query(`UPDATE runs SET ended_at = $1, outcome = 'interrupted', error = $2 WHERE ended_at IS NULL`, [
        now(),
        'the process stopped without finishing (killed or crashed)',
      ]);
    },
    async lastRuns(limit) {
      const { rows } = await pool.query<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [limit]);
      return rows.map(toRunRecord);
    },
    async lastSuccessfulRun(command) {
      const { rows } = await pool.query<RunRow>("SELECT * FROM runs WHERE command = $1 AND outcome = 'success' ORDER BY id DESC LIMIT 1", [command]);
      return rows[0] && toRunRecord(rows[0]);
    },
  };
}
