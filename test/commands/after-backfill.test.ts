// The commands that work on a stored state, through the real command line in-process, after one
// backfill: replay, retry-refused, state export and import, config (doctor). Their exit codes and
// --json documents; what each does in depth is tested in test/e2e, test/state and test/reliability.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { importable } from '../helpers/e2e.ts';
import { fixedClock } from '../helpers/in-process.ts';
import { cliWorkdir, type CliWorkdir } from '../helpers/run-cli.ts';

let sandbox: SandboxHandle;
let work: CliWorkdir;
let imported: number;
beforeAll(async () => {
  const clock = fixedClock();
  sandbox = await startSandbox({ conversations: 10, seed: 3, now: clock, rateLimit: false });
  work = cliWorkdir({ sandbox, clock, config: 'destination:\n  type: ndjson\n  path: highlights.ndjson\n' });
  expect((await work.run(['backfill', '--since', '8d'])).exitCode).toBe(0);
  imported = importable(sandbox.control.truth().conversations).length;
});
afterAll(async () => {
  work.close();
  await sandbox.close();
});

describe('after a backfill, in-process', () => {
  it('replay --to another file: every stored Highlight again, no Front request, exit 0', async () => {
    sandbox.control.clearRequestLog();
    const r = await work.run(['replay', '--to', 'again.ndjson', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.json()).toMatchObject({ command: 'replay', outcome: 'success', exitCode: 0, queued: imported, delivered: imported, refused: 0, frontRequests: 0 });
    expect(readFileSync(join(work.dir, 'again.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(imported);
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('retry-refused with nothing refused: nothing sent, exit 0; its summary line without --json', async () => {
    const r = await work.run(['retry-refused']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(/^retry-refused: 0 refused Highlight\(s\) sent again; 0 delivered to .*highlights\.ndjson; 0 Front requests\n$/);
  });

  it('state export FILE (relative to the working directory), then state import into an empty state: the same rows', async () => {
    const exported = await work.run(['state', 'export', 'dump.jsonl', '--json']);
    expect(exported.exitCode).toBe(0);
    expect(exported.json()).toMatchObject({ command: 'state export', to: join(work.dir, 'dump.jsonl'), tables: { conversations: imported } });
    const imported_ = await work.run(['state', 'import', 'dump.jsonl', '--json', '--db', 'copy.db']);
    expect(imported_.exitCode).toBe(0);
    expect(imported_.json()).toMatchObject({ command: 'state import', rows: exported.json<{ rows: number }>().rows, to: join(work.dir, 'copy.db') });
    // Into a state that is not empty: refused, exit 2.
    expect((await work.run(['state', 'import', 'dump.jsonl', '--db', 'copy.db'])).exitCode).toBe(2);
  });

  it('config --offline --json (and doctor): the settings with where each comes from, the checks, exit 0', async () => {
    for (const command of ['config', 'doctor']) {
      const r = await work.run([command, '--offline', '--json']);
      expect(r.exitCode).toBe(0);
      const report = r.json<{ settings: unknown[] }>();
      expect(report).toMatchObject({ configFile: join(work.dir, '.frontsyncrc'), ok: true });
      expect(report.settings).toContainEqual(expect.objectContaining({ key: 'destination.path', origin: expect.stringContaining('.frontsyncrc') }));
      expect(JSON.stringify(report)).not.toContain(sandbox.tokens.full);
    }
  });
});
