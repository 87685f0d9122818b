// What --help prints after commander's option list: a command's examples, environment variables and
// exit codes (the data is in its command.ts), and the program's footer. Exit-code wording comes
// from the one table in errors.ts.

import { ENV_VARS, type CommandHelp } from '../commands/help.js';
import { EXIT_CODE_MEANINGS } from '../errors.js';

/** The text after a command's options: examples, environment, exit codes. */
export function helpFooter(help: CommandHelp): string {
  const width = Math.max(...help.env.map((name) => name.length));
  return [
    '',
    'Examples:',
    ...help.examples.map((line) => `  ${line}`),
    '',
    'Environment:',
    ...help.env.map((name) => `  ${name.padEnd(width)}  ${ENV_VARS[name]}`),
    '',
    'Exit codes:',
    ...help.exitCodes.map((code) => `  ${String(code).padStart(3)}  ${EXIT_CODE_MEANINGS[code]}`),
    '',
  ].join('\n');
}

/** The top-level --help footer: where to start, and every exit code. */
export function programFooter(): string {
  return [
    '',
    'Start here:',
    '  front-import sandbox --demo                 # try it against the built-in simulated Front',
    '  export FRONT_API_TOKEN=…; front-import connect',
    '  front-import backfill --since 7d --to ./highlights.ndjson',
    '  front-import help <command>                 # examples, environment and exit codes per command',
    '',
    'Exit codes:',
    ...(Object.entries(EXIT_CODE_MEANINGS) as [string, string][]).map(([code, meaning]) => `  ${code.padStart(3)}  ${meaning}`),
    '',
  ].join('\n');
}
