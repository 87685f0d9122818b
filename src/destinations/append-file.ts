// The file an NDJSON destination appends to, as the file system has it: a regular file (appended,
// fsynced, cut back when an append fails, reopened when rotated or deleted) or a stream (a pipe,
// FIFO, terminal or character device such as /dev/stdout: written, never synced or cut, since
// none of that exists for it and a reader has taken what was written).

import { constants } from 'node:fs';
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file operations the destination needs; injected so tests can observe their order. */
export interface AppendFile {
  /** 'file': a regular file; 'stream': anything else (see the top of this file). */
  readonly kind: 'file' | 'stream';
  /** Bytes in the file now (0 for a stream). */
  size(): Promise<number>;
  append(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  /** Cuts the file back to `size` bytes (a failed append's part) and makes that durable. */
  truncate(size: number): Promise<void>;
  /** True when the path no longer names this file: rotated away (`mv`, logrotate) or deleted. */
  moved(): Promise<boolean>;
  close(): Promise<void>;
}

/** How far back a cut last line is looked for; a Highlight line is far shorter. */
const REPAIR_WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * Opens `path` for appending, creating its folder and the file (0644) when missing. A regular file
 * whose last line was cut short (a crash or a full disk during an append) is repaired first: the cut
 * part is removed (it was never accepted, so its batch is written again whole), or closed with a
 * newline when it is a whole JSON record another writer left without one.
 */
export async function openAppendFile(path: string): Promise<AppendFile> {
  await mkdir(dirname(path), { recursive: true });
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isFile() && !existing.isDirectory()) return openStream(path);
  const handle = await open(path, 'a+', 0o644);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return openStream(path);
    }
    await repairCutLine(handle, info.size);
    return regularFile(path, handle, info);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

function regularFile(path: string, handle: FileHandle, opened: { dev: number; ino: number }): AppendFile {
  return {
    kind: 'file',
    size: async () => (await handle.stat()).size,
    append: (data) => handle.appendFile(data),
    sync: () => handle.sync(),
    truncate: async (size) => {
      await handle.truncate(size);
      await handle.sync();
    },
    moved: async () => {
      const now = await stat(path).catch(() => null);
      return now === null || now.dev !== opened.dev || now.ino !== opened.ino;
    },
    close: () => handle.close(),
  };
}

async function openStream(path: string): Promise<AppendFile> {
  // Write-only: a FIFO or a terminal is not read, and O_APPEND means nothing to it.
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND);
  return {
    kind: 'stream',
    size: async () => 0,
    append: (data) => handle.writeFile(data),
    sync: async () => {},
    truncate: async () => {},
    moved: async () => false,
    close: () => handle.close(),
  };
}

/** See openAppendFile. A tail longer than the window (no newline in it) is closed with a newline. */
async function repairCutLine(handle: FileHandle, size: number): Promise<void> {
  if (size === 0) return;
  const window = Math.min(size, REPAIR_WINDOW_BYTES);
  const tail = Buffer.alloc(window);
  await handle.read(tail, 0, window, size - window);
  if (tail[window - 1] === 0x0a) return;
  const lastNewline = tail.lastIndexOf(0x0a);
  const cutStart = lastNewline >= 0 ? size - window + lastNewline + 1 : window === size ? 0 : null;
  if (cutStart !== null && !isJsonRecord(tail.subarray(lastNewline + 1))) {
    await handle.truncate(cutStart);
  } else {
    await handle.appendFile('\n');
  }
  await handle.sync();
}

function isJsonRecord(bytes: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
