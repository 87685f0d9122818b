// Mistakes a user makes on the command line, in the environment and in the config file, as a table:
// the bad-input scenario checks each one's message and exit code, the secrets scenario runs each one
// again with --verbose and searches everything it left behind for the tokens.

import type { RunResult } from './cli.ts';
import { scenario, type Scenario, type ScenarioOptions } from './e2e.ts';

export interface BadInput {
  name: string;
  args: string[];
  env?: Record<string, string | undefined>;
  front?: ScenarioOptions['front'];
  destination?: ScenarioOptions['destination'];
  /** Extra YAML appended to the scenario's config. */
  config?: string;
  code: 2 | 3;
  /** The one line the user reads. */
  message: RegExp;
}

const BACKFILL = ['backfill', '--since', '7d'];

export const BAD_INPUTS: BadInput[] = [
  { name: '--since 7x', args: ['backfill', '--since', '7x'], code: 2, message: /--since: expected a duration above zero .* got "7x"/ },
  { name: '--since -1d', args: ['backfill', '--since', '-1d'], code: 2, message: /--since: expected a duration above zero .* got "-1d"/ },
  { name: '--since 2026-13-45', args: ['backfill', '--since', '2026-13-45'], code: 2, message: /--since: .* got "2026-13-45"/ },
  { name: '--until before --since', args: ['backfill', '--since', '2d', '--until', '3d'], code: 2, message: /--until \(.*\) must be later than --since/ },
  { name: 'sync --since 0d', args: ['sync', '--since', '0d'], code: 2, message: /--since: expected a duration above zero/ },
  { name: '--limit 0', args: [...BACKFILL, '--limit', '0'], code: 2, message: /--limit: expected a positive whole number/ },
  { name: 'unknown flag', args: [...BACKFILL, '--frobnicate'], code: 2, message: /unknown option '--frobnicate'/ },
  { name: 'unknown command', args: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
  { name: 'config: unknown key', args: BACKFILL, front: { plen: 'starter' }, code: 2, message: /\.frontsyncrc: front: unknown key "plen" \(did you mean "plan"\?\)/ },
  { name: 'config: wrong type', args: BACKFILL, front: { retries: '"five"' }, code: 2, message: /\.frontsyncrc: front\.retries: expected a number/ },
  { name: 'config: out of range', args: BACKFILL, destination: { batchSize: 0 }, code: 2, message: /\.frontsyncrc: destination\.batchSize: expected an integer from 1 to 1000/ },
  { name: 'config: invalid YAML', args: BACKFILL, config: 'routing: [unclosed', code: 2, message: /invalid YAML in .*\.frontsyncrc/ },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's interpolation syntax under test.
  { name: 'config: unset ${VAR}', args: BACKFILL, config: 'sync:\n  initialWindow: ${NOT_SET_ANYWHERE}', code: 2, message: /\.frontsyncrc: .*NOT_SET_ANYWHERE/ },
  { name: 'config: destination URL not http(s)', args: BACKFILL, destination: { url: 'ftp://next.example/highlights' }, code: 2, message: /destination\.url: expected an http\(s\) URL/ },
  { name: '--to with another scheme', args: [...BACKFILL, '--to', 'ftp://next.example/highlights'], code: 2, message: /--to: expected a file path, - or an http\(s\) URL/ },
  { name: 'FRONT_IMPORT_DEST_URL not http(s)', args: BACKFILL, env: { FRONT_IMPORT_DEST_URL: 'mailto:ops@example.com' }, code: 2, message: /FRONT_IMPORT_DEST_URL: expected an http\(s\) URL/ },
  { name: 'FRONT_API_URL not a URL', args: BACKFILL, env: { FRONT_API_URL: 'api2.frontapp.com' }, code: 2, message: /FRONT_API_URL: expected an http\(s\) URL; got "api2\.frontapp\.com"/ },
  { name: 'FRONT_IMPORT_RPM not a number', args: BACKFILL, env: { FRONT_IMPORT_RPM: 'lots' }, code: 2, message: /FRONT_IMPORT_RPM: expected a positive integer/ },
  { name: 'missing token', args: BACKFILL, env: { FRONT_API_TOKEN: undefined }, code: 3, message: /no Front API token: set FRONT_API_TOKEN/ },
  { name: 'empty token', args: BACKFILL, env: { FRONT_API_TOKEN: '' }, code: 3, message: /FRONT_API_TOKEN is set but empty/ },
  { name: 'blank token', args: ['sync'], env: { FRONT_API_TOKEN: '   ' }, code: 3, message: /FRONT_API_TOKEN is set but empty/ },
];

/** Runs one case in a scenario of its own; the caller closes the scenario. */
export async function runBadInput(input: BadInput, extraArgs: string[] = []): Promise<{ s: Scenario; r: RunResult }> {
  const s = await scenario({ sandbox: { conversations: 5 }, front: input.front, destination: input.destination, config: input.config });
  const r = await s.cli([...input.args, ...extraArgs], input.env);
  return { s, r };
}
