// The run session in-process, over a fake command context (temp state file, in-memory streams,
// fixed clock): what it records, what it refuses, what it leaves behind however the run ended.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, FrontRequestError } from '../../src/errors.ts';
import { RunSession } from '../../src/runs/session.ts';
import { runExitCode, runHead } from '../../src/shared/run-outcome.ts';
import { fakeContext, type FakeContext } from '../helpers/fake-context.ts';

const TOKEN = 'tok_SECRET_session_0123456789';
const ACME = { id: 'cmp_acme', name: 'Acme' };

const open: FakeContext[] = [];
afterEach(() => {
  for (const f of open.splice(0)) f.close();
});

async function context(): Promise<FakeContext> {
  const f = await fakeContext({ env: { FRONT_API_TOKEN: TOKEN, FRONT_API_URL: 'http://127.0.0.1:9' } });
  open.push(f);
  return f;
}

/** The runs table and the import lock as the next process would find them. */
async function stateOf(f: FakeContext) {
  const store = await f.ctx.openStore();
  try {
    return { runs: await store.lastRuns(5), lock: await store.lockHolder('import') };
  } finally {
    await store.close();
  }
}

describe('a run session', () => {
  it('records the run and how it failed, the error scrubbed of secrets, then releases the lock', async () => {
    const f = await context();
    const session = await RunSession.open(f.ctx, { command: 'sync', args: { since: null } });
    await session.lock();
    await session.begin({ subscriptions: f.ctx.config.subscriptions, record: true, whoami: async () => ACME });
    const failure = new FrontRequestError(`Front answered 500 for a request with ${TOKEN}`, 500);
    await session.end({ failure, exitCode: runExitCode(failure, 0), counts: { seen: 3 }, requests: { requests: 4 } });

    const { runs, lock } = await stateOf(f);
    expect(lock).toBeNull();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ command: 'sync', outcome: 'failed', exitCode: ExitCode.frontUnavailable });
    expect(runs[0]!.error).toMatch(/^front_request: Front answered 500 for a request with \[redacted\]$/);
    expect(JSON.stringify(runs)).not.toContain(TOKEN);
  });

  it('a /me that fails is a failed run like any other: recorded, then thrown', async () => {
    const f = await context();
    const session = await RunSession.open(f.ctx, { command: 'backfill', args: {} });
    await session.lock();
    const refused = new FrontRequestError('Front is unreachable', 503);
    await expect(session.begin({ subscriptions: f.ctx.config.subscriptions, record: true, whoami: async () => Promise.reject(refused) })).rejects.toBe(refused);
    await session.end({ failure: refused, exitCode: runExitCode(refused, 0), counts: {}, requests: {} });
    expect((await stateOf(f)).runs).toMatchObject([{ command: 'backfill', outcome: 'failed' }]);
  });

  it("refuses a state of another company before recording anything, and leaves it as it was", async () => {
    const f = await context();
    const first = await RunSession.open(f.ctx, { command: 'sync', args: {} });
    await first.begin({ subscriptions: f.ctx.config.subscriptions, record: false, whoami: async () => ACME });
    await first.end();

    const second = await RunSession.open(f.ctx, { command: 'sync', args: {} });
    await second.lock();
    const begun = second.begin({ subscriptions: f.ctx.config.subscriptions, record: true, whoami: async () => ({ id: 'cmp_other', name: 'Other' }) });
    await expect(begun).rejects.toBeInstanceOf(ConfigError);
    await expect(begun).rejects.toThrow(/belongs to Front company "Acme" \(cmp_acme/);
    await second.end({ failure: new Error('refused'), exitCode: 2, counts: {}, requests: {} });
    const { runs, lock } = await stateOf(f);
    expect(runs).toEqual([]);
    expect(lock).toBeNull();
  });

  it('a listener session (no run) takes no lock and records nothing', async () => {
    const f = await context();
    const session = await RunSession.open(f.ctx, { command: 'listen', args: {} });
    await session.begin({ subscriptions: f.ctx.config.subscriptions, record: false, whoami: async () => ACME });
    expect(session.targets).toEqual([]);
    expect(await session.openTargets(f.ctx.config.subscriptions)).toHaveLength(1);
    await session.end();
    expect(await stateOf(f)).toEqual({ runs: [], lock: null });
  });

  it('a dry run is an in-memory store with no destination: the state file is never created, /me never asked', async () => {
    const f = await context();
    const session = await RunSession.open(f.ctx, { command: 'backfill', args: {}, dryRun: true });
    await session.lock();
    await session.begin({ subscriptions: f.ctx.config.subscriptions, record: true, whoami: () => Promise.reject(new Error('no /me in a dry run')) });
    expect(await session.openTargets(f.ctx.config.subscriptions)).toEqual([]);
    await session.store.setMeta('written', true);
    await session.end({ failure: null, complete: true, exitCode: 0, counts: {}, requests: {} });
    expect(existsSync(join(f.dir, 'state.db'))).toBe(false);
  });
});

describe('the --json head of a run', () => {
  it('says how it ended, with the exit code of the one table and the error when it failed', () => {
    expect(runHead(null, true, 0)).toEqual({ outcome: 'success', exitCode: 0, error: null });
    expect(runHead(null, false, 0)).toMatchObject({ outcome: 'partial', exitCode: 0 });
    expect(runHead(null, true, 2)).toMatchObject({ outcome: 'success', exitCode: ExitCode.refused });
    expect(runHead(new FrontRequestError('down', 503), true, 2)).toEqual({
      outcome: 'failed',
      exitCode: ExitCode.frontUnavailable,
      error: { kind: 'front_request', message: 'down' },
    });
  });
});
