// The launcher (bin/front-import) answers `--version`, and the program's help where the output is not
// a terminal, by itself (from package.json and the help the build rendered), so that wrappers, CI
// jobs and install checks pay what `node` costs: what the program would print, exit 0. Everything
// else, help at a terminal included, is the program. The process is the point: these spawn it.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'fi-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The binary with its output piped, as a wrapper or CI job runs it. */
function piped(args: string[], bin = BIN) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }, encoding: 'utf8' });
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('the launcher', () => {
  it('--help, -h, help and no arguments, piped: exactly the help the program prints, exit 0', async () => {
    const program = await runCli(['--help']);
    expect(program.exitCode).toBe(0);
    expect(program.stdout).toContain('Usage: front-import [options] [command]');
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const run = piped(args);
      expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }, args.join(' ')).toEqual({ code: 0, stdout: program.stdout, stderr: '' });
    }
  });

  it('--version and -V: the package version, exit 0', () => {
    for (const flag of ['--version', '-V']) {
      const run = piped([flag]);
      expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }, flag).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('a build without the rendered help: the program renders it, the same text', async () => {
    // A package with the launcher and the bundle's entry but no dist/bundle/help.txt.
    const pkg = join(dir, 'package');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'bundle'), { recursive: true });
    for (const file of ['front-import', 'package.json']) copyFileSync(join(ROOT, 'bin', file), join(pkg, 'bin', file));
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(ROOT, 'dist', 'bundle', 'main.cjs'), join(pkg, 'dist', 'bundle', 'main.cjs'));
    const run = piped(['--help'], join(pkg, 'bin', 'front-import'));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe((await runCli(['--help'])).stdout);
  });

  it.skipIf(!hasScript)("at a terminal (120 columns), the program renders the help to the terminal's width", () => {
    const run = spawnSync('script', ['-qec', `stty cols 120 && "${process.execPath}" "${BIN}" --help`, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.replace(/\r/g, '').split('\n');
    expect(lines).toContain('Usage: front-import [options] [command]');
    // At 80 columns --state's description wraps before "postgres://"; at 120 it goes on.
    const state = lines.find((line) => line.startsWith('  --state <url>'));
    expect(state).toContain('postgres://user@host/db (default: one SQLite file per');
  });
});
