import { Option } from 'commander';
import { defineCommand } from '../command-spec.js';
import { importFlags, positiveInt } from '../flags.js';
import { DEST_ENV, FRONT_ENV, OUTPUT_ENV, RUN_CODES } from '../help.js';
import type { BackfillOptions } from './index.js';

export const backfill = defineCommand<BackfillOptions>({
  define(cmd) {
    cmd
      // Checked in the command, not by commander: commander reports a missing option before an
      // unknown one, so `--sinse 7d` would get "--since not specified" instead of "did you mean".
      .option('--since <when>', 'window start (required): 7d, 36h, 2w, 90m, or an ISO date/time (no zone = local time)')
      .option('--until <when>', 'window end (default now)')
      .option('--dry-run', 'fetch and map, but write and deliver nothing')
      .addOption(new Option('--limit <n>', 'stop after N conversations').argParser(positiveInt('--limit')));
    importFlags(cmd);
  },
  options: (f) => ({ since: f.since, until: f.until, dryRun: Boolean(f.dryRun), limit: f.limit, strategy: f.strategy, json: Boolean(f.json) }),
  load: async () => (await import('./index.js')).runBackfill,
  help: {
    examples: [
      'front-import backfill --since 7d',
      'front-import backfill --since 2026-01-31 --until 2026-02-07 --inbox Support --tag urgent',
      'front-import backfill --since 36h --to https://next.example.com/v1/highlights',
      'front-import backfill --since 7d --dry-run --limit 20 --json',
    ],
    env: [...FRONT_ENV, 'FRONT_IMPORT_DB', ...DEST_ENV, ...OUTPUT_ENV],
    exitCodes: RUN_CODES,
  },
});
