import { defineCommand } from '../command-spec.js';
import { jsonFlag } from '../flags.js';
import { FRONT_ENV, OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { ConnectOptions } from './index.js';

export const connect = defineCommand<ConnectOptions>({
  define(cmd) {
    cmd
      .option('--check', 'one line for CI smoke checks; exit 0 (works), 2 (config), 3 (token refused or missing) or 5 (Front unreachable)')
      .option('--save', 'save the token (from FRONT_API_TOKEN) to the user config file (mode 0600)');
    jsonFlag(cmd, 'machine-readable result');
  },
  options: (f) => ({ check: Boolean(f.check), save: Boolean(f.save), json: Boolean(f.json) }),
  // A CI job parsing --json gets an answer on failure too, as backfill --json gives one.
  jsonFailure: true,
  load: async () => (await import('./index.js')).runConnect,
  help: {
    examples: [
      'front-import connect                      # company, inboxes, tags, events access, rate limit',
      'front-import connect --check              # one line for CI; exit 0, 2, 3 or 5',
      'FRONT_API_TOKEN=… front-import connect --save   # keep the token in the user config file',
      'front-import connect --json | jq .tags',
    ],
    env: [...FRONT_ENV, ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.frontUnavailable],
  },
});
