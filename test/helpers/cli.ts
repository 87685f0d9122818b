// Runs the real binary (bin/front-import -> dist/) the way a user or cron would, in a temp HOME and
// cwd, and captures everything it prints.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { othersMayEnter } from './reachable.mjs';

export const BIN = fileURLToPath(new URL('../../bin/front-import', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let linkedClone: string | null = null;

/**
 * The binary where another user can run it: BIN itself, unless the clone sits in a folder closed to
 * others (as root in `mktemp -d`); then the parts a run needs (bin, dist, node_modules,
 * package.json) hard-linked (copied across file systems) once per process into a folder under the
 * temp dir anyone may enter, removed at exit.
 */
function binaryFor(user: SpawnLimits['user']): string {
  if (!user || othersMayEnter(BIN)) return BIN;
  if (linkedClone === null) {
    // Under the run's folder for copies when vitest made one (test/setup/shared-copies.ts), which it removes.
    const copy = mkdtempSync(join(process.env.FRONT_IMPORT_TEST_COPIES ?? tmpdir(), 'front-import-bin-'));
    chmodSync(copy, 0o755);
    process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
    const parts = ['bin', 'dist', 'node_modules', 'package.json'].map((part) => join(ROOT, part));
    try {
      execFileSync('cp', ['-al', ...parts, copy]);
    } catch {
      execFileSync('cp', ['-a', ...parts, copy]);
    }
    linkedClone = copy;
  }
  return join(linkedClone, 'bin', 'front-import');
}

/** A child's environment; an `undefined` value leaves the variable unset. */
export type Env = Record<string, string | undefined>;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Workdir {
  dir: string;
  home: string;
  db: string;
  env: Record<string, string>;
  /** Writes a config file (YAML or JSON text) at dir/.frontsyncrc and returns its path. */
  config(text: string, name?: string): string;
  /** Removes the dir and everything in it. */
  remove(): void;
}

export function makeWorkdir(env: Record<string, string> = {}): Workdir {
  const dir = mkdtempSync(join(tmpdir(), 'fi-e2e-'));
  const home = join(dir, 'home');
  const db = join(dir, 'state', 'state.db');
  return {
    dir,
    home,
    db,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      FRONT_IMPORT_DB: db,
      NO_COLOR: '1',
      ...env,
    },
    config(text, name = '.frontsyncrc') {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove() {
      // A child that outlived its test may still be writing here: what it leaves is a stray temp
      // dir, never a failure of the test that is over.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {}
    },
  };
}

/** A work dir for the running test, removed when it ends (a dir made outside a test is removed by its maker). */
export function testWorkdir(env: Record<string, string> = {}): Workdir {
  const work = makeWorkdir(env);
  onTestFinished(() => work.remove());
  return work;
}

/** How the child is confined, for tests of file-system failures. */
export interface SpawnLimits {
  /** RLIMIT_FSIZE: a write past this many bytes fails with EFBIG, as it would on a full disk. */
  maxFileBytes?: number;
  /** Run as this user: file modes do not stop root, so permission tests drop to an unprivileged one. */
  user?: { uid: number; gid: number };
}

export interface Started {
  child: ChildProcess;
  done: Promise<RunResult>;
  /** What the child printed so far, for servers that announce themselves and keep running. */
  output(): { stdout: string; stderr: string };
}

export function start(args: string[], opts: { cwd: string; env: Env; stdin?: string } & SpawnLimits): Started {
  const t0 = Date.now();
  const argv = [process.execPath, binaryFor(opts.user), ...args];
  // The shell ignores SIGXFSZ before exec, so an oversized write fails with EFBIG instead of killing the child.
  const [command, ...rest] =
    opts.maxFileBytes === undefined ? argv : ['/bin/sh', '-c', `ulimit -f ${Math.ceil(opts.maxFileBytes / 512)} || exit 125; trap '' XFSZ; exec "$@"`, 'sh', ...argv];
  const child = spawn(command!, rest, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], uid: opts.user?.uid, gid: opts.user?.gid });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(opts.stdin ?? '');
  const done = new Promise<RunResult>((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

/** The lines a stream printed (every line ends in a newline; none printed = no lines). */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

export function run(args: string[], opts: { cwd: string; env: Env; stdin?: string } & SpawnLimits): Promise<RunResult> {
  return start(args, opts).done;
}
