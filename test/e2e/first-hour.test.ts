// Issue 12, "the first hour of a real user", through the real binary: no silent zeros, errors that
// say where to look, and checks that run before the first Front request.

import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, testWorkdir } from '../helpers/cli.ts';
import { closeAfterEach, importable, inProcess, scenario, statusOf, type Scenario } from '../helpers/e2e.ts';

const keep = closeAfterEach();
const SINCE = '8d';
/** File modes do not stop root: permission cases run as nobody. */
const unprivileged = process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {};

const frontRequests = (s: Scenario) => s.sandbox.control.requestLog().map((e) => e.path);
const stderrLines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('unknown inbox and tag names stop the run before anything is fetched (exit 2, nearest names)', () => {
  it.each([
    { args: ['--inbox', 'Biling'], problem: 'no inbox named "Biling"', hint: 'Did you mean Billing?', requests: ['/inboxes'] },
    { args: ['--inbox', 'billing', '--tag', 'bgu'], problem: 'no tag named "bgu"', hint: 'Did you mean bug?', requests: ['/inboxes', '/tags'] },
    { args: ['--tag', 'feture-request'], problem: 'no tag named "feture-request"', hint: 'Did you mean feature-request?', requests: ['/tags'] },
  ])('$args', async ({ args, problem, hint, requests }) => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 1201 } }));
    const r = await s.cli(['backfill', '--since', SINCE, ...args]);
    expect(r.code).toBe(2);
    const lines = stderrLines(r.stderr);
    expect(lines[0]).toContain(problem);
    expect(lines).toContain(hint);
    expect(frontRequests(s).sort()).toEqual(requests);
    expect(s.receiver.requests).toBe(0);
  });

  it('two unknown names are both listed, each with its suggestion', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 1202 } }));
    const r = await s.cli(['backfill', '--since', SINCE, '--inbox', 'Suport', '--tag', 'refnd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 names are unknown to Front:');
    expect(r.stderr).toMatch(/no inbox named "Suport".*did you mean Support\?/);
    expect(r.stderr).toMatch(/no tag named "refnd".*did you mean refund\?/);
  });

  it('a routing rule naming an unknown tag is refused with the rule it is in', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 1203 }, config: 'routing:\n  labels:\n    - when: { tag: vipp }\n      label: priority\n' }));
    const r = await s.cli(['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('routing.labels[0].when.tag: no tag named "vipp"');
    expect(r.stderr).toContain('Did you mean vip?');
  });

  it('"urgent" and "URGENT" find the tag "urgent 🔥": case and emoji do not matter, and what is imported carries it', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 80, seed: 1204 } }));
    const tagged = s.sandbox.control.truth().conversations.filter((c) => c.tags?.some((t) => t.name === 'urgent 🔥'));
    expect(tagged.length).toBeGreaterThan(0);
    const r = await s.cli(['backfill', '--since', SINCE, '--tag', 'URGENT']);
    expect(r.code, r.stderr).toBe(0);
    const delivered = s.receiver.accepted();
    expect(delivered.length).toBe(tagged.length);
    for (const batch of s.receiver.batches) for (const h of batch.highlights) expect(h.tags).toContain('urgent 🔥');
  });
});

describe('sync --since once a cursor exists', () => {
  it('is refused naming the cursor and the command that does it (backfill --since), with no Front request', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 1205 } }));
    expect((await s.cli(['sync', '--since', '7d'])).code).toBe(0);
    s.sandbox.control.clearRequestLog();
    const r = await s.cli(['sync', '--since', '7d']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sync --since 7d: refused, because a sync cursor exists \(\d{4}-\d\d-\d\dT.*\)/);
    expect(r.stderr).toContain('front-import backfill --since 7d');
    expect(frontRequests(s)).toEqual([]);
    expect((await s.cli(['sync'])).code).toBe(0);
  });
});

describe('the destination is checked before the first Front request', () => {
  it.each([
    {
      name: 'a folder',
      to: (dir: string) => {
        mkdirSync(join(dir, 'out'));
        return join(dir, 'out');
      }, message: /is a folder: name a file inside it, e\.g\. --to .*out\/highlights\.ndjson/ },
    { name: '/dev/null', to: () => '/dev/null', message: /\/dev\/null discards everything: use --dry-run/ },
    { name: 'a missing folder', to: (dir: string) => join(dir, 'missing', 'h.ndjson'), message: /is in a folder that does not exist .*mkdir -p .*missing/ },
    {
      name: 'a path under a file',
      to: (dir: string) => {
        writeFileSync(join(dir, 'file'), '');
        return join(dir, 'file', 'h.ndjson');
      }, message: /part of its path is a file, not a folder/ },
  ])('$name: exit 2 with the fix, nothing fetched, nothing created', async ({ to, message }) => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 1206 } }));
    const target = to(s.work.dir);
    const r = await s.cli(['backfill', '--since', SINCE, '--to', target]);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([expect.stringMatching(message)]);
    expect(frontRequests(s)).toEqual([]);
    expect(existsSync(join(s.work.dir, 'missing'))).toBe(false);
  });

  it('a file that cannot be written (run as an unprivileged user): exit 2, not exit 6 after fetching', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 1207 } }));
    chmodSync(s.work.dir, 0o777);
    const locked = join(s.work.dir, 'locked.ndjson');
    writeFileSync(locked, '');
    chmodSync(locked, 0o444);
    const db = join(s.work.dir, 'nobody-state', 'state.db');
    mkdirSync(join(s.work.dir, 'nobody-state'), { mode: 0o777 });
    chmodSync(join(s.work.dir, 'nobody-state'), 0o777);
    const r = await s.binary(['backfill', '--since', SINCE, '--to', locked], { FRONT_IMPORT_DB: db, HOME: s.work.dir }, unprivileged);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`destination ${locked} is not writable (permission denied)`);
    expect(frontRequests(s)).toEqual([]);
  });

  it('an HTTP destination without a token: a warning naming the variable, and the run goes on', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 1208 } }));
    const r = await s.cli(['backfill', '--since', SINCE], { FRONT_IMPORT_DEST_TOKEN: undefined });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: destination http:\/\/127\.0\.0\.1:\d+ has no token: .*FRONT_IMPORT_DEST_TOKEN/);
    expect(s.receiver.accepted().length).toBeGreaterThan(0);
  });

  it('a destination failing while running still exits 6 with the items pending', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 1209 }, destination: { retries: 1 } }));
    await s.receiver.down();
    const r = await s.cli(['backfill', '--since', SINCE]);
    expect(r.code).toBe(6);
    expect((await statusOf(s)).totals!.pending).toBe(10);
  });
});

