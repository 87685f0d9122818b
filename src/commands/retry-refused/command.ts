import { defineCommand } from '../command-spec.js';
import { jsonFlag, subscriptionFlag } from '../flags.js';
import { DEST_ENV, OUTPUT_ENV, REDELIVERY_CODES } from '../help.js';
import type { RetryRefusedOptions } from './index.js';

export const retryRefused = defineCommand<RetryRefusedOptions>({
  define(cmd) {
    jsonFlag(subscriptionFlag(cmd), 'print one JSON summary object');
  },
  options: (f) => ({ json: Boolean(f.json) }),
  load: async () => (await import('./index.js')).runRetryRefused,
  help: {
    examples: ['front-import retry-refused                 # after the receiver was fixed', 'front-import retry-refused --subscription billing --json'],
    env: ['FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: REDELIVERY_CODES,
  },
});
