// backfill and sync through the real command line, in-process (test/helpers/run-cli.ts): the
// --json summary's shape, the one summary line for cron, the outcome words, which --json and the
// runs table (`status`) share (success / partial / failed / interrupted), and the exit code of each.
// Signals as the process receives them, and cron's environment, are tested through the binary
// (test/e2e, test/reliability).

import type { StatusDocument } from '../../src/commands/status/index.ts';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { importable } from '../helpers/e2e.ts';
import { fixedClock } from '../helpers/in-process.ts';
import { cliWorkdir, type CliWorkdir } from '../helpers/run-cli.ts';

const open: Array<CliWorkdir | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A sandbox of `conversations` on a fixed clock, and a work dir whose commands share that clock. */
async function world(conversations = 12): Promise<{ sandbox: SandboxHandle; work: CliWorkdir }> {
  const clock = fixedClock();
  const sandbox = await startSandbox({ conversations, seed: 9, now: clock, rateLimit: false });
  const work = cliWorkdir({ sandbox, clock });
  open.push(sandbox, work);
  return { sandbox, work };
}

const TO = ['--to', 'highlights.ndjson'];

/** The outcome word of the newest run in the runs table, as `status --json` reports it. */
async function lastRunOutcome(work: CliWorkdir): Promise<string | null> {
  const status = await work.run(['status', '--json']);
  expect(status.exitCode).toBe(0);
  return status.json<StatusDocument>().runs[0]!.outcome;
}

describe('backfill and sync output', () => {
  it('--json: one summary object, outcome success, the same word in the runs table', async () => {
    const { sandbox, work } = await world();
    const r = await work.run(['backfill', '--since', '8d', ...TO, '--json']);
    expect(r.exitCode).toBe(0);
    const summary = r.json<{ requests: { requests: number } }>();
    expect(Object.keys(summary).sort()).toEqual(
      ['command', 'counts', 'destination', 'dryRun', 'elapsedMs', 'error', 'exitCode', 'heldBack', 'outcome', 'pending', 'redactions', 'requests', 'resumed', 'skippedBy', 'strategy', 'strategyChoice', 'strategyReason', 'subscriptions', 'window'].sort(),
    );
    expect(summary).toMatchObject({
      command: 'backfill',
      outcome: 'success',
      exitCode: 0,
      error: null,
      dryRun: false,
      resumed: false,
      pending: 0,
      window: { since: '2026-05-24T12:00:00.000Z', until: null },
      counts: { seen: 12, created: importable(sandbox.control.truth().conversations).length, failed: 0 },
      elapsedMs: 0,
    });
    expect(summary.requests.requests).toBe(sandbox.control.requestLog().length);
    expect(r.stderr).toBe('');
    expect(await lastRunOutcome(work)).toBe('success');
  });

  it('--limit stops early: partial, in --json and in the runs table', async () => {
    const { work } = await world();
    const r = await work.run(['backfill', '--since', '8d', ...TO, '--json', '--limit', '3']);
    expect(r.exitCode).toBe(0);
    expect(r.json()).toMatchObject({ outcome: 'partial', exitCode: 0, error: null });
    expect(await lastRunOutcome(work)).toBe('partial');
  });

  it('a run stopped by a signal: exit 143, interrupted, in --json and in the runs table', async () => {
    const { work } = await world();
    const stop = new AbortController();
    stop.abort(new InterruptedError('SIGTERM'));
    const r = await work.run(['sync', ...TO, '--json'], { signal: stop.signal });
    expect(r.exitCode).toBe(143);
    expect(r.json()).toMatchObject({ command: 'sync', outcome: 'interrupted', exitCode: 143, error: { kind: 'interrupted' } });
    expect(r.stderr).toMatch(/^front-import: /);
    expect(await lastRunOutcome(work)).toBe('interrupted');
  });

  it('a run that fails: exit 3, failed, in --json and in the runs table, with the error kind and message, never the token', async () => {
    const { sandbox, work } = await world();
    const r = await work.run(['sync', ...TO, '--json'], { env: { FRONT_API_TOKEN: sandbox.tokens.revoked } });
    expect(r.exitCode).toBe(3);
    const summary = r.json();
    expect(summary).toMatchObject({ outcome: 'failed', exitCode: 3, error: { kind: expect.any(String), message: expect.stringMatching(/Front rejected the token \(401\)/) } });
    expect(r.stderr).toMatch(/^front-import: Front rejected the token \(401\)/);
    expect(r.stdout + r.stderr).not.toContain(sandbox.tokens.revoked);
    expect(await lastRunOutcome(work)).toBe('failed');
  });

  it('without --json: one summary line, the same for a terminal and a cron log', async () => {
    const { sandbox, work } = await world();
    const r = await work.run(['sync', '--since', '8d', ...TO]);
    expect(r.exitCode).toBe(0);
    const requests = sandbox.control.requestLog().length;
    const n = importable(sandbox.control.truth().conversations).length;
    const strategy = r.stdout.includes('; events;') ? 'events' : 'listing';
    expect(r.stdout).toBe(
      `sync: 12 conversations seen, ${n} created, 0 updated, 0 unchanged, ${12 - n} skipped${12 - n > 0 ? ": out of scope (spam, trash, or outside every subscription's scope)" : ''}, 0 failed; ${n} delivered to ${join(work.dir, 'highlights.ndjson')}; ` +
        `${requests} Front requests; ${strategy}; 0.0s\n`,
    );
    expect(r.stderr).toBe('');
  });
});
