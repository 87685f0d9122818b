import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDestination } from '../../src/destinations/index.ts';
import { batchKey } from '../../src/destinations/types.ts';
import { serializeHighlight } from '../../src/highlight/serialize.ts';
import { makeHighlight } from './helpers.ts';
import { startReceiver } from '../helpers/receiver.ts';

const deps = () => ({ stdout: new PassThrough(), userAgent: 'front-import/test' });
const batch = { key: batchKey([makeHighlight(1)]), highlights: [makeHighlight(1)] };

describe('createDestination', () => {
  it('builds an NDJSON file destination with batches of 500', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'front-import-dest-'));
    try {
      const path = join(dir, 'h.ndjson');
      const destination = createDestination({ type: 'ndjson', path, isDefault: false }, deps());
      expect(destination.maxBatchSize).toBe(500);
      await destination.send(batch);
      await destination.close();
      expect(await readFile(path, 'utf8')).toBe(`${serializeHighlight(makeHighlight(1))}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes to the given stdout for path '-'", async () => {
    const d = deps();
    const destination = createDestination({ type: 'ndjson', path: '-', isDefault: true }, d);
    await destination.send(batch);
    expect(String(d.stdout.read())).toBe(`${serializeHighlight(makeHighlight(1))}\n`);
  });

  it('builds an HTTP destination from settings', async () => {
    const r = await startReceiver({ script: [{ status: 200 }] });
    try {
      const destination = createDestination(
        { type: 'http', url: r.url, token: 'tok_hidden', batchSize: 42, timeoutMs: 1000, retries: 0, retryBaseMs: 5, signingSecret: null },
        deps(),
      );
      expect(destination.maxBatchSize).toBe(42);
      await destination.send(batch);
      expect(r.raw[0]!.headers).toMatchObject({ authorization: 'Bearer tok_hidden', 'user-agent': 'front-import/test' });
    } finally {
      await r.close();
    }
  });
});
