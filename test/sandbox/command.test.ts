// `front-import sandbox` through the real command line, in-process: what it prints, that it serves
// until interrupted, and its flags' usage errors.

import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.ts';
import { cliWorkdir, runCli, type CliWorkdir } from '../helpers/run-cli.ts';

let work: CliWorkdir | null = null;
afterEach(() => {
  work?.close();
  work = null;
});

describe('front-import sandbox', () => {
  it('prints the URL, the four labelled tokens and export lines, serves until interrupted, exit 0', async () => {
    work = cliWorkdir({ clock: Date.now });
    const abort = new AbortController();
    const running = work.start(['sandbox', '--seed', 'cli', '--conversations', '10', '--plan', 'starter'], { signal: abort.signal });
    // The first run transforms the sandbox's modules (lazily imported): allow for it.
    await expect.poll(running.stdout, { timeout: 10_000 }).toMatch(/^Control API/m);

    const said = running.stdout();
    const url = /export FRONT_API_URL=(\S+)/.exec(said)![1]!;
    const token = /export FRONT_API_TOKEN=(\S+)/.exec(said)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const label of ['full', 'noPrivate', 'noEvents', 'revoked']) expect(said).toMatch(new RegExp(`^\\s+${label}\\s+sbx_\\S+`, 'm'));
    expect(said).toContain('50 requests per 60s');
    const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);

    abort.abort(new InterruptedError('SIGTERM'));
    expect(await running.done).toMatchObject({ exitCode: 0, stderr: '' });
    await expect(fetch(`${url}/me`)).rejects.toThrow();
  });

  it.each([
    [['--conversations', '0'], /--conversations: expected a positive whole number/],
    [['--days', '0'], /--days: expected a positive whole number/],
    [['--error-rate', '3'], /errorRate|error rate|--error-rate/],
  ])('%j: exit 2 before listening, naming the flag', async (flags, message) => {
    const r = await runCli(['sandbox', ...flags]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('reads no config: a broken .frontsyncrc does not stop it', async () => {
    work = cliWorkdir({ clock: Date.now, config: 'front:\n  plan: pro\n' });
    const abort = new AbortController();
    const running = work.start(['sandbox', '--conversations', '5'], { signal: abort.signal });
    // The first run transforms the sandbox's modules (lazily imported): allow for it.
    await expect.poll(running.stdout, { timeout: 10_000 }).toMatch(/^Control API/m);
    abort.abort(new InterruptedError('SIGINT'));
    expect((await running.done).exitCode).toBe(0);
  });
});
