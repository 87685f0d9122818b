import { defineCommand } from '../command-spec.js';
import { jsonFlag } from '../flags.js';
import { DEST_ENV, FRONT_ENV, OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { ConfigOptions } from './index.js';

export const config = defineCommand<ConfigOptions>({
  define(cmd) {
    jsonFlag(cmd, 'machine-readable report').option('--offline', 'skip the checks that contact Front or the destination');
  },
  options: (f) => ({ json: Boolean(f.json), offline: Boolean(f.offline) }),
  load: async () => (await import('./index.js')).runConfig,
  help: {
    examples: ['front-import config                         # effective settings, where each comes from, checks', 'front-import config --json'],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, 'FRONT_WEBHOOK_SECRET', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.auth, ExitCode.frontUnavailable],
  },
});
