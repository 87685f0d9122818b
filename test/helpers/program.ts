// Runs the commander program in this process, the way bin/front-import does (same argv parsing,
// same error -> exit code path) over in-memory streams: for scenarios where the process boundary
// is not the point, at a fraction of a spawn's cost.

import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';
import { ExitCode, exitCodeFor } from '../../src/errors.ts';

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

function memoryStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

export async function runProgram(args: string[], opts: { cwd: string; env: Record<string, string | undefined> }): Promise<ProgramResult> {
  const out = memoryStream();
  const err = memoryStream();
  let code: number = ExitCode.ok;
  const env = Object.fromEntries(Object.entries(opts.env).filter(([, v]) => v !== undefined));
  const program = buildProgram(
    { argv: ['node', 'front-import', ...args], env, stdout: out.stream, stderr: err.stream, cwd: opts.cwd },
    { signal: new AbortController().signal, setExit: (c) => (code = c), ioCreated: () => undefined },
  );
  try {
    await program.parseAsync(['node', 'front-import', ...args]);
  } catch (e) {
    code = e instanceof CommanderError ? (e.exitCode === 0 ? ExitCode.ok : ExitCode.usage) : exitCodeFor(e);
  }
  return { code, stdout: out.text(), stderr: err.text() };
}
