// Where the config file is looked for. The first file found wins:
//
//   1. --config PATH: exactly that file; nothing else is searched.
//   2. The current directory, then each parent directory up to the home directory (or up to the
//      filesystem root when the current directory is outside home), in each: package.json
//      ("frontsync" key), .frontsyncrc (JSON or YAML), .frontsyncrc.json, .frontsyncrc.yaml,
//      .frontsyncrc.yml, frontsync.config.js, frontsync.config.cjs, frontsync.config.mjs.
//   3. The user config directory, $XDG_CONFIG_HOME/frontsync/ else ~/.config/frontsync/: config
//      (JSON or YAML), config.json, config.yaml, config.yml, config.js, config.cjs, config.mjs.
//
// cosmiconfig 9 on its own looks only in the current directory, so a cron job started in / would
// find nothing; its "global" strategy walks up, but reads the user directory from the process
// environment rather than from the env and home we are given. So we list the directories
// ourselves and ask cosmiconfig about one directory at a time.
//
// .js/.cjs/.mjs config files are code and run when loaded.

import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import { USER_SEARCH_PLACES, userConfigDir } from './user-config.js';

const MODULE = 'frontsync';

export const PROJECT_SEARCH_PLACES = [
  'package.json',
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `${MODULE}.config.js`,
  `${MODULE}.config.cjs`,
  `${MODULE}.config.mjs`,
] as const;


/** A config file's contents as loaded, before `${VAR}` interpolation and validation. */
export interface RawConfig {
  path: string;
  data: unknown;
}

export interface SearchInput {
  cwd: string;
  env: Record<string, string | undefined>;
  homeDir: string;
}

export async function findConfig(input: SearchInput): Promise<RawConfig | null> {
  const dirs = projectSearchDirs(input.cwd, input.homeDir);
  const userDir = userConfigDir(input.env, input.homeDir);
  const candidates = [...dirs.flatMap((dir) => PROJECT_SEARCH_PLACES.map((place) => join(dir, place))), ...USER_SEARCH_PLACES.map((place) => join(userDir, place))];
  // cosmiconfig and its parsers cost a cron `status` more than the rest of it: with no candidate
  // file anywhere there is nothing for it to find, and it is not loaded.
  if (!candidates.some(mightExist)) return null;
  const project = await explorer(PROJECT_SEARCH_PLACES);
  for (const dir of dirs) {
    const found = await project.search(dir);
    if (found) return { path: found.filepath, data: found.config };
  }
  const found = await (await explorer(USER_SEARCH_PLACES)).search(userDir);
  return found ? { path: found.filepath, data: found.config } : null;
}

/** One named file; null when it does not exist. An empty file is an empty config. */
export async function readConfigFile(path: string): Promise<RawConfig | null> {
  if (!mightExist(path)) return null;
  try {
    const found = await (await explorer([])).load(path);
    return { path, data: found?.config ?? {} };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return null;
    if (err instanceof ConfigError) throw err;
    if (code === 'EISDIR') throw new ConfigError(`${path}: is a directory, expected a config file`);
    if (code === 'EACCES') throw new ConfigError(`${path}: cannot read (permission denied)`);
    throw new ConfigError(`${path}: cannot load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/** cwd, then its parents up to homeDir when cwd is inside it, else up to the filesystem root. */
export function projectSearchDirs(cwd: string, homeDir: string): string[] {
  const start = resolve(cwd);
  const home = resolve(homeDir);
  const fromHome = relative(home, start);
  const insideHome = fromHome !== '..' && !fromHome.startsWith(`..${sep}`) && !isAbsolute(fromHome);
  const dirs = [start];
  for (let dir = start; dir !== dirname(dir) && !(insideHome && dir === home); ) {
    dir = dirname(dir);
    dirs.push(dir);
  }
  return dirs;
}

/** False only when nothing is there; anything else (a permission problem) is for cosmiconfig to report. */
function mightExist(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (err) {
    return (err as { code?: unknown }).code !== 'ENOTDIR';
  }
}

async function explorer(searchPlaces: readonly string[]) {
  const [{ cosmiconfig }, { configLoaders }] = await Promise.all([import('cosmiconfig'), import('./loaders.js')]);
  return cosmiconfig(MODULE, {
    searchPlaces: [...searchPlaces],
    searchStrategy: 'none',
    loaders: configLoaders,
    cache: false,
  });
}
