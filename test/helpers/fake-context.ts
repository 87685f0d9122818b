// fakeContext(): a command context for in-process tests of one command's run(opts, ctx), built the
// way the binary builds one (the real config loading, IO object and factories) but over in-memory
// streams, a temp HOME and state file, a fixed clock, and Front pointed at an in-process sandbox.
// To run a whole command line (flags, help, usage errors, exit codes) use run-cli.ts instead.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContext, type CommandContext, type GlobalFlags } from '../../src/context/index.ts';
import { IOStreams } from '../../src/terminal/io.ts';
import type { ConfigOverrides } from '../../src/config/types.ts';
import { fixedClock, memoryStream, workEnv, type FakeClock, type WorkEnvOptions } from './in-process.ts';

export interface FakeContextOptions extends WorkEnvOptions {
  flags?: GlobalFlags;
  overrides?: ConfigOverrides;
  /** Which streams claim to be terminals (default neither, as under cron). */
  tty?: { stdout?: boolean; stderr?: boolean };
  clock?: FakeClock;
  /** Reuse a work dir (same HOME and state file) from an earlier context. */
  dir?: string;
}

export interface FakeContext {
  ctx: CommandContext;
  clock: FakeClock;
  /** The temp dir holding HOME and the state file; removed by close() unless it was given. */
  dir: string;
  stdout(): string;
  stderr(): string;
  /** stdout parsed as the one JSON document of a --json run. */
  json<T = unknown>(): T;
  abort(reason?: unknown): void;
  close(): void;
}

export async function fakeContext(opts: FakeContextOptions = {}): Promise<FakeContext> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'fi-ctx-'));
  const env = workEnv(dir, opts);
  const out = memoryStream(Boolean(opts.tty?.stdout));
  const err = memoryStream(Boolean(opts.tty?.stderr));
  const flags = opts.flags ?? {};
  const io = new IOStreams({ stdout: out.stream, stderr: err.stream, env, quiet: flags.quiet, verbose: flags.verbose, json: flags.json, color: flags.color });
  const clock = opts.clock ?? fixedClock();
  const controller = new AbortController();
  const remove = () => {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  };
  let ctx: Awaited<ReturnType<typeof loadContext>>;
  try {
    ctx = await loadContext(flags, { env, cwd: dir, clock }, io, controller.signal, opts.overrides);
  } catch (err) {
    // A test of a context that cannot be built gets no FakeContext to close.
    remove();
    throw err;
  }
  return {
    ctx,
    clock,
    dir,
    stdout: out.text,
    stderr: err.text,
    json: () => JSON.parse(out.text()),
    abort: (reason) => controller.abort(reason),
    close: remove,
  };
}
