// File paths a user typed: `~` is the home directory (a config file or `--db=~/x` gets no shell
// expansion), and relative paths are relative to `base` (the config file's directory, or cwd for
// flags and the environment).

import { join, resolve } from 'node:path';

export function resolveUserPath(path: string, base: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return join(homeDir, path.slice(2));
  return resolve(base, path);
}
