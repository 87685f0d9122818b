// The per-user config file: where `connect --save` keeps the Front token, and the last place the
// config search looks (so a cron job started from any directory still finds it).

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors.js';

/** $XDG_CONFIG_HOME/frontsync, else ~/.config/frontsync (a relative XDG_CONFIG_HOME is ignored, as the XDG spec says). */
export function userConfigDir(env: Record<string, string | undefined>, homeDir: string): string {
  const xdgConfig = env.XDG_CONFIG_HOME;
  const configHome = xdgConfig && isAbsolute(xdgConfig) ? xdgConfig : join(homeDir, '.config');
  return join(configHome, 'frontsync');
}

/** The names the user directory is searched for, in order (cosmiconfig's loaders read them). */
export const USER_SEARCH_PLACES = ['config', 'config.json', 'config.yaml', 'config.yml', 'config.js', 'config.cjs', 'config.mjs'] as const;

/**
 * The user config file: the first of USER_SEARCH_PLACES that exists (the one the config search
 * reads), else config.json. `connect --save` writes there, so a config.yaml the user made is the
 * one that gets the token instead of a config.json that would silently take its place.
 */
export function userConfigPath(env: Record<string, string | undefined>, homeDir: string): string {
  const dir = userConfigDir(env, homeDir);
  const existing = USER_SEARCH_PLACES.map((name) => join(dir, name)).find((path) => existsSync(path));
  return existing ?? join(dir, 'config.json');
}

/**
 * Sets `front.token` in the file at `path`, keeping its other keys, its format (JSON or YAML) and,
 * for YAML, its comments. The file ends up mode 0600 and is replaced atomically, so a crash never
 * leaves half a file or a readable copy. A JS config is code: it is not edited.
 */
export async function saveUserToken(path: string, token: string): Promise<void> {
  if (/\.(c|m)?js$/.test(path)) {
    throw new ConfigError(`cannot save the token into ${path}: it is JavaScript; add front.token there yourself (e.g. from process.env) or use FRONT_API_TOKEN`);
  }
  // Loaded here only, as the file writer and `yaml` below: every run reads this module, and
  // node:fs/promises brings readline and streams (about 1 ms), the writer node:crypto.
  const { chmod, mkdir, readFile, realpath } = await import('node:fs/promises');
  // Write through a symlink (dotfile managers) instead of replacing the link with a file.
  const target = await realpath(path).catch(() => path);
  const content = await updatedContent(target, await readExisting(readFile, target), token);

  const { replaceFile } = await import('../fs/replace-file.js');
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await chmod(target, 0o600).catch(ignoreMissing);
    await replaceFile(target, content, 0o600);
  } catch (err) {
    throw new ConfigError(`cannot save the token to ${target}: ${codeOf(err)}`);
  }
}

async function updatedContent(path: string, text: string, token: string): Promise<string> {
  const yaml = /\.ya?ml$/.test(path) || (!path.endsWith('.json') && text.trim() !== '' && !looksLikeJson(text));
  return yaml ? updatedYaml(path, text, token) : updatedJson(path, text, token);
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function updatedJson(path: string, text: string, token: string): string {
  let data: unknown = {};
  if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ConfigError(`cannot save the token: ${path} is not valid JSON; fix or remove it first`);
    }
  }
  if (!isObject(data)) throw new ConfigError(`cannot save the token: ${path} does not hold a JSON object; fix or remove it first`);
  const front = isObject(data.front) ? data.front : {};
  return `${JSON.stringify({ ...data, front: { ...front, token } }, null, 2)}\n`;
}

/** The file rewritten with its comments and order kept. `yaml` is loaded here only: every run reads this module. */
async function updatedYaml(path: string, text: string, token: string): Promise<string> {
  const { isMap, parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(`cannot save the token: ${path} is not valid YAML; fix or remove it first`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigError(`cannot save the token: ${path} does not hold a YAML mapping; fix or remove it first`);
  // A `front:` section whose keys are all commented out is null: it becomes a mapping.
  if (!isMap(doc.get('front'))) doc.set('front', doc.createNode({}));
  doc.setIn(['front', 'token'], token);
  return doc.toString();
}

async function readExisting(readFile: (path: string, encoding: 'utf8') => Promise<string>, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return '';
    throw new ConfigError(`cannot read ${path}: ${codeOf(err)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unexpected error';
}

function ignoreMissing(err: unknown): void {
  if (codeOf(err) !== 'ENOENT') throw err;
}
