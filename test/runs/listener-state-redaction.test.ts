// The listener is no run and holds no import lock, yet it must not leave a state unredacted when
// redaction is on: at start it takes the import lock for the state redaction alone, and leaves the
// work to the run that holds the lock when one does. In-process, over the session a command opens.

import { afterEach, describe, expect, it } from 'vitest';
import { RunSession } from '../../src/runs/session.ts';
import { STATE_REDACTION_META } from '../../src/store/keys.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { fakeContext, type FakeContext } from '../helpers/fake-context.ts';
import { item } from '../store/helpers.ts';

const open: FakeContext[] = [];
afterEach(() => {
  for (const f of open.splice(0)) f.close();
});

const REDACT = 'destination: {type: ndjson, path: ./out.ndjson}\nhighlights:\n  redact: [email]\n';
const EMAIL = 'amy.wong+listen@mars-university.example';

async function plantedContext(): Promise<FakeContext> {
  const f = await fakeContext({ config: REDACT });
  open.push(f);
  const store = await f.ctx.openStore();
  const planted = item(1, 'v1');
  planted.highlight.text = `write to ${EMAIL}`;
  planted.lastMessage = { id: 'msg_1_v1', createdAt: 1_700_000_000, text: `write to ${EMAIL}` };
  await store.upsert(planted);
  await store.close();
  return f;
}

async function listenerStarts(f: FakeContext): Promise<void> {
  const session = await RunSession.open(f.ctx, { command: 'listen', args: {} });
  await session.begin({ subscriptions: f.ctx.config.subscriptions, record: false });
  await session.end();
}

async function storedText(f: FakeContext): Promise<{ text: string; recorded: unknown }> {
  const store = await f.ctx.openStore();
  try {
    const [stored] = await store.storedConversations(null, 1, null);
    return { text: stored!.highlight.text, recorded: await store.getMeta(STATE_REDACTION_META) };
  } finally {
    await store.close();
  }
}

describe('state redaction when the listener starts', () => {
  it('rewrites the state under the import lock, and releases it', async () => {
    const f = await plantedContext();
    await listenerStarts(f);
    const after = await storedText(f);
    expect(after.text).toBe('write to [email]');
    expect(after.recorded).toMatchObject({ scrubbed: true });
    const store = await f.ctx.openStore();
    expect(await store.lockHolder('import')).toBeNull();
    await store.close();
  });

  it('leaves it to the run that holds the import lock', async () => {
    const f = await plantedContext();
    // Another live process (this one's parent) holds it.
    const run = openStore(f.ctx.config.store.kind === 'sqlite' ? f.ctx.config.store.path : '', { pid: process.ppid });
    await run.acquireLock('import', 'sync');
    try {
      await listenerStarts(f);
      expect((await storedText(f)).text).toBe(`write to ${EMAIL}`);
    } finally {
      await run.releaseLock('import');
      await run.close();
    }
  });
});
