import { defineCommand } from '../command-spec.js';
import { importFlags } from '../flags.js';
import { DEST_ENV, FRONT_ENV, OUTPUT_ENV, RUN_CODES } from '../help.js';
import type { SyncOptions } from './index.js';

export const sync = defineCommand<SyncOptions>({
  define(cmd) {
    cmd.option('--since <when>', 'first sync only (refused once a cursor exists): how far back to start (default sync.initialWindow)');
    importFlags(cmd);
  },
  options: (f) => ({ since: f.since, strategy: f.strategy, json: Boolean(f.json) }),
  load: async () => (await import('./index.js')).runSync,
  help: {
    examples: [
      'front-import sync                          # everything since the last sync',
      'front-import sync --since 7d               # first sync only: how far back to start',
      '*/5 * * * * PATH=/usr/local/bin:/usr/bin front-import sync >> ~/front-import.log 2>&1',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: RUN_CODES,
  },
});
