// A throwaway directory tree per test: `root/home` is the home directory, everything else is
// wherever the test puts it.

import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, type LoadConfigInput } from '../../src/config/load.ts';

export interface Tree {
  root: string;
  home: string;
  path(rel: string): string;
  /** Writes `content` at `rel`, creating directories; returns the absolute path. */
  write(rel: string, content: string): string;
  dir(rel: string): string;
  load(input: Partial<LoadConfigInput> & { cwd: string }): ReturnType<typeof loadConfig>;
  remove(): void;
}

export function makeTree(): Tree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'front-import-config-')));
  const path = (rel: string) => join(root, rel);
  const dir = (rel: string) => {
    mkdirSync(path(rel), { recursive: true });
    return path(rel);
  };
  const home = dir('home');
  return {
    root,
    home,
    path,
    dir,
    write(rel, content) {
      mkdirSync(dirname(path(rel)), { recursive: true });
      writeFileSync(path(rel), content);
      return path(rel);
    },
    load: (input) => loadConfig({ env: {}, homeDir: home, ...input }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
