// Signed webhooks a hostile or broken sender could make: a NUL byte in an id (PostgreSQL text cannot
// hold one: a 500 there made Front retry for ever) and a body nested 50,000 levels deep (overflowed
// the stack). Both are refused with 400 and counted, over HTTP, on both state backends.

import { afterEach, describe, expect, it } from 'vitest';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { appEvent, send, signedHeaders, startTestListener, type TestListener } from './helpers.ts';

let listener: TestListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

const nulId = JSON.stringify({ id: 'evt_\u0000nul', type: 'tag', conversation: { id: 'cnv_1' } });
const nulConversation = JSON.stringify({ id: 'evt_ok', type: 'tag', conversation: { id: 'cnv_\u0000' } });
const deep = `{"id":"evt_deep","type":"tag","conversation":{"id":"cnv_1"},"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;

const backends: Array<[string, () => Promise<Store>]> = [
  ['SQLite', async () => openStore(':memory:')],
  ['PostgreSQL', async () => openPgStore(parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>)],
];

describe.each(backends)('hostile signed webhook bodies on %s state', (_, open) => {
  it('a NUL byte in an id and a body nested 50,000 levels deep are refused with 400; a good event after them is queued', async () => {
    listener = await startTestListener({}, {}, await open());
    const answers = [];
    for (const body of [nulId, nulConversation, deep]) answers.push(await send(listener.url, { headers: signedHeaders(body), body }));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(answers.map((a) => a.json<{ error: string }>().error)).toEqual([
      'event id contains a control character',
      'conversation id contains a control character',
      'body nests deeper than 100 levels',
    ]);
    const good = appEvent('cnv_2');
    expect((await send(listener.url, { headers: signedHeaders(good), body: good })).status).toBe(200);
    expect(await listener.store.listenerStats()).toMatchObject({ rejected: 3, queued: 1 });
  });
});
