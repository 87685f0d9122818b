import { defineCommand } from '../command-spec.js';
import { jsonFlag } from '../flags.js';
import { FRONT_ENV, OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { ConnectOptions } from './index.js';

export const connect = defineCommand<ConnectOptions>({
  define(cmd) {
    cmd
      .option('--check', 'one line for CI smoke checks; exit 0 (works), 2 (config), 3 (token refused or missing) or 5 (Front unreachable)')
      .option('--save', 'save the token (from FRONT_API_TOKEN) to the user config file (mode 0600)')
      .option('--oauth', "authorize through your company's Front app (FRONT_OAUTH_CLIENT_ID, FRONT_OAUTH_CLIENT_SECRET) and store the token set")
      .option('--no-browser', 'with --oauth: print the authorize URL and read the redirected URL (or the code) from standard input')
      .option('--logout', 'forget the stored OAuth token set');
    jsonFlag(cmd, 'machine-readable result');
  },
  options: (f) => ({
    check: Boolean(f.check),
    save: Boolean(f.save),
    json: Boolean(f.json),
    oauth: Boolean(f.oauth),
    noBrowser: f.browser === false,
    logout: Boolean(f.logout),
  }),
  // Its --json answer says `ok: true`; a CI job testing `ok` finds `ok: false` on failure.
  jsonOk: true,
  load: async () => (await import('./index.js')).runConnect,
  help: {
    examples: [
      'front-import connect                      # company, inboxes, tags, events access, rate limit',
      'front-import connect --check              # one line for CI; exit 0, 2, 3 or 5',
      'FRONT_API_TOKEN=… front-import connect --save   # keep the token in the user config file',
      'front-import connect --json | jq .tags',
      'front-import connect --oauth --no-browser  # authorize your Front app over SSH: paste the redirected URL',
      'front-import connect --logout             # forget the stored OAuth token set',
    ],
    env: [...FRONT_ENV, ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.frontUnavailable],
  },
});