describe('the default destination does not depend on the current directory', () => {
  it('a cron-like run (env -i, cwd elsewhere) writes highlights.ndjson beside the state file, and says so', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 6, seed: 1210 } }));
    const work = testWorkdir();
    const cronDir = join(work.dir, 'cron-cwd');
    mkdirSync(cronDir);
    const env = { PATH: process.env.PATH ?? '', HOME: work.home, FRONT_API_URL: s.sandbox.url, FRONT_API_TOKEN: s.sandbox.tokens.full, FRONT_IMPORT_RATE_WINDOW_MS: '1000' };
    const r = await run(['sync', '--since', SINCE], { cwd: cronDir, env });
    expect(r.code, r.stderr).toBe(0);
    // The state file for a non-default Front URL has a folder of its own; the file sits beside it.
    const status = JSON.parse((await run(['status', '--json'], { cwd: cronDir, env })).stdout);
    const expected = join(dirname(status.store), 'highlights.ndjson');
    expect(expected.startsWith(join(work.home, '.local', 'state', 'front-import'))).toBe(true);
    expect(readdirSync(cronDir)).toEqual([]);
    expect(readFileSync(expected, 'utf8').trim().split('\n')).toHaveLength(importable(s.sandbox.control.truth().conversations).length);
    expect(r.stdout).toContain(`(default destination ${expected}; set --to or destination in config)`);
  });
});

describe('network errors name the host and what to check', () => {
  it('a name that does not resolve fails in one try, naming the host and FRONT_API_URL', async () => {
    const work = testWorkdir({ FRONT_API_TOKEN: 'tok_for_a_host_that_is_not_there', FRONT_API_URL: 'http://front-import-test.invalid' });
    const r = await inProcess(['connect'], work.dir, work.env);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot reach Front: front-import-test\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\); check FRONT_API_URL/);
  });

  it('a refused connection is retried, then named with its host:port and FRONT_API_URL', async () => {
    const port = await closedPort();
    const work = testWorkdir({ FRONT_API_TOKEN: 'tok_for_a_closed_port', FRONT_API_URL: `http://127.0.0.1:${port}` });
    work.config('front:\n  retries: 2\n  retryBaseMs: 10\n');
    const r = await inProcess(['connect', '--check'], work.dir, work.env);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`Front unavailable at 127.0.0.1:${port}: GET /me failed 3 times (last: ECONNREFUSED); check FRONT_API_URL`);
  });
});

describe('progress people can trust, piped', () => {
  it('a long run prints plain progress lines on stderr (phase, pages, message events); --quiet prints none', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 200, seed: 1211 } }));
    const r = await s.cli(['backfill', '--since', SINCE]);
    expect(r.code).toBe(0);
    const progress = stderrLines(r.stderr).filter((l) => l.startsWith('backfill: '));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/^backfill: reading message events · \d+ pages, \d+ message events · \d+ requests \(\d+\/min\)/);
    expect(r.stdout).toMatch(/^backfill: 200 conversations seen/);
    const quiet = await s.reference(['backfill', '--since', SINCE, '--quiet']);
    expect(quiet.result.code).toBe(0);
    expect(quiet.result.stdout + quiet.result.stderr).toBe('');
  });
});

describe('ISO dates without a zone are local time', () => {
  it.each(['Asia/Tokyo', 'America/New_York'])('TZ=%s: --since 2026-01-31T09:30 is 09:30 there', async (tz) => {
    // The process's time zone comes from its environment: the binary.
    const s = keep(await scenario({ sandbox: { conversations: 3, seed: 1212 } }));
    const r = await s.binary(['backfill', '--since', '2026-01-31T09:30', '--until', '2026-02-01', '--dry-run', '--json'], { TZ: tz });
    expect(r.code, r.stderr).toBe(0);
    const offsetHours = tz === 'Asia/Tokyo' ? 9 : -5;
    expect(JSON.parse(r.stdout).window).toEqual({
      since: new Date(Date.UTC(2026, 0, 31, 9 - offsetHours, 30)).toISOString(),
      until: new Date(Date.UTC(2026, 1, 1, -offsetHours)).toISOString(),
    });
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
