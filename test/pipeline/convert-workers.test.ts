// `replay` to a file converts its pages in a worker thread (convert-workers.ts): the file must get
// the very bytes, and the state the very versions, that a replay on one thread gives, whatever the
// worker does (fails on a row, stops). The worker is the built one (`npm test` builds before it
// runs the tests); the sources alone have none.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../src/highlight/types.ts';
import { workerConverter } from '../../src/pipeline/deliver/convert-workers.ts';
import { inScope, inScopeOf, REPLAY_RULES, replayToFile, variedState } from '../helpers/replay-state.ts';
import { useTempDirs } from '../store/helpers.ts';

const WORKER = new URL('../../dist/pipeline/deliver/convert-worker.js', import.meta.url);
const tempDir = useTempDirs();

const stateOf = (n: number) => variedState(tempDir(), n);

type Store = Awaited<ReturnType<typeof stateOf>>['store'];

/** Replays the state to a file of its own, converting with `converter` (none: on this thread): what was sent, the file's bytes, the destination's totals. */
async function replayTo(store: Store, name: string, converter?: ReturnType<typeof workerConverter>) {
  const file = join(tempDir(), `${name}.ndjson`);
  const result = await replayToFile(store, file, converter);
  return { ...result, bytes: existsSync(file) ? readFileSync(file) : Buffer.alloc(0), totals: await store.outbox(file).totals() };
}

describe('replay converted in a worker thread', () => {
  it('the built worker is there (else the tests below would convert on this thread and prove nothing)', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it('writes the very bytes, and records the very versions, that a replay on one thread does', async () => {
    const { store } = await stateOf(1_730);
    const here = await replayTo(store, 'here');
    const said: string[] = [];
    const worker = await replayTo(store, 'worker', workerConverter(REPLAY_RULES, { script: WORKER, workers: 2, debug: (line) => said.push(line) }));
    expect(said).toEqual(['replay: converting pages in 2 worker thread(s)']);
    expect(worker.error).toBeNull();
    expect(here.error).toBeNull();
    expect(worker.sent).toBe(inScopeOf(1_730));
    expect(worker.sent).toBe(here.sent);
    expect(worker.bytes.equals(here.bytes)).toBe(true);
    const first = JSON.parse(worker.bytes.toString('utf8').split('\n')[0] ?? '') as Highlight;
    expect(first.text).toContain('[order-id]');
    expect(first.text).not.toContain('example.com');
    expect(worker.totals).toMatchObject({ highlights: here.sent, delivered: here.sent, pending: 0, refused: 0 });
    await store.close();
  });

  it('a row that does not decode fails the replay with the error a replay on one thread gives; the pages before it are written and recorded', async () => {
    const { store, path } = await stateOf(1_200);
    const db = new Database(path);
    // In the second page, which a worker converts.
    db.prepare("UPDATE conversations SET payload = '{\"title\":' WHERE conversation_id = 'cnv_700'").run();
    db.close();
    const here = await replayTo(store, 'here');
    const worker = await replayTo(store, 'worker', workerConverter(REPLAY_RULES, { script: WORKER }));
    expect(here.error).toBeInstanceOf(SyntaxError);
    expect(String(worker.error)).toBe(String(here.error));
    // The first page (the first 500 ids in the store's order, cnv_1, cnv_10, cnv_100, …); none of the second.
    const firstPage = Array.from({ length: 1_200 }, (_, i) => `cnv_${i + 1}`).sort().slice(0, 500);
    expect(here.sent).toBe(firstPage.filter((id) => inScope(Number(id.slice('cnv_'.length)))).length);
    expect(worker.sent).toBe(here.sent);
    expect(worker.bytes.equals(here.bytes)).toBe(true);
    expect(worker.totals).toMatchObject({ delivered: worker.sent });
    await store.close();
  });

  it('a worker that stops leaves its pages to this thread: the file gets them all, the same bytes', async () => {
    const { store } = await stateOf(1_100);
    const dying = join(tempDir(), 'dying-worker.mjs');
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const here = await replayTo(store, 'here');
    const said: string[] = [];
    const worker = await replayTo(store, 'worker', workerConverter(REPLAY_RULES, { script: new URL(`file://${dying}`), workers: 1, debug: (line) => said.push(line) }));
    expect(said).toEqual(['replay: converting pages in 1 worker thread(s)', 'replay: a conversion worker stopped (exit code 3); the pages left are converted on the main thread']);
    expect(worker.error).toBeNull();
    expect(worker.sent).toBe(here.sent);
    expect(worker.bytes.equals(here.bytes)).toBe(true);
    await store.close();
  });
});
