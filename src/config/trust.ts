// Whether a config file may be read at all. A config file decides where the Front token is sent
// (front.url) and a .js one is run: a file someone else could have written (in a shared temporary
// folder, a group-writable project) would hand them the token or run their code with ours. So a
// file that is group- or world-writable, or owned by anyone but the user running front-import (or
// root), is refused before it is read, with the fix. Also refused: a file too large to be a config
// (a YAML alias bomb is small, its expansion is capped in loaders.ts).

import { statSync, type Stats } from 'node:fs';
import { ConfigError } from '../errors.js';

/** No config is anywhere near this; a larger file is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 256 * 1024;

export interface Reader {
  /** The running user's uid; undefined where the platform has none (Windows: no check). */
  uid: number | undefined;
}

export const currentReader = (): Reader => ({ uid: process.getuid?.() });

/** Throws ConfigError (exit 2) naming the file and the fix when it must not be trusted. */
export function checkConfigFile(path: string, reader: Reader = currentReader()): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats?.isFile()) return;
  refuseUntrusted(path, stats, reader);
  if (stats.size > MAX_CONFIG_BYTES) {
    throw new ConfigError(`${path}: ${stats.size} bytes is too large for a config file (at most ${MAX_CONFIG_BYTES / 1024} KB); point --config at the right file`);
  }
}

function refuseUntrusted(path: string, stats: Stats, reader: Reader): void {
  if (reader.uid === undefined) return;
  const writable = stats.mode & 0o022;
  if (writable) {
    const who = stats.mode & 0o002 ? 'every user' : 'its group';
    throw new ConfigError(
      `${path}: refused, ${who} can write it (mode ${(stats.mode & 0o777).toString(8)}), so anyone could point front.url elsewhere and receive your token` +
        ` or change what runs; if it is yours: chmod go-w ${path}`,
    );
  }
  if (stats.uid !== reader.uid && stats.uid !== 0) {
    throw new ConfigError(
      `${path}: refused, it belongs to another user (uid ${stats.uid}, you are uid ${reader.uid}) who could point front.url elsewhere and receive your token; ` +
        `use your own copy (--config PATH), or if you trust it: chown ${reader.uid} ${path}`,
    );
  }
}
