import { defineCommand, type CommandGroup } from '../command-spec.js';
import { jsonFlag, requiredArgument } from '../flags.js';
import { OUTPUT_ENV } from '../help.js';
import { ExitCode } from '../../errors.js';
import type { ForgetOptions } from './index.js';

export const destinations: CommandGroup = {
  commands: [
    {
      name: 'forget',
      description: "remove a destination's delivery state (delivered, pending and refused items, open batches, sync cursor)",
      ...defineCommand<ForgetOptions>({
        arguments: '<dest>',
        define(cmd) {
          cmd.option('--force', 'also forget a destination a configured subscription delivers to (its next run sends everything again)');
          jsonFlag(cmd, 'machine-readable result');
        },
        options: (f, [dest]) => ({ destination: requiredArgument(dest, '<destination>'), force: Boolean(f.force), json: Boolean(f.json) }),
        load: async () => (await import('./index.js')).runDestinationsForget,
        help: {
          examples: [
            'front-import destinations forget /home/me/highlights.ndjson   # a file an earlier --to wrote',
            'front-import destinations forget https://old.example.com/v1/highlights',
            'front-import destinations forget https://next.example.com/v1/highlights --force   # a configured one: it gets everything again',
          ],
          env: ['FRONT_IMPORT_DB', ...OUTPUT_ENV],
          exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.lock],
        },
      }),
    },
  ],
};
