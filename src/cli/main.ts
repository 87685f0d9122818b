// The process: argv in, signal handlers, exit code out. Everything else is run-cli.ts, which tests
// run in-process. Command modules are loaded lazily there, so `--help` starts without loading zod,
// got, SQLite or PostgreSQL (test/cli/startup-imports.test.ts). `--version`, and the program's help
// where the output is not a terminal, the launcher answers before this (bin/front-import).

import { ExitCode, InterruptedError } from '../errors.js';
import type { IOStreams } from '../terminal/io.js';
import { boundHeapGrowthWhenLarge } from './heap-growth.js';

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  boundHeapGrowthWhenLarge();
  // A closed pipe (`| head`) must surface as a write error to whoever writes (the NDJSON
  // destination reports it), not as an unhandled 'error' event that kills the process mid-page.
  process.stdout.on('error', () => undefined);
  const abort = new AbortController();
  let io: IOStreams | null = null;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (abort.signal.aborted) {
      // Second Ctrl+C: the user means it. Progress up to the last saved page is already durable.
      process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated);
    }
    io?.warn(`${signal} received: stopping (again to quit at once)`);
    abort.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const { runCli } = await import('./run-cli.js');
  const exitCode = await runCli(args, {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: abort.signal,
    ioCreated: (created) => {
      io = created;
    },
  });
  await flush(process.stdout);
  await flush(process.stderr);
  process.exit(exitCode);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
