// What each command's --help adds after commander's option list: examples, the environment
// variables it reads and its exit codes. Exit-code wording comes from the one table in errors.ts.

import { EXIT_CODE_MEANINGS, ExitCode, type ExitCodeValue } from '../errors.js';

export const ENV_VARS = {
  FRONT_API_TOKEN: 'Front API token (Settings > Developers > API tokens)',
  FRONT_API_URL: 'Front API base URL (default https://api2.frontapp.com; the sandbox prints its own)',
  FRONT_IMPORT_DB: 'state file (default $XDG_STATE_HOME/front-import/state.db)',
  FRONT_IMPORT_RPM: 'requests per minute to pace at, instead of the plan figure',
  FRONT_IMPORT_RATE_WINDOW_MS: 'rate window length (sandbox and tests only)',
  FRONT_IMPORT_DEST_URL: 'HTTP destination URL (instead of destination.url)',
  FRONT_IMPORT_DEST_TOKEN: 'bearer token for the HTTP destination',
  FRONT_WEBHOOK_SECRET: "the Front app's webhook signing secret",
  NO_COLOR: 'any value turns colour off',
  CI: 'set (not "false"): no spinner, plain progress lines',
} as const;

type EnvVar = keyof typeof ENV_VARS;

interface CommandHelp {
  examples: string[];
  env: EnvVar[];
  exitCodes: ExitCodeValue[];
}

const FRONT_ENV: EnvVar[] = ['FRONT_API_TOKEN', 'FRONT_API_URL', 'FRONT_IMPORT_RPM', 'FRONT_IMPORT_RATE_WINDOW_MS'];
const DEST_ENV: EnvVar[] = ['FRONT_IMPORT_DEST_URL', 'FRONT_IMPORT_DEST_TOKEN'];
const OUTPUT_ENV: EnvVar[] = ['NO_COLOR', 'CI'];
const RUN_CODES: ExitCodeValue[] = [
  ExitCode.ok,
  ExitCode.unexpected,
  ExitCode.usage,
  ExitCode.auth,
  ExitCode.lock,
  ExitCode.frontUnavailable,
  ExitCode.destination,
  ExitCode.refused,
  ExitCode.interrupted,
  ExitCode.terminated,
];
/** replay and retry-refused: no Front request, so no token or Front failure. */
const REDELIVERY_CODES: ExitCodeValue[] = RUN_CODES.filter((code) => code !== ExitCode.auth && code !== ExitCode.frontUnavailable);

export const COMMAND_HELP: Record<string, CommandHelp> = {
  connect: {
    examples: [
      'front-import connect                      # company, inboxes, tags, events access, rate limit',
      'front-import connect --check              # one line for CI; exit 0, 2, 3 or 5',
      'FRONT_API_TOKEN=… front-import connect --save   # keep the token in the user config file',
      'front-import connect --json | jq .tags',
    ],
    env: [...FRONT_ENV, ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.frontUnavailable],
  },
  backfill: {
    examples: [
      'front-import backfill --since 7d',
      'front-import backfill --since 2026-01-31 --until 2026-02-07 --inbox Support --tag urgent',
      'front-import backfill --since 36h --to https://next.example.com/v1/highlights',
      'front-import backfill --since 7d --dry-run --limit 20 --json',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: RUN_CODES,
  },
  sync: {
    examples: [
      'front-import sync                          # everything since the last sync',
      'front-import sync --since 7d               # first sync only: how far back to start',
      '*/5 * * * * PATH=/usr/local/bin:/usr/bin front-import sync >> ~/front-import.log 2>&1',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: RUN_CODES,
  },
  status: {
    examples: [
      'front-import status',
      'front-import status --max-lag 1h --max-pending 500 --max-refused 0   # exit 8 when exceeded',
      'front-import status --prometheus /var/lib/node_exporter/front-import.prom',
      'front-import status --json',
    ],
    env: ['FRONT_IMPORT_DB', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.thresholdExceeded],
  },
  replay: {
    examples: [
      'front-import replay --to https://next.example.com/v1/highlights   # everything stored, to a new teamspace',
      'front-import replay --subscription billing --since 7d',
    ],
    env: ['FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: REDELIVERY_CODES,
  },
  'retry-refused': {
    examples: ['front-import retry-refused                 # after the receiver was fixed', 'front-import retry-refused --subscription billing --json'],
    env: ['FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: REDELIVERY_CODES,
  },
  config: {
    examples: ['front-import config                         # effective settings, where each comes from, checks', 'front-import config --json'],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, 'FRONT_WEBHOOK_SECRET', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.frontUnavailable],
  },
  'destinations forget': {
    examples: [
      'front-import destinations forget /home/me/highlights.ndjson   # a file an earlier --to wrote',
      'front-import destinations forget https://old.example.com/v1/highlights',
      'front-import destinations forget https://next.example.com/v1/highlights --force   # a configured one: it gets everything again',
    ],
    env: ['FRONT_IMPORT_DB', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.lock],
  },
  sandbox: {
    examples: [
      'front-import sandbox --port 4010           # then export the FRONT_API_URL and token it prints',
      'front-import sandbox --demo                # backfill against it once, then stop',
      'front-import sandbox --plan starter --error-rate 0.1 --latency 200',
      'front-import sandbox --no-rate-limit',
    ],
    env: OUTPUT_ENV,
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.interrupted, ExitCode.terminated],
  },
  listen: {
    examples: [
      'FRONT_WEBHOOK_SECRET=… front-import listen --to https://next.example.com/v1/highlights',
      'front-import listen --port 0 --insecure-no-verify   # local testing only',
      'curl -s 127.0.0.1:8787/metrics             # Prometheus metrics',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, 'FRONT_WEBHOOK_SECRET', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.lock],
  },
};

/** The text after a command's options: examples, environment, exit codes. */
export function helpFooter(command: string): string {
  const help = COMMAND_HELP[command];
  if (!help) return '';
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
    '  front-import backfill --since 7d            # to destination.url (config), FRONT_IMPORT_DEST_URL, or highlights.ndjson beside the state',
    '  front-import help <command>                 # examples, environment and exit codes per command',
    '',
    'Exit codes:',
    ...(Object.entries(EXIT_CODE_MEANINGS) as [string, string][]).map(([code, meaning]) => `  ${code.padStart(3)}  ${meaning}`),
    '',
  ].join('\n');
}
