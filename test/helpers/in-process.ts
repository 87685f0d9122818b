// What in-process command tests share (fake-context.ts for run(opts, ctx), run-cli.ts for the whole
// command line): a fixed clock, in-memory output streams, and a work dir holding HOME and the state
// file, with the environment pointing at them and, when given, at a sandbox.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SandboxHandle } from '../../src/sandbox/types.ts';

/** The instant every fake context starts at (and sandboxes built for one should share). */
export const FIXED_NOW = Date.parse('2026-06-01T12:00:00Z');

export interface FakeClock {
  (): number;
  advance(ms: number): void;
}

export function fixedClock(start = FIXED_NOW): FakeClock {
  let now = start;
  return Object.assign(() => now, {
    advance: (ms: number) => {
      now += ms;
    },
  });
}

export type MemoryStream = Writable & { isTTY: boolean };

/** A stream that keeps what was written, as it is written; `tty` is what it claims to be. */
export function memoryStream(tty: boolean): { stream: MemoryStream; text: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: tty },
  );
  return { stream, text: () => text };
}

export interface WorkEnvOptions {
  /** Front is this sandbox (its full token unless FRONT_API_TOKEN is given in env). */
  sandbox?: SandboxHandle;
  /** YAML written to .frontsyncrc in the work dir (the command's cwd). */
  config?: string;
  /** Extra environment; an `undefined` value unsets a default. */
  env?: Record<string, string | undefined>;
}

/** The environment of a command run in `dir`: HOME, XDG dirs and the state file inside it. */
export function workEnv(dir: string, opts: WorkEnvOptions = {}): Record<string, string> {
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
  return env as Record<string, string>;
}
