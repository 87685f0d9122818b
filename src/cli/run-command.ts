// Runs one command once commander has parsed its flags: the IO object, the context (built once,
// here, for every command), the command's module (loaded only now) and its run(opts, ctx); every
// failure becomes one message and its exit code. Nothing here touches the process: main.ts does.

import type { Writable } from 'node:stream';
import type { LeafCommand, ParsedFlags } from '../commands/command-spec.js';
import { configOverrides } from '../commands/flags.js';
import type { RuntimeEnv } from '../context/index.js';
import { ExitCode, FrontImportError } from '../errors.js';
import { errorMessage } from '../shared/error-message.js';
import { runHead } from '../shared/run-outcome.js';
import type { IOStreams } from '../terminal/io.js';

export type OutputStream = Writable & { isTTY?: boolean; columns?: number };

/** Where a run's input comes from and its output goes: the process (main.ts) or a test's fakes. */
export interface CliRuntime extends RuntimeEnv {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborted on SIGINT/SIGTERM (or by a test); every command stops on it. */
  signal: AbortSignal;
  /** Told the IO object of the command being run, for main's signal message. */
  ioCreated?(io: IOStreams): void;
}

export async function runCommand(spec: LeafCommand, command: string, flags: ParsedFlags, args: string[], rt: CliRuntime): Promise<number> {
  const { IOStreams } = await import('../terminal/io.js');
  const io = new IOStreams({ stdout: rt.stdout, stderr: rt.stderr, env: rt.env, quiet: flags.quiet, verbose: flags.verbose, json: flags.json, color: flags.color });
  rt.ioCreated?.(io);
  try {
    const opts = spec.options(flags, args);
    const { bareContext, loadContext } = await import('../context/index.js');
    return spec.context === 'bare'
      ? await (await spec.load())(opts, bareContext(rt, io, rt.signal))
      : await (await spec.load())(opts, await loadContext(flags, rt, io, rt.signal, configOverrides(flags)));
  } catch (err) {
    // One failure shape for every --json command: a command that failed before writing its own
    // document writes the head every --json result starts with, so a CI job or monitor always
    // parses one object ({command, outcome, exitCode, error}), whatever stage failed.
    if (flags.json && !io.resultWritten) io.result({ ...(spec.jsonOk ? { ok: false } : {}), command, ...runHead(err, false, 0) });
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: IOStreams): number {
  if (err instanceof FrontImportError) {
    io.error(err.message);
    if (io.verbose && err.stack) io.debug(err.stack);
    return err.exitCode;
  }
  const message = errorMessage(err);
  io.error(`unexpected error: ${message}${io.verbose ? '' : ' (run with --verbose for details)'}`);
  if (err instanceof Error && err.stack) io.debug(err.stack);
  return ExitCode.unexpected;
}
