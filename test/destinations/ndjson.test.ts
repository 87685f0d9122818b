import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppendFile } from '../../src/destinations/append-file.ts';
import { createNdjsonDestination, type AppendFile } from '../../src/destinations/ndjson.ts';
import { batchKey } from '../../src/destinations/types.ts';
import { DestinationError } from '../../src/errors.ts';
import { serializeHighlight } from '../../src/highlight/serialize.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import { deferred, makeHighlight } from './helpers.ts';

const batchOf = (highlights: Highlight[]) => ({ key: batchKey(highlights), highlights });

/** An in-memory regular file; `overrides` replace its operations. */
function fakeFile(overrides: Partial<AppendFile> = {}): AppendFile {
  let content = '';
  return {
    kind: 'file',
    size: async () => Buffer.byteLength(content),
    append: async (data) => {
      content += data;
    },
    sync: async () => {},
    truncate: async (size) => {
      content = Buffer.from(content).subarray(0, size).toString();
    },
    moved: async () => false,
    close: async () => {},
    ...overrides,
  };
}
const linesOf = (content: string) => content.split('\n').slice(0, -1);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'front-import-ndjson-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NDJSON file destination', () => {
  it('creates parent folders and appends one line per Highlight across runs', async () => {
    const path = join(dir, 'out', 'nested', 'highlights.ndjson');
    const first = createNdjsonDestination({ path });
    await first.send(batchOf([makeHighlight(1), makeHighlight(2)]));
    await first.send(batchOf([makeHighlight(3)]));
    await first.close();
    const second = createNdjsonDestination({ path });
    await second.send(batchOf([makeHighlight(1, 'v9')]));
    await second.close();

    const content = await readFile(path, 'utf8');
    expect(content.endsWith('\n')).toBe(true);
    expect(linesOf(content)).toEqual(
      [makeHighlight(1), makeHighlight(2), makeHighlight(3), makeHighlight(1, 'v9')].map(serializeHighlight),
    );
    expect(JSON.parse(linesOf(content)[3]!)).toEqual(makeHighlight(1, 'v9'));
  });

  it('creates the file readable by others but not executable (0644 under the umask)', async () => {
    const path = join(dir, 'h.ndjson');
    const destination = createNdjsonDestination({ path });
    await destination.send(batchOf([makeHighlight(1)]));
    await destination.close();
    expect((await stat(path)).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('creates no file when nothing is sent', async () => {
    const path = join(dir, 'never.ndjson');
    const destination = createNdjsonDestination({ path });
    await destination.send(batchOf([]));
    await destination.close();
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('resolves send only after the data is appended and fsynced', async () => {
    const events: string[] = [];
    const syncGate = deferred();
    const file = fakeFile({
      append: async (data) => void events.push(`append ${linesOf(Buffer.from(data).toString('utf8')).length}`),
      sync: async () => {
        events.push('sync');
        await syncGate.promise;
        events.push('synced');
      },
      close: async () => void events.push('close'),
    });
    const destination = createNdjsonDestination({ path: 'x', openAppendFile: async () => {
        events.push('open');
        return file;
      },
    });

    let resolved = false;
    const sending = destination.send(batchOf([makeHighlight(1), makeHighlight(2)])).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['open', 'append 2', 'sync']);
    expect(resolved).toBe(false);
    syncGate.resolve();
    await sending;
    expect(events).toEqual(['open', 'append 2', 'sync', 'synced']);
    await destination.close();
    expect(events.at(-1)).toBe('close');
  });

  it('appends concurrent batches whole and in call order', async () => {
    const appended: string[] = [];
    const firstAppend = deferred();
    const file = fakeFile({
      append: async (data) => {
        if (appended.length === 0) await firstAppend.promise;
        appended.push(Buffer.from(data).toString('utf8'));
      },
    });
    const destination = createNdjsonDestination({ path: 'x', openAppendFile: async () => file });
    const a = destination.send(batchOf([makeHighlight(1)]));
    const b = destination.send(batchOf([makeHighlight(2)]));
    firstAppend.resolve();
    await Promise.all([a, b]);
    expect(appended).toEqual([makeHighlight(1), makeHighlight(2)].map((h) => `${serializeHighlight(h)}\n`));
  });

  it('reports a failed write as DestinationError and cuts the file back to its size before the batch', async () => {
    const path = join(dir, 'h.ndjson');
    await writeFile(path, `${serializeHighlight(makeHighlight(1))}\n`);
    const before = await readFile(path, 'utf8');
    let failNext = true;
    const destination = createNdjsonDestination({
      path,
      openAppendFile: async (p) => {
        const real = await openAppendFile(p);
        return {
          ...real,
          kind: real.kind,
          // Half the batch reaches the disk, then it is full.
          append: async (data) => {
            if (!failNext) return real.append(data);
            failNext = false;
            await real.append(data.slice(0, data.length / 2));
            throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
          },
        };
      },
    });
    const failure = destination.send(batchOf([makeHighlight(2), makeHighlight(3)]));
    await expect(failure).rejects.toBeInstanceOf(DestinationError);
    await expect(failure).rejects.toThrow(`cannot write to ${path}: ENOSPC`);
    expect(await readFile(path, 'utf8')).toBe(before);
    await destination.send(batchOf([makeHighlight(2)]));
    await destination.close();
    expect(linesOf(await readFile(path, 'utf8'))).toEqual([makeHighlight(1), makeHighlight(2)].map(serializeHighlight));
  });

  it('repairs a cut last line when opened: a cut record is removed, a whole record without its newline is kept', async () => {
    const path = join(dir, 'h.ndjson');
    const one = serializeHighlight(makeHighlight(1));
    const two = serializeHighlight(makeHighlight(2));
    await writeFile(path, `${one}\n{"id":"front:cnv_2","ver`);
    const cut = createNdjsonDestination({ path });
    await cut.send(batchOf([makeHighlight(2)]));
    await cut.close();
    expect(linesOf(await readFile(path, 'utf8'))).toEqual([one, two]);

    await writeFile(path, `${one}\n${two}`);
    const whole = createNdjsonDestination({ path });
    await whole.send(batchOf([makeHighlight(3)]));
    await whole.close();
    expect(linesOf(await readFile(path, 'utf8'))).toEqual([one, two, serializeHighlight(makeHighlight(3))]);

    await writeFile(path, '{"id":"front:cnv_1","ver');
    const only = createNdjsonDestination({ path });
    await only.send(batchOf([makeHighlight(1)]));
    await only.close();
    expect(linesOf(await readFile(path, 'utf8'))).toEqual([one]);
  });

  it('follows the path when the file is rotated away (mv) or deleted between batches', async () => {
    const path = join(dir, 'h.ndjson');
    const destination = createNdjsonDestination({ path });
    await destination.send(batchOf([makeHighlight(1)]));
    await rename(path, `${path}.1`);
    await destination.send(batchOf([makeHighlight(2)]));
    await rm(path);
    await destination.send(batchOf([makeHighlight(3)]));
    await destination.close();
    expect(linesOf(await readFile(`${path}.1`, 'utf8'))).toEqual([serializeHighlight(makeHighlight(1))]);
    expect(linesOf(await readFile(path, 'utf8'))).toEqual([serializeHighlight(makeHighlight(3))]);
  });

  it('reports a path it cannot open as DestinationError', async () => {
    const destination = createNdjsonDestination({ path: dir });
    await expect(destination.send(batchOf([makeHighlight(1)]))).rejects.toThrow(
      new DestinationError(`cannot open ${dir}: EISDIR`),
    );
  });
});

describe('NDJSON on stdout', () => {
  /** A stdout stand-in that takes a while to flush each chunk and has a tiny buffer. */
  function slowStdout() {
    const chunks: string[] = [];
    let drains = 0;
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk, _encoding, callback) {
        setTimeout(() => {
          chunks.push(String(chunk));
          callback();
        }, 5);
      },
    });
    stream.on('drain', () => drains++);
    return { stream, chunks, drains: () => drains };
  }

  it('writes the lines and resolves only once stdout has taken them and drained', async () => {
    const out = slowStdout();
    const destination = createNdjsonDestination({ path: '-', stdout: out.stream });
    await destination.send(batchOf([makeHighlight(1), makeHighlight(2)]));
    expect(out.chunks.join('')).toBe(`${serializeHighlight(makeHighlight(1))}\n${serializeHighlight(makeHighlight(2))}\n`);
    expect(out.stream.writableNeedDrain).toBe(false);
    expect(out.drains()).toBe(1);
  });

  it('leaves stdout open on close', async () => {
    const out = slowStdout();
    const destination = createNdjsonDestination({ path: '-', stdout: out.stream });
    await destination.close();
    expect(out.stream.writable).toBe(true);
  });

  it('reports a closed stdout as DestinationError', async () => {
    const stream = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('broken pipe'), { code: 'EPIPE' })) });
    stream.on('error', () => {});
    const destination = createNdjsonDestination({ path: '-', stdout: stream });
    await expect(destination.send(batchOf([makeHighlight(1)]))).rejects.toThrow(new DestinationError('cannot write to stdout: EPIPE'));
  });
});
