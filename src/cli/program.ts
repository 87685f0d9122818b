// The commander program: the global flags, then one commander command per entry of
// commands/registry.ts, each with its flags, help footer and an action that hands the parsed flags
// to run-command.ts. Help goes to stdout (it was asked for); usage errors are one line, a
// suggestion, and where to look (usage-errors.ts).

import { Command } from 'commander';
import type { CommandSpec } from '../commands/command-spec.js';
import { COMMANDS } from '../commands/registry.js';
import { readVersion } from '../version.js';
import { helpFooter, programFooter } from './help-text.js';
import type { CliRuntime } from './run-command.js';
import { usageErrorLines } from './usage-errors.js';

/** `exit` is told the exit code of the command that ran. */
export function buildProgram(rt: CliRuntime, exit: (code: number) => void): Command {
  const program = new Command()
    .name('front-import')
    .description('Import Front conversations into NEXT AI as Highlights')
    .version(readVersion(), '-V, --version')
    .option('-c, --config <path>', 'use this config file instead of searching for one')
    .option('--state <url>', 'state: a file path, sqlite:PATH or postgres://user@host/db (default: one SQLite file per Front URL under $XDG_STATE_HOME/front-import/)')
    .option('--db <path>', 'state file (same as --state PATH)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print request-level detail and stack traces')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    // Commands made after these two calls inherit them: commander throws instead of exiting.
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', programFooter());
  configureOutput(program, rt);
  for (const spec of COMMANDS) addCommand(program, spec, rt, exit);
  return program;
}

function addCommand(parent: Command, spec: CommandSpec, rt: CliRuntime, exit: (code: number) => void): void {
  const cmd = parent.command(spec.name).description(spec.description);
  for (const alias of spec.aliases ?? []) cmd.alias(alias);
  configureOutput(cmd, rt);
  if (spec.help) cmd.addHelpText('after', helpFooter(spec.help));
  if ('commands' in spec) {
    for (const verb of spec.commands) addCommand(cmd, verb, rt, exit);
    return;
  }
  if (spec.arguments) cmd.arguments(spec.arguments);
  spec.define?.(cmd);
  cmd.action(async () => {
    // Loaded only when a command runs: --help and usage errors never need it.
    const { runCommand } = await import('./run-command.js');
    exit(await runCommand(spec, cmd.optsWithGlobals(), cmd.processedArgs as string[], rt));
  });
}

/** Output to the runtime's streams; usage errors point at the help of the command they are about. */
function configureOutput(cmd: Command, rt: CliRuntime): void {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  cmd.configureOutput({
    writeOut: (s) => void rt.stdout.write(s),
    writeErr: (s) => void rt.stderr.write(s),
    outputError: (s, write) => write(usageErrorLines(s, names.join(' ')).join('\n') + '\n'),
    // As commander measures process.stdout: a terminal's width, else 80.
    getOutHelpWidth: () => (rt.stdout.isTTY && rt.stdout.columns) || 80,
    getErrHelpWidth: () => (rt.stderr.isTTY && rt.stderr.columns) || 80,
  });
}
