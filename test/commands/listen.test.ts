// `listen` through the real command line, in-process: it binds, says where, serves until
// interrupted (the AbortSignal main aborts on SIGTERM), and stops with exit 0 saying what is left.
// Webhook handling itself is tested in test/listen and, through the binary, in test/e2e.

import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { cliWorkdir, type CliWorkdir } from '../helpers/run-cli.ts';

const open: Array<CliWorkdir | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('listen', () => {
  it('binds a free port, prints where, serves until interrupted, then stops with exit 0', async () => {
    const sandbox = await startSandbox({ conversations: 3, rateLimit: false });
    const work = cliWorkdir({ sandbox, clock: Date.now });
    open.push(sandbox, work);
    const stop = new AbortController();
    const running = work.start(['listen', '--port', '0', '--insecure-no-verify', '--to', 'highlights.ndjson'], { signal: stop.signal });
    // The first run transforms the listener's modules (lazily imported): allow for it.
    await expect.poll(running.stdout, { timeout: 10_000 }).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\/front\/webhook \(INSECURE/m);
    const url = /^listening on (\S+)/m.exec(running.stdout())![1]!;
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBeLessThan(500);

    stop.abort(new InterruptedError('SIGTERM'));
    const r = await running.done;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^listen: stopped; \d+ events? left in the queue for the next start$/m);
    expect(r.stderr).toContain('--insecure-no-verify: webhook requests are NOT authenticated');
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
