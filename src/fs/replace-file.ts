// Replaces a file atomically: a reader (a config loader, node_exporter's textfile collector) sees
// the old content or the new, never half a file.

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp file in the same directory (created with `mode`), flushed, then renamed over `target`. */
export async function replaceFile(target: string, content: string, mode: number): Promise<void> {
  // A leading dot and a non-.prom suffix keep collectors that glob the directory off the temp file.
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      // The mode given to open() is reduced by the umask; make it exactly `mode`.
      await handle.chmod(mode);
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
