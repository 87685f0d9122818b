// `replay` to a file through the real binary: its pages are converted in a worker thread started
// from the bundle (dist/bundle/convert-worker.cjs, found beside the chunk that starts it), the
// process ends when the replay does, and the file holds the very bytes a replay on one thread writes.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { run, testWorkdir } from '../helpers/cli.ts';
import { inScopeOf, PII_KEY, replayConfig, replayToFile, variedState } from '../helpers/replay-state.ts';

describe('replay to a file, the binary', () => {
  it('converts in a worker thread, exits 0 when done, and writes what a replay on one thread writes', async () => {
    const work = testWorkdir({ FRONT_IMPORT_PII_KEY: PII_KEY });
    mkdirSync(join(work.dir, 'state'));
    await (await variedState(join(work.dir, 'state'), 1_200)).store.close();

    const out = join(work.dir, 'out.ndjson');
    work.config(replayConfig(out));
    const r = await run(['replay', '--json', '--verbose'], { cwd: work.dir, env: work.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replay: converting pages in [12] worker thread\(s\)/);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'success', delivered: inScopeOf(1_200) });

    // The same state (which that run redacted first, as every run does once redaction is turned
    // on), replayed on this thread to a file of its own.
    const store = openStore(work.db);
    const expected = join(work.dir, 'expected.ndjson');
    expect(await replayToFile(store, expected)).toMatchObject({ error: null });
    await store.close();
    expect(readFileSync(out).equals(readFileSync(expected))).toBe(true);
  });
});
