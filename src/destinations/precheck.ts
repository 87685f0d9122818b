// Checks a destination before the first Front request, so a run that could not deliver anything
// stops at once with the fix (exit 2) instead of after fetching all of Front (exit 6). A destination
// that fails while running still exits 6: this only catches what can be known in advance.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DestinationSettings } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { headerUnsafeAt, headerUnsafeMessage } from '../shared/header-safe.js';

export interface DestinationCheck {
  /** Problems worth a warning that do not stop the run. */
  warnings: string[];
}

/** Throws ConfigError naming the destination and the fix; returns warnings otherwise. */
export async function checkDestination(settings: DestinationSettings): Promise<DestinationCheck> {
  if (settings.type === 'http') {
    const unsafe = settings.token ? headerUnsafeAt(settings.token) : null;
    if (unsafe !== null) {
      throw new ConfigError(headerUnsafeMessage(`the token for destination ${new URL(settings.url).origin} (FRONT_IMPORT_DEST_TOKEN or destination.token)`, unsafe));
    }
    return {
      warnings: settings.token
        ? []
        : [`destination ${new URL(settings.url).origin} has no token: requests go without Authorization (set FRONT_IMPORT_DEST_TOKEN or destination.token)`],
    };
  }
  if (settings.path === '-') return { warnings: [] };
  await checkFile(settings.path, settings.isDefault);
  return { warnings: [] };
}

async function checkFile(path: string, isDefault: boolean): Promise<void> {
  const refuse = (problem: string, fix: string) => new ConfigError(`destination ${path} ${problem}: ${fix}`);
  const existing = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') throw refuse('cannot be created: part of its path is a file, not a folder', 'choose another --to');
    throw refuse(`cannot be checked (${err.code ?? 'error'})`, 'choose another --to');
  });
  if (existing) {
    if (existing.isDirectory()) throw refuse('is a folder', `name a file inside it, e.g. --to ${path.replace(/\/+$/, '')}/highlights.ndjson`);
    // Everything written there would be marked delivered and be gone. Compared by device, not by
    // resolved path: /dev/stdout on a pipe resolves to no path at all ("pipe:[…]").
    if (await isDevNull(existing)) throw refuse('discards everything', 'use --dry-run to try a run without delivering, or name a real file');
    if (!(await writable(path))) throw refuse('is not writable (permission denied)', 'fix its permissions or choose another --to');
    return;
  }
  const parent = dirname(path);
  const folder = await stat(parent).catch(() => null);
  if (folder === null) {
    // The default file sits beside the state file, whose folder is created with it.
    if (isDefault) return;
    throw refuse(`is in a folder that does not exist (${parent})`, `create it first (mkdir -p ${parent}) or choose another --to`);
  }
  if (!folder.isDirectory()) throw refuse(`cannot be created: ${parent} is not a folder`, 'choose another --to');
  if (!(await writable(parent))) throw refuse(`cannot be created: ${parent} is not writable (permission denied)`, 'fix its permissions or choose another --to');
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}

async function isDevNull(file: { isCharacterDevice(): boolean; rdev: number }): Promise<boolean> {
  if (!file.isCharacterDevice()) return false;
  const devNull = await stat('/dev/null').catch(() => null);
  return devNull !== null && devNull.rdev === file.rdev;
}
