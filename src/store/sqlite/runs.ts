// One row per command run, for `status` and for "since the last successful run".

import type Database from 'better-sqlite3';
import { toRunRecord, type RunRow } from '../rows.js';
import type { RunRecord, RunResult } from '../types.js';

export function runStatements(db: Database.Database, now: () => string) {
  const insert = db.prepare('INSERT INTO runs (command, args, started_at) VALUES (@command, @args, @now)');
  const finish = db.prepare(
    `UPDATE runs SET ended_at = @now, outcome = @outcome, exit_code = @exitCode, error = @error,
       counts = @counts, requests = @requests
     WHERE id = @id`,
  );
  const abandon = db.prepare(`UPDATE runs SET ended_at = @now, outcome = 'interrupted', error = @error WHERE ended_at IS NULL`);
  const selectLast = db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?');
  const selectLastSuccess = db.prepare<[string], RunRow>(
    "SELECT * FROM runs WHERE command = ? AND outcome = 'success' ORDER BY id DESC LIMIT 1",
  );

  return {
    startRun(command: string, args: Record<string, unknown>): number {
      return Number(insert.run({ command, args: JSON.stringify(args), now: now() }).lastInsertRowid);
    },
    finishRun(id: number, result: RunResult): void {
      finish.run({
        id,
        now: now(),
        outcome: result.outcome,
        exitCode: result.exitCode,
        error: result.error ?? null,
        counts: JSON.stringify(result.counts),
        requests: JSON.stringify(result.requests),
      });
    },
    /**
     * Closes the runs of processes that died without finishing them (kill -9, a crash, a power cut).
     * Call it holding the lock: only the holder has a live run, so every open one is dead.
     */
    abandonOpenRuns(): void {
      abandon.run({ now: now(), error: 'the process stopped without finishing (killed or crashed)' });
    },
    lastRuns(limit: number): RunRecord[] {
      return selectLast.all(limit).map(toRunRecord);
    },
    lastSuccessfulRun(command: string): RunRecord | undefined {
      const row = selectLastSuccess.get(command);
      return row && toRunRecord(row);
    },
  };
}
