// The real command line in this process with an explicit cwd and environment (a spawned binary's
// view: real clock, the caller's whole env), for scenarios whose work dirs the e2e helpers build.
// The one in-process runner is src/cli/run-cli.ts; this only adapts its streams.

import { runCli } from '../../src/cli/run-cli.ts';
import { memoryStream } from './in-process.ts';

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runProgram(args: string[], opts: { cwd: string; env: Record<string, string | undefined> }): Promise<ProgramResult> {
  const out = memoryStream(false);
  const err = memoryStream(false);
  const env = Object.fromEntries(Object.entries(opts.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const code = await runCli(args, { env, cwd: opts.cwd, stdout: out.stream, stderr: err.stream, signal: new AbortController().signal });
  return { code, stdout: out.text(), stderr: err.text() };
}
