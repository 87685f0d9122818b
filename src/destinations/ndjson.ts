import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { DestinationError } from '../errors.js';
import { serializeHighlight } from '../highlight/serialize.js';
import type { Batch, Destination } from './types.js';

export const NDJSON_MAX_BATCH_SIZE = 500;

/** The file operations the destination needs; injected so tests can observe their order. */
export interface AppendFile {
  /** True when the file ends in the middle of a line (a write cut short by a crash). */
  readonly endsMidLine: boolean;
  append(data: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface NdjsonDestinationOptions {
  /** File to append to; '-' writes to `stdout`. */
  path: string;
  stdout?: Writable;
  openAppendFile?: (path: string) => Promise<AppendFile>;
}

/**
 * One serialised Highlight per line. A file is appended to (never truncated) and fsynced before
 * `send` resolves, so an accepted batch survives a crash; a batch cut short by a crash or a failed
 * write is written again whole on retry, which is why readers dedupe on `id` + `version`. The cut
 * line is closed with a newline first, so it stays one unreadable line instead of corrupting the
 * next record.
 */
export function createNdjsonDestination(options: NdjsonDestinationOptions): Destination {
  return options.path === '-'
    ? streamDestination(options.stdout ?? process.stdout)
    : fileDestination(options.path, options.openAppendFile ?? openAppendFile);
}

function toLines(batch: Batch): string {
  return batch.highlights.map((h) => serializeHighlight(h) + '\n').join('');
}

function fileDestination(path: string, openFile: (path: string) => Promise<AppendFile>): Destination {
  // Opened on the first batch, so a run with nothing to deliver leaves no empty file behind.
  let file: Promise<AppendFile> | null = null;
  // Batches are appended one after another even if send() is called again before the last resolved.
  let queue: Promise<unknown> = Promise.resolve();
  let midLine: boolean | null = null;

  const failure = (action: string, err: unknown) =>
    new DestinationError(`cannot ${action} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unknown error'}`);

  async function append(data: string): Promise<void> {
    file ??= openFile(path);
    let handle: AppendFile;
    try {
      handle = await file;
    } catch (err) {
      file = null;
      throw failure('open', err);
    }
    midLine ??= handle.endsMidLine;
    try {
      await handle.append(midLine ? '\n' + data : data);
      await handle.sync();
      midLine = false;
    } catch (err) {
      // Part of the batch may have reached the file.
      midLine = true;
      throw failure('write to', err);
    }
  }

  return {
    maxBatchSize: NDJSON_MAX_BATCH_SIZE,
    send(batch) {
      if (batch.highlights.length === 0) return Promise.resolve();
      const data = toLines(batch);
      const done = queue.then(() => append(data));
      queue = done.catch(() => undefined);
      return done;
    },
    async close() {
      await queue;
      const opened = file;
      file = null;
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
}

function streamDestination(stream: Writable): Destination {
  return {
    maxBatchSize: NDJSON_MAX_BATCH_SIZE,
    async send(batch) {
      if (batch.highlights.length === 0) return;
      try {
        await new Promise<void>((resolve, reject) => {
          stream.write(toLines(batch), (err) => (err ? reject(err) : resolve()));
        });
        if (stream.writableNeedDrain) await once(stream, 'drain');
      } catch (err) {
        throw new DestinationError(`cannot write to stdout: ${(err as NodeJS.ErrnoException).code ?? 'stream closed'}`);
      }
    },
    // stdout belongs to the process; the destination only borrowed it.
    async close() {},
  };
}

async function openAppendFile(path: string): Promise<AppendFile> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a+', 0o644);
  const { size } = await handle.stat();
  const last = Buffer.alloc(1);
  if (size > 0) await handle.read(last, 0, 1, size - 1);
  return {
    endsMidLine: size > 0 && last[0] !== 0x0a,
    append: (data) => handle.appendFile(data, 'utf8'),
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}
