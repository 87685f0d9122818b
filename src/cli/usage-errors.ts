// Usage errors as people read them: commander's message on one line, a suggestion ("Did you mean
// --since?") on its own line, then where the usage is. Commander puts its suggestion in
// parentheses on the message's second line; enum values (commands/flags.ts `choice`) carry ours the same way.

/** The lines written to stderr for commander's error text `raw`, about `command` ("front-import backfill"). */
export function usageErrorLines(raw: string, command: string): string[] {
  const lines = raw
    .trim()
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const suggestion = lines.map((line) => /^\(?(Did you mean .+\?)\)?$/.exec(line)?.[1]).find((s) => s !== undefined);
  const message = lines.filter((line) => !/^\(?Did you mean /.test(line)).join(' ');
  return [`front-import: ${message}`, ...(suggestion ? [suggestion] : []), `Run '${command} --help' for usage.`];
}
