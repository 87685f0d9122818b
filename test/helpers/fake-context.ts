// fakeContext(): a command context for in-process command tests, built the way the binary builds
// one (the real config loading, IO object and factories) but over in-memory streams, a temp HOME
// and state file, a fixed clock, and Front pointed at an in-process sandbox. Tests call
// runStatus/runConnect/... with it and read what the command printed, without spawning anything.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadContext, type CommandContext, type GlobalFlags } from '../../src/context/index.ts';
import { IOStreams } from '../../src/terminal/io.ts';
import type { ConfigOverrides } from '../../src/config/types.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';

/** The instant every fake context starts at (and sandboxes built for one should share). */
export const FIXED_NOW = Date.parse('2026-06-01T12:00:00Z');

export interface FakeClock {
  (): number;
  advance(ms: number): void;
}

export function fixedClock(start = FIXED_NOW): FakeClock {
  let now = start;
  return Object.assign(() => now, { advance: (ms: number) => void (now += ms) });
}

export interface FakeContextOptions {
  /** Front is this sandbox (its full token unless FRONT_API_TOKEN is given in env). */
  sandbox?: SandboxHandle;
  /** YAML written to .frontsyncrc in the work dir (the context's cwd). */
  config?: string;
  /** Extra environment; an `undefined` value unsets a default. */
  env?: Record<string, string | undefined>;
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
  json<T = any>(): T;
  abort(reason?: unknown): void;
  close(): void;
}

function memoryStream(tty: boolean): { stream: PassThrough & { isTTY: boolean }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

export async function fakeContext(opts: FakeContextOptions = {}): Promise<FakeContext> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'fi-ctx-'));
  const home = join(dir, 'home');
  if (opts.config !== undefined) writeFileSync(join(dir, '.frontsyncrc'), opts.config);
  const env: Record<string, string | undefined> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    FRONT_IMPORT_DB: join(dir, 'state.db'),
    // The clock is fixed, so there is no time to pace on; pacing has its own tests.
    FRONT_IMPORT_NO_PACING: '1',
    ...(opts.sandbox ? { FRONT_API_URL: opts.sandbox.url, FRONT_API_TOKEN: opts.sandbox.tokens.full } : {}),
    ...opts.env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const out = memoryStream(Boolean(opts.tty?.stdout));
  const err = memoryStream(Boolean(opts.tty?.stderr));
  const flags = opts.flags ?? {};
  const io = new IOStreams({ stdout: out.stream, stderr: err.stream, env, quiet: flags.quiet, verbose: flags.verbose, json: flags.json, color: flags.color });
  const clock = opts.clock ?? fixedClock();
  const controller = new AbortController();
  const ctx = await loadContext(flags, { env, cwd: dir, clock }, io, controller.signal, opts.overrides);
  return {
    ctx,
    clock,
    dir,
    stdout: out.text,
    stderr: err.text,
    json: () => JSON.parse(out.text()),
    abort: (reason) => controller.abort(reason),
    close: () => {
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
