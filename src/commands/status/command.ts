import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { jsonFlag, subscriptionFlag, wholeNumber } from '../flags.js';
import { OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { StatusOptions } from './index.js';

export const status = defineCommand<StatusOptions>({
  define(cmd) {
    subscriptionFlag(cmd);
    jsonFlag(cmd, 'machine-readable status')
      .option('--max-lag <duration>', 'exit 8 when the newest successful sync is older than this (e.g. 1h)')
      .addOption(new Option('--max-pending <n>', 'exit 8 when more than N Highlights wait for delivery').argParser(wholeNumber('--max-pending')))
      .addOption(new Option('--max-refused <n>', 'exit 8 when more than N Highlights were refused by the destination').argParser(wholeNumber('--max-refused')))
      .option('--prometheus <file>', "also write the metrics for node_exporter's textfile collector (atomic replace)");
  },
  options: (f) => ({ json: Boolean(f.json), maxLag: f.maxLag, maxPending: f.maxPending, maxRefused: f.maxRefused, prometheus: f.prometheus }),
  load: async () => (await import('./index.js')).runStatus,
  help: {
    examples: [
      'front-import status',
      'front-import status --max-lag 1h --max-pending 500 --max-refused 0   # exit 8 when exceeded',
      'front-import status --prometheus /var/lib/node_exporter/front-import.prom',
      'front-import status --json',
    ],
    env: ['FRONT_IMPORT_DB', ...OUTPUT_ENV],
    exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.thresholdExceeded],
  },
});
