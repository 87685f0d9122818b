import type { CommandGroup } from '../command-spec.js';
import { defineCommand } from '../command-spec.js';
import { jsonFlag, requiredArgument } from '../flags.js';
import type { StateFileOptions } from './index.js';

const verb = (name: 'export' | 'import', description: string) => ({
  name,
  description,
  ...defineCommand<StateFileOptions>({
    arguments: '<file>',
    define: (cmd) => void jsonFlag(cmd, 'machine-readable result'),
    options: (f, [file]) => ({ file: requiredArgument(file, '<file>'), json: Boolean(f.json) }),
    load: async () => {
      const { runStateExport, runStateImport } = await import('./index.js');
      return name === 'export' ? runStateExport : runStateImport;
    },
  }),
});

export const state: CommandGroup = {
  commands: [verb('export', 'write the whole state to FILE (JSON lines, mode 0600)'), verb('import', 'load FILE into the state, which must be empty')],
};
