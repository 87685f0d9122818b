// The command line in-process (test/helpers/run-cli.ts): every command's --help, usage errors with
// exit 2 (commander says 1; our contract says 2), --version, and what no command at all does. The
// same through the spawned binary, and the README's agreement with the help, are in
// test/e2e/help-and-docs.test.ts and test/e2e/cli.test.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS } from '../../src/errors.ts';
import { runCli } from '../helpers/run-cli.ts';

const LEAVES = ['connect', 'backfill', 'sync', 'status', 'config', 'doctor', 'replay', 'retry-refused', 'state export', 'state import', 'sandbox', 'listen'];
/** The commands whose help ends with examples, environment variables and exit codes. */
const WITH_FOOTER = ['connect', 'backfill', 'sync', 'status', 'config', 'replay', 'retry-refused', 'sandbox', 'listen'];
const lines = (text: string) => text.trimEnd().split('\n');

describe('--help', () => {
  it.each(LEAVES)('%s --help: its usage and options on stdout, nothing on stderr, exit 0, the same as `help`', async (command) => {
    const args = command.split(' ');
    const r = await runCli([...args, '--help']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const name = command === 'doctor' || command === 'config' ? 'config|doctor' : command;
    expect(r.stdout).toMatch(new RegExp(`^Usage: front-import ${name.replace('|', '\\|')} \\[options\\]`));
    expect(r.stdout).toContain('Options:');
    // `help state export` would be state's help: commander's help command takes one name, after its parent.
    const viaHelp = await runCli([...args.slice(0, -1), 'help', args.at(-1)!]);
    expect(viaHelp).toMatchObject({ exitCode: 0, stdout: r.stdout });
  });

  it.each(WITH_FOOTER)('%s --help ends with examples of itself, environment variables and the exit codes of the one table', async (command) => {
    const r = await runCli([command, '--help']);
    for (const heading of ['Examples:', 'Environment:', 'Exit codes:']) expect(r.stdout).toContain(`\n${heading}\n`);
    const examples = r.stdout.slice(r.stdout.indexOf('Examples:'), r.stdout.indexOf('Environment:'));
    expect(examples).toContain(`front-import ${command}`);
    const codes = [...r.stdout.slice(r.stdout.indexOf('Exit codes:')).matchAll(/^\s+(\d+)\s+(.+)$/gm)];
    expect(codes.length).toBeGreaterThan(2);
    for (const [, code, meaning] of codes) expect(EXIT_CODE_MEANINGS[Number(code) as keyof typeof EXIT_CODE_MEANINGS]).toBe(meaning);
  });

  it('--json is offered by the commands that print one JSON document, and by no other', async () => {
    const offering = [];
    for (const command of LEAVES.filter((c) => c !== 'doctor')) if ((await runCli([...command.split(' '), '--help'])).stdout.includes('  --json ')) offering.push(command);
    expect(offering).toEqual(['connect', 'backfill', 'sync', 'status', 'config', 'replay', 'retry-refused', 'state export', 'state import']);
  });

  it('no arguments: the program help on stdout, exit 0; only global flags: that help on stderr, exit 2', async () => {
    const bare = await runCli([]);
    expect(bare).toMatchObject({ exitCode: 0, stderr: '' });
    expect(bare.stdout).toMatch(/^Usage: front-import \[options\] \[command\]/);
    for (const command of ['connect', 'backfill', 'sync', 'status', 'config|doctor', 'replay', 'retry-refused', 'state', 'sandbox', 'listen']) {
      expect(bare.stdout).toMatch(new RegExp(`^  ${command.replace('|', '\\|')}\\b`, 'm'));
    }
    expect(await runCli(['--help'])).toMatchObject({ exitCode: 0, stdout: bare.stdout });
    const flagsOnly = await runCli(['--quiet']);
    expect(flagsOnly).toMatchObject({ exitCode: 2, stdout: '' });
    expect(flagsOnly.stderr).toMatch(/^Usage: front-import /);
  });

  it('--version and -V: the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await runCli([flag])).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('usage errors: exit 2, nothing on stdout, the problem, a suggestion on its own line, where the usage is', () => {
  it.each([
    { args: ['bakfill'], expected: ["front-import: unknown command 'bakfill'", 'Did you mean backfill?', "Run 'front-import --help' for usage."] },
    { args: ['--frobnicate'], expected: ["front-import: unknown option '--frobnicate'", "Run 'front-import --help' for usage."] },
    { args: ['sync', '--sinse', '1d'], expected: ["front-import: unknown option '--sinse'", 'Did you mean --since?', "Run 'front-import sync --help' for usage."] },
    { args: ['replay', '--subscripton', 'x'], expected: ["front-import: unknown option '--subscripton'", 'Did you mean --subscription?', "Run 'front-import replay --help' for usage."] },
    { args: ['listen', '--json'], expected: ["front-import: unknown option '--json'", "Run 'front-import listen --help' for usage."] },
    { args: ['state', 'export'], expected: ["front-import: missing required argument 'file'", "Run 'front-import state export --help' for usage."] },
    { args: ['state', 'import', 'a', 'b'], expected: ["front-import: too many arguments for 'import'. Expected 1 argument but got 2.", "Run 'front-import state import --help' for usage."] },
    { args: ['state', 'expor'], expected: ["front-import: unknown command 'expor'", 'Did you mean export?', "Run 'front-import state --help' for usage."] },
    { args: ['status', '--max-pending', 'many'], expected: [/^front-import: option '--max-pending <n>' argument 'many' is invalid\. --max-pending: expected a whole number \(0 or more\)$/, "Run 'front-import status --help' for usage."] },
    { args: ['backfill', '--since', '7d', '--limit', '0'], expected: [/--limit: expected a positive whole number$/, "Run 'front-import backfill --help' for usage."] },
    { args: ['sync', '--strategy', 'evnts'], expected: [/argument 'evnts' is invalid\. expected one of auto, events, listing; got "evnts"$/, 'Did you mean events?', "Run 'front-import sync --help' for usage."] },
    { args: ['listen', '--port', '70000'], expected: [/expected a port number from 0 \(any free port\) to 65535$/, "Run 'front-import listen --help' for usage."] },
    { args: ['sandbox', '--messages-per-conversation', '2,x'], expected: [/--messages-per-conversation: expected a positive whole number$/, "Run 'front-import sandbox --help' for usage."] },
  ])('$args', async ({ args, expected }) => {
    const r = await runCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(expected.map((line) => (typeof line === 'string' ? line : expect.stringMatching(line))));
  });

  it('a bad flag value the command checks (not commander): exit 2, one line naming the flag, before any Front request', async () => {
    const r = await runCli(['backfill', '--since', 'yesterday'], { env: { FRONT_API_URL: 'http://127.0.0.1:9' } });
    expect(r.exitCode).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^front-import: --since: /)]);
  });

  it.each([
    { args: ['backfill', '--since', '1d'], command: 'backfill', exitCode: 3, kind: 'auth' },
    { args: ['sync'], command: 'sync', exitCode: 3, kind: 'auth' },
    { args: ['connect'], command: 'connect', exitCode: 3, kind: 'auth', ok: false },
    { args: ['replay'], command: 'replay', exitCode: 2, kind: 'config' },
    { args: ['state', 'import', 'missing.jsonl'], command: 'state import', exitCode: 2, kind: 'config' },
    { args: ['retry-refused'], command: 'retry-refused', exitCode: 2, kind: 'config' },
  ])('$command --json failing before its run: the one failure shape { command, outcome, exitCode, error } on stdout', async ({ args, ok, ...head }) => {
    // No token (an empty FRONT_API_TOKEN is refused), and no state for the commands that read one.
    const r = await runCli([...args, '--json'], { env: { FRONT_API_TOKEN: '', FRONT_API_URL: 'http://127.0.0.1:9' } });
    expect(r.exitCode).toBe(head.exitCode);
    const doc = r.json<Record<string, unknown>>();
    expect(doc).toEqual({ ...(ok === false ? { ok } : {}), command: head.command, outcome: 'failed', exitCode: head.exitCode, error: { kind: head.kind, message: expect.any(String) } });
    expect(lines(r.stderr)).toEqual([`front-import: ${(doc.error as { message: string }).message}`]);
  });

  it('a usage error with --json still prints no JSON: no command ran', async () => {
    const r = await runCli(['connect', '--json', '--frobnicate']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
  });
});
