// One command line, start to exit code, over any streams: main.ts runs it on the process, tests run
// it in-process (test/helpers/run-cli.ts). Commander's own errors follow our contract here: help
// and version exit 0, any usage error 2 (commander would say 1).

import { CommanderError } from 'commander';
import { ExitCode, exitCodeFor } from '../errors.js';
import { errorMessage } from '../shared/error-message.js';
import { buildProgram } from './program.js';
import type { CliRuntime } from './run-command.js';

/** `args`: the words after `front-import` (process.argv.slice(2)). */
export async function runCli(args: readonly string[], rt: CliRuntime): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = await buildProgram(rt, args, (code) => {
    exitCode = code;
  });
  try {
    // No command at all: the user is asking what this is. Help on stdout, exit 0 (as gh and npm do).
    if (args.length === 0) program.help();
    await program.parseAsync([...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help shown because only global flags were given is a usage error (stderr, 2).
      const benign = ['commander.helpDisplayed', 'commander.version'].includes(err.code) || (err.code === 'commander.help' && err.exitCode === 0);
      exitCode = benign ? ExitCode.ok : ExitCode.usage;
    } else {
      exitCode = exitCodeFor(err);
      rt.stderr.write(`front-import: ${errorMessage(err)}\n`);
    }
  }
  return exitCode;
}
