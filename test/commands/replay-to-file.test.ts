// `replay` to an NDJSON file, through the real command line in-process: the stored Highlights go
// straight from the state to the file (pipeline/deliver/from-state.ts sendFromState), so nothing is
// staged in the state (outbox_payloads, batches) on the way, and a file that cannot be written
// fails the run with the destination's exit code, recorded as failed.

import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { importable } from '../helpers/e2e.ts';
import { fixedClock } from '../helpers/in-process.ts';
import { cliWorkdir, type CliWorkdir } from '../helpers/run-cli.ts';

let sandbox: SandboxHandle;
let work: CliWorkdir;
/** The ids of the conversations the backfill stored, in scope. */
let stored: string[];
const out = () => join(work.dir, 'highlights.ndjson');

beforeAll(async () => {
  const clock = fixedClock();
  sandbox = await startSandbox({ conversations: 12, seed: 5, now: clock, rateLimit: false });
  work = cliWorkdir({ sandbox, clock, config: 'destination:\n  type: ndjson\n  path: highlights.ndjson\n' });
  // The disk was full (the path names /dev/full): the backfill stored every conversation and left
  // its Highlights pending for the file, staged in the state.
  symlinkSync('/dev/full', out());
  const full = await work.run(['backfill', '--since', '8d']);
  expect(full.exitCode, full.stderr).toBe(ExitCode.destination);
  rmSync(out());
  stored = importable(sandbox.control.truth().conversations).map((c) => `front:${c.id}`);
  expect(stored.length).toBeGreaterThan(5);
});
afterAll(async () => {
  work.close();
  await sandbox.close();
});

/** Rows the state holds for the destination `key` (an absolute file path), read-only. */
function stateRows(key: string) {
  const db = new Database(join(work.dir, 'state.db'), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(key) as { n: number }).n;
    const perDestination = 'destination_id = (SELECT id FROM destinations WHERE key = ?)';
    return {
      payloads: count(`SELECT count(*) AS n FROM outbox_payloads WHERE ${perDestination}`),
      batches: count('SELECT count(*) AS n FROM batches WHERE destination = ?'),
      pending: count(`SELECT count(*) AS n FROM deliveries WHERE ${perDestination} AND state = 0`),
      delivered: count(`SELECT count(*) AS n FROM deliveries WHERE ${perDestination} AND state = 1`),
      lastRun: db.prepare('SELECT command, outcome, exit_code FROM runs ORDER BY id DESC LIMIT 1').get() as { command: string; outcome: string; exit_code: number },
    };
  } finally {
    db.close();
  }
}

/** Each line of the file as `id@version` (every line must parse). */
function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const h = JSON.parse(line) as { id: string; version: string };
      return `${h.id}@${h.version}`;
    });
}

describe('replay to a file, in-process', () => {
  it('sends each stored Highlight once, straight from the state: nothing left staged (outbox_payloads, batches) or pending for the file', async () => {
    expect(stateRows(out())).toMatchObject({ payloads: stored.length, pending: stored.length, batches: 0, delivered: 0 });
    const r = await work.run(['replay', '--to', out(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ command: 'replay', outcome: 'success', exitCode: 0, queued: stored.length, delivered: stored.length, refused: 0 });
    const written = lines(out());
    expect(written.map((l) => l.split('@')[0]).sort()).toEqual([...stored].sort());
    expect(stateRows(out())).toMatchObject({ payloads: 0, batches: 0, pending: 0, delivered: stored.length, lastRun: { command: 'replay', outcome: 'success', exit_code: 0 } });
    const status = await work.run(['status', '--json']);
    expect(status.json<{ totals: { pending: number } }>().totals.pending).toBe(0);
  });

  it('a second replay appends the same Highlights again (the same id+version set), still staging nothing', async () => {
    const before = lines(out());
    const r = await work.run(['replay', '--to', out(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = lines(out());
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).sort()).toEqual([...before].sort());
    expect(stateRows(out())).toMatchObject({ payloads: 0, batches: 0, pending: 0, delivered: stored.length });
  });

  it('to a path that cannot be written (a folder): exit 6, outcome failed in the summary and the runs table, nothing staged or pending for it', async () => {
    const folder = join(work.dir, 'exports');
    mkdirSync(folder);
    const r = await work.run(['replay', '--to', folder, '--json']);
    expect(r.exitCode).toBe(ExitCode.destination);
    expect(r.json()).toMatchObject({ command: 'replay', outcome: 'failed', exitCode: ExitCode.destination, delivered: 0, error: { kind: 'destination' } });
    expect(r.json<{ error: { message: string } }>().error.message).toContain(`cannot open ${folder}: EISDIR`);
    expect(stateRows(folder)).toMatchObject({ payloads: 0, batches: 0, pending: 0, delivered: 0, lastRun: { command: 'replay', outcome: 'failed', exit_code: ExitCode.destination } });
    const status = await work.run(['status', '--json']);
    expect(status.exitCode).toBe(0);
    expect(status.json<{ totals: { pending: number } }>().totals.pending).toBe(0);
  });
});
