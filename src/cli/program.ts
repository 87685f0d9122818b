// The commander program: the global flags, then one commander command per entry of
// commands/registry.ts. Only the commands the command line names get their flags, help footer and
// action (their command.ts is loaded for it); the others are listed by name and description, which
// is all the program's --help and a mistyped command's suggestion need. Help goes to stdout (it was
// asked for); usage errors are one line, a suggestion, and where to look (usage-errors.ts).

import { Command, Help } from 'commander';
import type { CommandSpec, LeafCommand, Named } from '../commands/command-spec.js';
import { COMMANDS } from '../commands/registry.js';
import { readVersion } from '../version.js';
import { helpFooter, programFooter } from './help-text.js';
import type { CliRuntime } from './run-command.js';
import { usageErrorLines } from './usage-errors.js';

/** `args`: the words after `front-import`; `exit` is told the exit code of the command that ran. */
export async function buildProgram(rt: CliRuntime, args: readonly string[], exit: (code: number) => void): Promise<Command> {
  const notLoaded = new WeakSet<Command>();
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
    // Commands made after these calls inherit them: commander throws instead of exiting.
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({
      // A command whose flags were not loaded is listed as it is once loaded: every leaf command has flags.
      subcommandTerm: (cmd) => new Help().subcommandTerm(cmd).replace(/^\S+/, (name) => (notLoaded.has(cmd) ? `${name} [options]` : name)),
    })
    .addHelpText('after', programFooter());
  configureOutput(program, rt);
  const named = (entry: Named) => [entry.name, ...(entry.aliases ?? [])].some((name) => args.includes(name));
  // Any word of the command line that is a command's name loads it: an option's value that happens
  // to be one costs a module, never a wrong parse.
  const specs = await Promise.all(COMMANDS.map((entry) => (named(entry) ? entry.spec() : null)));
  COMMANDS.forEach((entry, i) => {
    const cmd = addCommand(program, entry, rt);
    const spec = specs[i];
    if (spec) define(cmd, spec, rt, exit);
    else if (!entry.group) notLoaded.add(cmd);
  });
  return program;
}

function addCommand(parent: Command, entry: Named, rt: CliRuntime): Command {
  const cmd = parent.command(entry.name).description(entry.description);
  for (const alias of entry.aliases ?? []) cmd.alias(alias);
  configureOutput(cmd, rt);
  return cmd;
}

function define(cmd: Command, spec: CommandSpec, rt: CliRuntime, exit: (code: number) => void): void {
  if ('commands' in spec) {
    for (const verb of spec.commands) define(addCommand(cmd, verb, rt), verb, rt, exit);
    return;
  }
  const leaf: LeafCommand = spec;
  if (leaf.help) cmd.addHelpText('after', helpFooter(leaf.help));
  if (leaf.arguments) cmd.arguments(leaf.arguments);
  leaf.define?.(cmd);
  cmd.action(async () => {
    // Loaded only when a command runs: --help and usage errors never need it.
    const { runCommand } = await import('./run-command.js');
    // The command as typed below the program (`state export`), for the --json failure document.
    const path = commandNames(cmd).slice(1).join(' ');
    exit(await runCommand(leaf, path, cmd.optsWithGlobals(), cmd.processedArgs as string[], rt));
  });
}

/** Output to the runtime's streams; usage errors point at the help of the command they are about. */
function configureOutput(cmd: Command, rt: CliRuntime): void {
  const names = commandNames(cmd);
  cmd.configureOutput({
    writeOut: (s) => void rt.stdout.write(s),
    writeErr: (s) => void rt.stderr.write(s),
    outputError: (s, write) => write(`${usageErrorLines(s, names.join(' ')).join('\n')}\n`),
    // As commander measures process.stdout: a terminal's width, else 80.
    getOutHelpWidth: () => (rt.stdout.isTTY && rt.stdout.columns) || 80,
    getErrHelpWidth: () => (rt.stderr.isTTY && rt.stderr.columns) || 80,
  });
}

/** The names from the program down to this command: `front-import state export`. */
function commandNames(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names;
}
