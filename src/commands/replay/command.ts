import { defineCommand } from '../command-spec.js';
import { jsonFlag, subscriptionFlag, toFlag } from '../flags.js';
import { DEST_ENV, OUTPUT_ENV, REDELIVERY_CODES } from '../help.js';
import type { ReplayOptions } from './index.js';

export const replay = defineCommand<ReplayOptions>({
  define(cmd) {
    subscriptionFlag(cmd);
    toFlag(cmd, 'deliver to this destination instead (a file path, - for stdout, or an http(s) URL)').option(
      '--since <when>',
      'only conversations updated since then: 7d, 36h, 2w, 90m or an ISO date',
    );
    jsonFlag(cmd, 'print one JSON summary object');
  },
  options: (f) => ({ since: f.since, json: Boolean(f.json) }),
  load: async () => (await import('./index.js')).runReplay,
  help: {
    examples: [
      'front-import replay --to https://next.example.com/v1/highlights   # everything stored, to a new teamspace',
      'front-import replay --subscription billing --since 7d',
    ],
    env: ['FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: REDELIVERY_CODES,
  },
});
