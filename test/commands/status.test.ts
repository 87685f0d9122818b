// `status` through the real command line, in-process: its lines and its --json shape, on a fixed
// clock, after an in-process backfill against the in-process sandbox; colour decided per stream;
// exit 8 when a threshold is exceeded.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import type { StatusDocument } from '../../src/commands/status/index.ts';
import { ExitCode } from '../../src/errors.ts';
import { importable } from '../helpers/e2e.ts';
import { fixedClock, type FakeClock } from '../helpers/in-process.ts';
import { cliWorkdir, type CliResult, type CliWorkdir } from '../helpers/run-cli.ts';

// toMatch with a string matches a substring: the start of an ANSI escape sequence.
const ESCAPE = '\u001b[';
const open: Array<CliWorkdir | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
const keep = <T extends CliWorkdir | SandboxHandle>(o: T): T => {
  open.push(o);
  return o;
};

/** A state file holding one backfill of 15 conversations (`imported` of them in scope), and the clock it ran on. */
async function afterBackfill(): Promise<{ work: CliWorkdir; clock: FakeClock; sandbox: SandboxHandle; imported: number }> {
  const clock = fixedClock();
  const sandbox = keep(await startSandbox({ conversations: 15, seed: 5, now: clock, rateLimit: false }));
  const work = keep(cliWorkdir({ sandbox, clock }));
  expect((await work.run(['backfill', '--since', '8d', '--to', 'highlights.ndjson', '--json'])).exitCode).toBe(0);
  const imported = importable(sandbox.control.truth().conversations).length;
  expect(imported).toBeGreaterThan(5);
  return { work, clock, sandbox, imported };
}

/** Runs `status` in the backfill's work dir, at the clock's current time. */
function status(state: { work: CliWorkdir }, args: string[] = [], tty?: { stdout?: boolean; stderr?: boolean }): Promise<CliResult> {
  return state.work.run(['status', ...args], { tty });
}

describe('status', () => {
  it('prints one labelled line per fact, with ages on the fixed clock', async () => {
    const state = await afterBackfill();
    state.clock.advance(5 * 60_000);
    const r = await status(state);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('config      none found (defaults and environment)');
    expect(lines[1]).toBe(`store       ${join(state.work.dir, 'state.db')} (SQLite)`);
    const { company } = state.sandbox.control.truth();
    expect(lines[2]).toMatch(new RegExp(`^company     ${company.name} \\(${company.id} at http://127\\.0\\.0\\.1:\\d+\\)$`));
    // The backfill left the sync cursor at its start minus the overlap (2 minutes).
    expect(lines[3]).toBe('cursor      2026-06-01T11:58:00.000Z (7m00s behind now)');
    const n = state.imported;
    expect(lines).toContain(`highlights  ${n} imported, ${n} delivered, 0 pending, 0 refused`);
    const sub = lines.findIndex((l) => l.startsWith('subscription default -> '));
    expect(lines[sub]).toBe(`subscription default -> ${join(state.work.dir, 'highlights.ndjson')}`);
    expect(lines[sub + 1]).toBe(`  synced to 2026-06-01T11:58:00.000Z (7m00s behind); ${n} delivered, 0 pending, 0 refused; last delivery 2026-06-01T12:00:00.000Z`);
    const runsAt = lines.indexOf('recent runs');
    expect(runsAt).toBeGreaterThan(2);
    expect(lines[runsAt + 1]).toMatch(new RegExp(`^  2026-06-01T12:00:00\\.000Z backfill success \\(0\\.0s\\) · 15 seen, ${n} created, 0 updated, ${n} delivered, 0 pending · \\d+ requests$`));
    expect(r.stderr).toBe('');
  });

  it('says what to do on a state file that does not exist yet', async () => {
    const work = keep(cliWorkdir());
    const r = await work.run(['status']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`store       ${join(work.dir, 'state.db')} (SQLite) (not created yet: run backfill or sync)`);
    expect(r.stdout).toContain('runs        none yet');
  });

  it('--json: one document with the report, lag and staleness', async () => {
    const state = await afterBackfill();
    state.clock.advance(60_000);
    const r = await status(state, ['--json', '--max-lag', '1h']);
    expect(r.exitCode).toBe(ExitCode.thresholdExceeded);
    const report = r.json<StatusDocument>();
    expect(Object.keys(report).sort()).toEqual(
      ['checks', 'company', 'configFile', 'credential', 'cursor', 'lagMs', 'lastSuccessfulSync', 'listener', 'maxLagMs', 'rateLimit', 'runs', 'stale', 'store', 'storeExists', 'storeKind', 'subscriptions', 'totals', 'unreadable'].sort(),
    );
    expect(report).toMatchObject({ storeExists: true, lagMs: null, maxLagMs: 3_600_000, stale: true, lastSuccessfulSync: null });
    expect(report.checks).toEqual([{ name: 'max-lag', limit: '1h', actual: 'no successful sync yet', exceeded: true }]);
    expect(report.runs[0]).toMatchObject({ command: 'backfill', outcome: 'success', exitCode: 0, startedAt: '2026-06-01T12:00:00.000Z' });
    expect(report.totals).toMatchObject({ conversations: state.imported, delivered: state.imported, pending: 0, failed: 0 });
    expect(report.subscriptions).toEqual([
      {
        name: 'default',
        destination: join(state.work.dir, 'highlights.ndjson'),
        droppedFromIdentity: [],
        cursor: '2026-06-01T11:58:00.000Z',
        cursorSavedAt: '2026-06-01T12:00:00.000Z',
        lagMs: 180_000,
        delivered: state.imported,
        pending: 0,
        refused: 0,
        refusals: [],
        lastDeliveryAt: '2026-06-01T12:00:00.000Z',
      },
    ]);
    expect(r.stderr).toBe('');
  });

  it('status > file with stderr on a terminal: plain text in the file, the stale error still coloured', async () => {
    const state = await afterBackfill();
    const toFile = await status(state, ['--max-lag', '1h'], { stdout: false, stderr: true });
    expect(toFile.exitCode).toBe(ExitCode.thresholdExceeded);
    expect(toFile.stdout).toContain(`highlights  ${state.imported} imported`);
    expect(toFile.stdout).not.toMatch(ESCAPE);
    expect(toFile.stderr).toMatch(ESCAPE);
    expect(toFile.stderr).toContain('max-lag: no successful sync yet (limit 1h): EXCEEDED');

    const onTerminal = await status(state, [], { stdout: true, stderr: false });
    expect(onTerminal.stdout).toMatch(ESCAPE);
    // --no-color wins over a terminal.
    expect((await status(state, ['--no-color'], { stdout: true, stderr: true })).stdout).not.toMatch(ESCAPE);
  });
});
