// What a command's --help says after its options, as data: examples, the environment variables it
// reads and its exit codes. The words for each variable are here once; the words for each exit
// code are the one table in errors.ts. cli/help-text.ts lays them out.

import { ExitCode, type ExitCodeValue } from '../errors.js';

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

export type EnvVar = keyof typeof ENV_VARS;

export interface CommandHelp {
  examples: string[];
  env: EnvVar[];
  exitCodes: ExitCodeValue[];
}

export const FRONT_ENV: EnvVar[] = ['FRONT_API_TOKEN', 'FRONT_API_URL', 'FRONT_IMPORT_RPM', 'FRONT_IMPORT_RATE_WINDOW_MS'];
export const DEST_ENV: EnvVar[] = ['FRONT_IMPORT_DEST_URL', 'FRONT_IMPORT_DEST_TOKEN'];
export const OUTPUT_ENV: EnvVar[] = ['NO_COLOR', 'CI'];

/** backfill and sync: everything a run against Front and a destination can end with. */
export const RUN_CODES: ExitCodeValue[] = [
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
export const REDELIVERY_CODES: ExitCodeValue[] = RUN_CODES.filter((code) => code !== ExitCode.auth && code !== ExitCode.frontUnavailable);
