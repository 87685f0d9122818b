// runCli(): the real command line (src/cli/run-cli.ts: the commander program with every flag, help,
// usage errors, the context built once, the command, the exit code) run in-process, as gh's tests
// run its commands: in-memory stdout and stderr, a work dir holding HOME and the state file,
// env-based config, a fixed clock, Front pointed at an in-process sandbox, and an AbortSignal
// standing in for SIGINT/SIGTERM. Nothing is spawned: spawn the binary (cli.ts) only where the
// process boundary is the point (signals, cron's environment, kill -9).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as runCommandLine } from '../../src/cli/run-cli.ts';
import { fixedClock, memoryStream, workEnv, type WorkEnvOptions } from './in-process.ts';

export interface CliRunOptions {
  /** More environment for this run; an `undefined` value unsets one of the work dir's. */
  env?: Record<string, string | undefined>;
  /** Aborting it is what SIGINT/SIGTERM do to the binary (abort with an InterruptedError, as main does). */
  signal?: AbortSignal;
  /** Which streams claim to be terminals (default neither, as under cron). */
  tty?: { stdout?: boolean; stderr?: boolean };
  /** Default: the work dir. */
  cwd?: string;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of a --json run. */
  json<T = unknown>(): T;
}

export interface CliRunning {
  done: Promise<CliResult>;
  /** What was printed so far, for commands that announce themselves and keep running. */
  stdout(): string;
  stderr(): string;
}

export interface CliWorkdirOptions extends WorkEnvOptions {
  /** Epoch ms for the commands' context; default a fixed clock at FIXED_NOW. */
  clock?: () => number;
  /** Reuse this dir (it is not removed by close()). */
  dir?: string;
}

export interface CliWorkdir {
  /** HOME (dir/home), the state file (dir/state.db) and the working directory. */
  dir: string;
  env: Record<string, string>;
  /** Runs `front-import ...args` to its exit code. */
  run(args: string[], opts?: CliRunOptions): Promise<CliResult>;
  /** Starts it, for commands that run until aborted (sandbox, listen). */
  start(args: string[], opts?: CliRunOptions): CliRunning;
  close(): void;
}

export function cliWorkdir(opts: CliWorkdirOptions = {}): CliWorkdir {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'fi-cli-'));
  const env = workEnv(dir, opts);
  const clock = opts.clock ?? fixedClock();
  const start = (args: string[], run: CliRunOptions = {}): CliRunning => startCli(args, { ...run, env: { ...env, ...run.env }, cwd: run.cwd ?? dir, clock });
  return {
    dir,
    env,
    run: (args, run) => start(args, run).done,
    start,
    close: () => {
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `front-import ...args` in-process with exactly this environment (an `undefined` value is
 * left unset) and working directory; `clock` defaults to the real one, as the binary's.
 */
export function startCli(args: string[], run: CliRunOptions & { env: Record<string, string | undefined>; cwd: string; clock?: () => number }): CliRunning {
  const out = memoryStream(Boolean(run.tty?.stdout));
  const err = memoryStream(Boolean(run.tty?.stderr));
  const runEnv: Record<string, string | undefined> = { ...run.env };
  for (const [key, value] of Object.entries(runEnv)) if (value === undefined) delete runEnv[key];
  const done = runCommandLine(args, {
    env: runEnv,
    cwd: run.cwd,
    clock: run.clock,
    stdout: out.stream,
    stderr: err.stream,
    signal: run.signal ?? new AbortController().signal,
  }).then((exitCode) => ({ exitCode, stdout: out.text(), stderr: err.text(), json: () => JSON.parse(out.text()) }));
  return { done, stdout: out.text, stderr: err.text };
}

/** One command line in a fresh work dir, removed afterwards. */
export async function runCli(args: string[], opts: CliWorkdirOptions & CliRunOptions = {}): Promise<CliResult> {
  const work = cliWorkdir(opts);
  try {
    return await work.run(args, opts);
  } finally {
    work.close();
  }
}
