// The per-user config file: where `connect --save` keeps the Front token, and the last place the
// config search looks (so a cron job started from any directory still finds it).

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, realpath, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors.js';

/** $XDG_CONFIG_HOME/frontsync, else ~/.config/frontsync (a relative XDG_CONFIG_HOME is ignored, as the XDG spec says). */
export function userConfigDir(env: Record<string, string | undefined>, homeDir: string): string {
  const xdgConfig = env.XDG_CONFIG_HOME;
  const configHome = xdgConfig && isAbsolute(xdgConfig) ? xdgConfig : join(homeDir, '.config');
  return join(configHome, 'frontsync');
}

export function userConfigPath(env: Record<string, string | undefined>, homeDir: string): string {
  return join(userConfigDir(env, homeDir), 'config.json');
}

/**
 * Sets `front.token` in the JSON file at `path`, keeping its other keys. The file ends up mode
 * 0600 and is replaced atomically, so a crash never leaves half a file or a readable copy.
 */
export async function saveUserToken(path: string, token: string): Promise<void> {
  // Write through a symlink (dotfile managers) instead of replacing the link with a file.
  const target = await realpath(path).catch(() => path);
  const existing = await readExisting(target);
  const front = isObject(existing.front) ? existing.front : {};
  const content = `${JSON.stringify({ ...existing, front: { ...front, token } }, null, 2)}\n`;

  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await chmod(target, 0o600).catch(ignoreMissing);
    await replaceFile(target, content);
  } catch (err) {
    throw new ConfigError(`cannot save the token to ${target}: ${codeOf(err)}`);
  }
}

/** Temp file (created 0600) in the same directory, flushed, then renamed over `target`. */
async function replaceFile(target: string, content: string): Promise<void> {
  const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      // The mode given to open() is reduced by the umask; make it exactly 0600.
      await handle.chmod(0o600);
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function readExisting(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return {};
    throw new ConfigError(`cannot read ${path}: ${codeOf(err)}`);
  }
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`cannot save the token: ${path} is not valid JSON; fix or remove it first`);
  }
  if (!isObject(data)) throw new ConfigError(`cannot save the token: ${path} does not hold a JSON object; fix or remove it first`);
  return data;
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
