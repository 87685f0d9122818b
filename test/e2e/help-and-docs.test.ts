// Issue 12, help and conventions: every command's --help has examples, environment variables and
// exit codes; help goes to stdout; suggestions for typos sit on their own line; and the README says
// what the code does (exit codes, each command's flags). The command lines run in-process (the same
// program over in-memory streams, with its exit code); the binary answers the two whose exit is
// commander's own (help, and a usage error), where only the process shows the code.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { makeWorkdir, run, type RunResult } from '../helpers/cli.ts';
import { inProcess } from '../helpers/e2e.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const COMMANDS = ['connect', 'backfill', 'sync', 'status', 'config', 'sandbox', 'listen'];
const work = makeWorkdir();
afterAll(() => work.remove());
const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> => inProcess(args, work.dir, { ...work.env, ...env });
const binary = (args: string[]): Promise<RunResult> => run(args, { cwd: work.dir, env: work.env });

/** The long flags a command's --help lists, without --help itself. */
function flagsIn(help: string): string[] {
  const options = help.slice(help.indexOf('Options:'), help.indexOf('Examples:'));
  return [...options.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((f) => f !== '--help');
}

describe('help', () => {
  it.each(COMMANDS)('%s --help: options, examples, environment variables and exit codes, on stdout, exit 0', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const heading of ['Options:', 'Examples:', 'Environment:', 'Exit codes:']) expect(r.stdout).toContain(heading);
    const examples = r.stdout.slice(r.stdout.indexOf('Examples:'), r.stdout.indexOf('Environment:'));
    expect(examples).toMatch(new RegExp(`front-import ${command === 'config' ? '(config|doctor)' : command}`));
    // Every exit code a command's help lists is one of the table's, with the table's words.
    const codes = [...r.stdout.slice(r.stdout.indexOf('Exit codes:')).matchAll(/^\s+(\d+)\s+(.+)$/gm)];
    expect(codes.length).toBeGreaterThan(2);
    for (const [, code, meaning] of codes) expect(EXIT_CODE_MEANINGS[Number(code) as keyof typeof EXIT_CODE_MEANINGS]).toBe(meaning);
    // `help <command>` is the same text.
    const viaHelp = await cli(['help', command]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(r.stdout);
  });

  it('no arguments: the help on stdout, exit 0; only global flags: usage on stderr, exit 2', async () => {
    const bare = await binary([]);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toBe('');
    expect(bare.stdout).toMatch(/^Usage: front-import /);
    for (const command of COMMANDS) expect(bare.stdout).toContain(command);
    const flagsOnly = await binary(['--verbose']);
    expect(flagsOnly.code).toBe(2);
    expect(flagsOnly.stdout).toBe('');
    expect(flagsOnly.stderr).toMatch(/^Usage: front-import /);
  });

  it.each([
    { args: ['backfill', '--sinse', '7d'], error: "front-import: unknown option '--sinse'", hint: 'Did you mean --since?', usage: "Run 'front-import backfill --help' for usage." },
    { args: ['bakfill'], error: "front-import: unknown command 'bakfill'", hint: 'Did you mean backfill?', usage: "Run 'front-import --help' for usage." },
    { args: ['status', '--max-lagg', '1h'], error: "front-import: unknown option '--max-lagg'", hint: 'Did you mean --max-lag?', usage: "Run 'front-import status --help' for usage." },
    { args: ['sandbox', '--limiter', 'tokenbucket'], error: /argument 'tokenbucket' is invalid.*expected one of fixed, sliding-log, sliding-window, token-bucket/, hint: 'Did you mean token-bucket?', usage: "Run 'front-import sandbox --help' for usage." },
    { args: ['sandbox', '--plan', 'profesional'], error: /argument 'profesional' is invalid.*expected one of starter, professional, enterprise/, hint: 'Did you mean professional?', usage: "Run 'front-import sandbox --help' for usage." },
  ])('$args: exit 2, the error, the suggestion on its own line, where the usage is', async ({ args, error, hint, usage }) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(error);
    expect(lines[1]).toBe(hint);
    expect(lines[2]).toBe(usage);
  });

  it('--status archivd: exit 2, before any Front request, with the nearest status', async () => {
    const r = await cli(['backfill', '--since', '7d', '--status', 'archivd'], { FRONT_API_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['front-import: --status: expected one of open, archived, spam, trashed; got "archivd"', 'Did you mean archived?']);
  });

  it('backfill without --since: exit 2 naming the flag with an example', async () => {
    const r = await cli(['backfill']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since is required: how far back to import, e.g. --since 7d');
  });

  it('sandbox --port <busy>: exit 2 naming the port, as listen does', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const r = await cli(['sandbox', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`sandbox: cannot listen on 127.0.0.1:${port} (EADDRINUSE); choose another --port`);
    } finally {
      server.close();
    }
  });
});

describe('the README matches the code', () => {
  it('its exit-code table lists exactly the codes of the code table', () => {
    const table = README.slice(README.indexOf('### Exit codes'), README.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| (\d+)(?: \/ (\d+))? \|/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean).map(Number));
    expect(documented.sort((a, b) => a - b)).toEqual(Object.keys(EXIT_CODE_MEANINGS).map(Number));
  });

  it.each(COMMANDS)("the %s row of the commands table lists every flag its --help has, and no other", async (command) => {
    const row = README.split('\n').find((line) => line.startsWith(`| \`${command}`));
    expect(row, `README row for ${command}`).toBeDefined();
    const usage = row!.split('` |')[0]!;
    const documented = [...new Set([...usage.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!))].sort();
    const help = (await cli([command, '--help'])).stdout;
    expect(documented).toEqual([...new Set(flagsIn(help))].filter((f) => f !== '--json' || usage.includes('--json')).sort());
  });

  it('every front-import command line in its code blocks names a real command and real flags', async () => {
    const blocks = [...README.matchAll(/```(?:sh|crontab)\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const invocations = blocks.flatMap((b) => [...b.matchAll(/front-import ([a-z]+)([^#\n]*)/g)]);
    expect(invocations.length).toBeGreaterThan(8);
    const helps = new Map<string, string>();
    for (const [, command, rest] of invocations) {
      if (!helps.has(command!)) {
        const r = await cli([command!, '--help']);
        expect(r.code, `front-import ${command} --help`).toBe(0);
        helps.set(command!, r.stdout);
      }
      const known = [...flagsIn(helps.get(command!)!), '--config', '--db', '--quiet', '--verbose', '--no-color'];
      for (const flag of rest!.match(/--[a-z][a-z-]*/g) ?? []) expect(known, `front-import ${command}${rest}`).toContain(flag);
    }
  });
});

describe('the sandbox control API', () => {
  it('refuses an unknown key with the nearest known one, so a typo never silently does nothing', async () => {
    const sandbox = await startSandbox({});
    try {
      const call = (method: string, body: unknown) => fetch(`${sandbox.url}/__sandbox/${method}`, { method: 'POST', body: JSON.stringify(body) });
      const typo = await call('setFaults', [{ erorRate: 0.5 }]);
      expect(typo.status).toBe(400);
      expect(((await typo.json()) as { error: string }).error).toMatch(/setFaults: unknown key "erorRate" .*Did you mean errorRate\?/);
      expect((await call('failNext', [{ count: 1, stauts: 500 }])).status).toBe(400);
      expect((await call('throttleNext', [{ count: 1, retryAfter: 2 }])).status).toBe(400);
      expect((await call('setFaults', [{ errorRate: 0.5 }])).status).toBe(200);
      expect((await call('noSuchMethod', [])).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });
});
