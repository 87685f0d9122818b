// The command line: --version/--help and usage errors through the real binary (commander's own
// exits, which only the process shows), config errors (exit 2, one line naming the file and the
// key) in-process, and the sandbox command.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { lines, makeWorkdir, run, start, type Started, testWorkdir } from '../helpers/cli.ts';
import { inProcess } from '../helpers/e2e.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';

let server: Started | null = null;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = null;
});

describe('command line', () => {
  const work = makeWorkdir();
  afterAll(() => work.remove());
  const cli = (args: string[]) => run(args, { cwd: work.dir, env: work.env });

  it('--version prints the package version and --help lists the commands; both exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['connect', 'backfill', 'sync', 'status', 'sandbox', 'listen']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['backfill', '--since', '7d', '--frobnicate'], /unknown option '--frobnicate'/],
    [['backfill', '--since', '7d', '--limit', 'ten'], /--limit: expected a positive whole number/],
  ])('%j exits 2 with one line naming the problem, then where the usage is', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const printed = lines(r.stderr);
    expect(printed[0]).toMatch(message);
    expect(printed.at(-1)).toMatch(/^Run 'front-import( backfill)? --help' for usage\.$/);
    expect(printed.length).toBeLessThanOrEqual(3);
  });
});

describe('config errors exit 2 naming the file and the key', () => {
  it.each([
    ['front:\n  plan: pro\n', /front\.plan: expected one of starter, professional, enterprise; got "pro"/],
    ['front:\n  retrys: 3\n', /front: unknown key "retrys" \(did you mean "retries"\?\)/],
    ['front:\n  retries: many\n', /front\.retries: expected a number/],
    ['destination:\n  type: http\n  url: ftp://example.com/x\n', /destination\.url: expected an http\(s\) URL/],
  ])('%j', async (yaml, message) => {
    const work = testWorkdir({ FRONT_API_TOKEN: 'not-used-before-the-config-is-valid' });
    const path = work.config(yaml);
    for (const args of [['connect', '--check'], ['backfill', '--since', '1d']]) {
      const r = await inProcess(args, work.dir, work.env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toEqual([expect.stringContaining(`${path}: `)]);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('the sandbox command', () => {
  it('serves on a free port, prints a URL and token that `connect --check` accepts, and stops on SIGTERM', async () => {
    const work = testWorkdir();
    server = start(['sandbox', '--port', '0', '--seed', '7', '--conversations', '10'], { cwd: work.dir, env: work.env });
    const announced = server;
    await expect.poll(() => announced.output().stdout, { timeout: 5_000 }).toMatch(/^Control API/m);
    const said = announced.output().stdout;
    const url = /^ {2}export FRONT_API_URL=(\S+)$/m.exec(said)![1]!;
    const token = /^ {2}export FRONT_API_TOKEN=(\S+)$/m.exec(said)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const check = await inProcess(['connect', '--check'], work.dir, { ...work.env, FRONT_API_URL: url, FRONT_API_TOKEN: token });
    expect(check.code).toBe(0);
    expect(lines(check.stdout)).toEqual([expect.stringMatching(/^ok: token works for /)]);
    expect(check.stdout).toContain(` at ${url}\n`);

    announced.child.kill('SIGTERM');
    const ended = await announced.done;
    expect(ended.signal).toBeNull();
    expect(ended.code).toBe(0);
    await expect(fetch(`${url}/me`)).rejects.toThrow();
  });

  it('--demo (npm run demo) exits 0 writing into a fresh temporary folder it names, nothing in the current directory: one valid Highlight per line', async () => {
    const work = testWorkdir();
    const r = await inProcess(['sandbox', '--demo'], work.dir, work.env);
    expect(r.code).toBe(0);
    const folder = /^demo: writing into (\S+) \(a new folder each run\)$/m.exec(r.stdout)?.[1];
    expect(folder, r.stdout).toBeDefined();
    onTestFinished(() => rmSync(folder!, { recursive: true, force: true }));
    expect(r.stdout).toContain(`Highlights are in ${join(folder!, 'highlights.ndjson')}`);
    expect(existsSync(join(work.dir, 'highlights.ndjson'))).toBe(false);
    // Piped, the demo's backfill prints plain progress lines, and nothing else, on stderr.
    for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^backfill: (reading message events|listing conversations|finishing kept messages|delivering) · /);
    const written = readFileSync(join(folder!, 'highlights.ndjson'), 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    const highlights = written.slice(0, -1).split('\n').map((line) => JSON.parse(line) as { id: string });
    // The sandbox's default workspace: 200 conversations, all active within its 7 days, less the
    // spam and trashed ones the default scope leaves out.
    expect(highlights.length).toBeGreaterThan(150);
    expect(highlights.length).toBeLessThan(200);
    expect(new Set(highlights.map((h) => h.id)).size).toBe(highlights.length);
    expect(highlights.filter((h) => ['spam', 'trashed'].includes((h as { status?: string }).status ?? ''))).toEqual([]);
    expect(highlights.flatMap((h) => highlightErrors(h).map((e) => `${h.id}: ${e}`))).toEqual([]);
  });
});
