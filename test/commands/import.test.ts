// backfill and sync in-process: the --json summary's shape, the one summary line for cron, and the
// outcome words, which --json and the runs table (`status`) share: success / partial / failed /
// interrupted. Exit codes, signals and cron behaviour are tested through the binary (test/e2e,
// test/reliability).

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/commands/backfill/index.ts';
import { runStatus } from '../../src/commands/status/index.ts';
import { runSync } from '../../src/commands/sync/index.ts';
import { AuthError, InterruptedError } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { importable } from '../helpers/e2e.ts';
import { fakeContext, type FakeContext } from '../helpers/fake-context.ts';
import { fixedClock, type FakeClock } from '../helpers/in-process.ts';

let open: Array<FakeContext | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function world(conversations = 12): Promise<{ sandbox: SandboxHandle; clock: FakeClock }> {
  const clock = fixedClock();
  const sandbox = await startSandbox({ conversations, seed: 9, now: clock, rateLimit: false });
  open.push(sandbox);
  return { sandbox, clock };
}

async function context(w: { sandbox: SandboxHandle; clock: FakeClock }, opts: { json?: boolean; dir?: string; token?: string } = {}) {
  const f = await fakeContext({
    sandbox: w.sandbox,
    clock: w.clock,
    dir: opts.dir,
    flags: { json: opts.json },
    overrides: { to: 'highlights.ndjson' },
    env: opts.token ? { FRONT_API_TOKEN: opts.token } : {},
  });
  open.push(f);
  return f;
}

/** The outcome word of the newest run in the runs table, as `status --json` reports it. */
async function lastRunOutcome(w: { sandbox: SandboxHandle; clock: FakeClock }, dir: string): Promise<string> {
  const f = await context(w, { json: true, dir });
  await runStatus({ json: true }, f.ctx);
  return f.json().runs[0].outcome;
}

describe('backfill and sync output', () => {
  it('--json: one summary object, outcome success, the same word in the runs table', async () => {
    const w = await world();
    const f = await context(w, { json: true });
    expect(await runBackfill({ since: '8d', dryRun: false, json: true }, f.ctx)).toBe(0);
    const summary = f.json();
    expect(Object.keys(summary).sort()).toEqual(
      ['command', 'counts', 'destination', 'dryRun', 'elapsedMs', 'error', 'exitCode', 'outcome', 'pending', 'requests', 'resumed', 'strategy', 'strategyChoice', 'strategyReason', 'subscriptions', 'window'].sort(),
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
      counts: { seen: 12, created: importable(w.sandbox.control.truth().conversations).length, failed: 0 },
      elapsedMs: 0,
    });
    expect(summary.requests.requests).toBe(w.sandbox.control.requestLog().length);
    expect(f.stderr()).toBe('');
    expect(await lastRunOutcome(w, f.dir)).toBe('success');
  });

  it('--limit stops early: partial, in --json and in the runs table', async () => {
    const w = await world();
    const f = await context(w, { json: true });
    expect(await runBackfill({ since: '8d', dryRun: false, json: true, limit: 3 }, f.ctx)).toBe(0);
    expect(f.json()).toMatchObject({ outcome: 'partial', exitCode: 0, error: null });
    expect(await lastRunOutcome(w, f.dir)).toBe('partial');
  });

  it('a run stopped by a signal: interrupted, in --json and in the runs table', async () => {
    const w = await world();
    const f = await context(w, { json: true });
    f.abort(new InterruptedError('SIGTERM'));
    await expect(runSync({ json: true }, f.ctx)).rejects.toBeInstanceOf(InterruptedError);
    expect(f.json()).toMatchObject({ command: 'sync', outcome: 'interrupted', exitCode: 143, error: { kind: 'interrupted' } });
    expect(await lastRunOutcome(w, f.dir)).toBe('interrupted');
  });

  it('a run that fails: failed, in --json and in the runs table, with the error kind and message', async () => {
    const w = await world();
    const f = await context(w, { json: true, token: w.sandbox.tokens.revoked });
    await expect(runSync({ json: true }, f.ctx)).rejects.toBeInstanceOf(AuthError);
    const summary = f.json();
    expect(summary).toMatchObject({ outcome: 'failed', exitCode: 3, error: { kind: expect.any(String), message: expect.stringMatching(/Front rejected the token \(401\)/) } });
    expect(JSON.stringify(summary)).not.toContain(w.sandbox.tokens.revoked);
    expect(await lastRunOutcome(w, f.dir)).toBe('failed');
  });

  it('without --json: one summary line, the same for a terminal and a cron log', async () => {
    const w = await world();
    const f = await context(w);
    expect(await runSync({ since: '8d', json: false }, f.ctx)).toBe(0);
    const requests = w.sandbox.control.requestLog().length;
    const n = importable(w.sandbox.control.truth().conversations).length;
    const strategy = f.stdout().includes('; events;') ? 'events' : 'listing';
    expect(f.stdout()).toBe(
      `sync: 12 conversations seen, ${n} created, 0 updated, 0 unchanged, ${12 - n} skipped, 0 failed; ${n} delivered to ${join(f.dir, 'highlights.ndjson')}; ` +
        `${requests} Front requests; ${strategy}; 0.0s\n`,
    );
    expect(f.stderr()).toBe('');
  });
});
