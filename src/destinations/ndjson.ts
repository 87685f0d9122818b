import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DestinationError } from '../errors.js';
import { openAppendFile, type AppendFile } from './append-file.js';
import { ndjsonLines } from './ndjson-lines.js';
import type { Batch, LineDestination } from './types.js';

export type { AppendFile } from './append-file.js';

export const NDJSON_MAX_BATCH_SIZE = 500;

export interface NdjsonDestinationOptions {
  /** File to append to; '-' writes to `stdout`. */
  path: string;
  stdout?: Writable;
  openAppendFile?: (path: string) => Promise<AppendFile>;
}

/**
 * One serialised Highlight per line. A file is appended to (never truncated) and fsynced before
 * `send` resolves, so an accepted batch survives a crash. An append that fails (a full disk) is cut
 * back to the file's size before it, so no half line stays for readers to stop at; a line a crash
 * cut is repaired when the file is next opened (append-file.ts). Readers dedupe on `id` + `version`,
 * since a batch cut short is written again whole. Before each batch the path is checked: a file
 * rotated away (`mv`) or deleted is closed and the path opened anew, so lines never go to a file
 * nobody reads. A pipe, FIFO or terminal (`--to /dev/stdout`) is written as a stream.
 */
export function createNdjsonDestination(options: NdjsonDestinationOptions): LineDestination {
  return options.path === '-' || STDOUT_PATHS.has(options.path)
    ? streamDestination(options.stdout ?? process.stdout)
    : fileDestination(options.path, options.openAppendFile ?? openAppendFile);
}

/**
 * Names of this process's own stdout. Written through the process's stream rather than opened: a
 * socket (how many supervisors and Node's own child processes connect stdout) cannot be opened by
 * path at all (ENXIO), and output stays in order with the run's own lines.
 */
const STDOUT_PATHS: ReadonlySet<string> = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

function fileDestination(path: string, openFile: (path: string) => Promise<AppendFile>): LineDestination {
  // Opened on the first batch, so a run with nothing to deliver leaves no empty file behind.
  let file: AppendFile | null = null;
  // Batches are appended one after another even if send() is called again before the last resolved.
  let queue: Promise<unknown> = Promise.resolve();

  const failure = (action: string, err: unknown) =>
    new DestinationError(`cannot ${action} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unknown error'}`);

  /** The file the path names now: opened first, or again after a rotation, a deletion or a failure. */
  async function current(): Promise<AppendFile> {
    if (file && (await file.moved())) {
      const old = file;
      file = null;
      await old.close().catch(() => undefined);
    }
    try {
      file ??= await openFile(path);
    } catch (err) {
      throw failure('open', err);
    }
    return file;
  }

  async function append(data: Uint8Array): Promise<void> {
    const handle = await current();
    let before = 0;
    try {
      before = await handle.size();
      await handle.append(data);
      await handle.sync();
    } catch (err) {
      if (handle.kind === 'file') await cutBack(handle, before);
      throw failure('write to', err);
    }
  }

  /** Removes what part of a failed batch reached the file; if even that fails, the next open repairs it. */
  async function cutBack(handle: AppendFile, size: number): Promise<void> {
    try {
      await handle.truncate(size);
    } catch {
      file = null;
      await handle.close().catch(() => undefined);
    }
  }

  function sendLines(data: Uint8Array): Promise<void> {
    if (data.length === 0) return Promise.resolve();
    const done = queue.then(() => append(data));
    queue = done.catch(() => undefined);
    return done;
  }

  return lineDestination(sendLines, async () => {
    await queue;
    const opened = file;
    file = null;
    await opened?.close();
  });
}

function streamDestination(stream: Writable): LineDestination {
  async function sendLines(data: Uint8Array): Promise<void> {
    if (data.length === 0) return;
    try {
      await new Promise<void>((resolve, reject) => {
        stream.write(data, (err) => (err ? reject(err) : resolve()));
      });
      if (stream.writableNeedDrain) await once(stream, 'drain');
    } catch (err) {
      throw new DestinationError(`cannot write to stdout: ${(err as NodeJS.ErrnoException).code ?? 'stream closed'}`);
    }
  }

  // stdout belongs to the process; the destination only borrowed it.
  return lineDestination(sendLines, async () => {});
}

/** A file or stream taking lines: a batch of Highlights is written as its lines. */
function lineDestination(sendLines: (lines: Uint8Array) => Promise<void>, close: () => Promise<void>): LineDestination {
  return {
    maxBatchSize: NDJSON_MAX_BATCH_SIZE,
    keyedBatches: false,
    send: (batch: Batch) => sendLines(ndjsonLines(batch.highlights)),
    sendLines,
    close,
  };
}
