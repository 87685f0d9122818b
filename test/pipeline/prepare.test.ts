// The one "prepare a conversation" step, through both of its callers: an import run (backfill,
// sync) and the listener's importConversations. Same older-state check, same mapping warnings,
// same failed-versus-skipped counting.

import { describe, expect, it } from 'vitest';
import type { FrontConversation } from '../../src/front/types.ts';
import { mapHighlight } from '../../src/highlight/map.ts';
import { importConversations } from '../../src/pipeline/run/import-conversations.ts';
import { runImport, type ImportApi } from '../../src/pipeline/index.ts';
import type { ImportSettings } from '../../src/pipeline/prepare/prepare.ts';
import type { Store } from '../../src/store/roles.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { fakeDestination } from './fake-destination.ts';
import { runDeps } from './run-deps.ts';

const DESTINATION = 'https://next.example/in';
const SETTINGS: ImportSettings = {
  targets: [{ name: 'default', key: DESTINATION, scope: { inboxes: [], tags: [], excludeTags: [], statuses: [] }, labelRules: [] }],
  maxTextLength: 4000,
  textFrom: 'latest',
};
const targets = (destination: ReturnType<typeof fakeDestination>) => [{ name: 'default', key: DESTINATION, destination }];

const conversation = (id: string, updatedAt: number | undefined, status: string): FrontConversation => ({
  id, subject: 'Refund', status, created_at: updatedAt === undefined ? undefined : 1000, updated_at: updatedAt, tags: [], assignee: null, recipient: null,
});

/** A Front that lists `listed` and answers GET /conversations/{id} from `byId`; no messages. */
function fakeFront(listed: FrontConversation[], byId: Record<string, FrontConversation> = {}): ImportApi {
  const unused = () => {
    throw new Error('not expected in this test');
  };
  return {
    inboxes: async () => [],
    events: unused,
    conversation: async (id: string) => byId[id] ?? unused(),
    message: unused,
    latestMessage: async () => null,
    async *conversations() {
      yield { items: listed, next: null };
    },
  } as unknown as ImportApi;
}

function runListing(store: Store, api: ImportApi, warnings: string[] = []) {
  // --limit selects the listing strategy.
  const req = { checkpointKey: 'test', window: { since: 0, until: null }, startedAt: 3000, limit: 10 };
  return runImport(req, runDeps({ command: 'sync', api, store, settings: SETTINGS, warn: (line) => warnings.push(line) }));
}

async function storeHolding(updatedAt: number, status: string): Promise<{ store: Store; version: string }> {
  const store = openStore(':memory:');
  const stored = mapHighlight({ conversation: conversation('cnv_1', updatedAt, status), lastMessage: null }, { maxTextLength: 4000, labelRules: [] });
  if (!stored.ok) throw new Error(stored.reason);
  await store.upsert({
    highlight: stored.highlight,
    facts: { frontStatus: status, tags: [], inboxes: null },
    deliveries: [{ destination: DESTINATION, highlight: stored.highlight }],
    lastMessageId: null,
    frontUpdatedAt: updatedAt,
    lastMessage: null,
  });
  return { store, version: stored.highlight.version };
}

describe('a state older than the stored one', () => {
  it('met by an import run is counted unchanged and leaves the stored state queued as it was', async () => {
    const { store, version } = await storeHolding(2000, 'archived');
    const result = await runListing(store, fakeFront([conversation('cnv_1', 1500, 'assigned')]));
    expect(result.counts).toMatchObject({ seen: 1, unchanged: 1, updated: 0 });
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version, frontUpdatedAt: 2000 });
    expect((await store.outbox(DESTINATION).pending(10)).map((h) => h.status)).toEqual(['archived']);
    await store.close();
  });

  it('fetched late for a webhook does not overwrite the stored state, and only the newer one is delivered', async () => {
    const { store, version } = await storeHolding(2000, 'archived');
    const destination = fakeDestination();
    const counts = await importConversations({ fetch: ['cnv_1'], given: [] }, {
      api: fakeFront([], { cnv_1: conversation('cnv_1', 1500, 'assigned') }),
      store,
      targets: targets(destination),
      settings: SETTINGS,
      warn: () => undefined,
    });
    expect(counts).toMatchObject({ unchanged: 1, updated: 0, delivered: 1 });
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version, frontUpdatedAt: 2000 });
    expect(destination.sent.flatMap((b) => b.highlights.map((h) => h.status))).toEqual(['archived']);
    await store.close();
  });

  it('sent whole by a rule webhook is left out the same way, with no Front request', async () => {
    const { store, version } = await storeHolding(2000, 'archived');
    const counts = await importConversations(
      { fetch: [], given: [{ conversation: conversation('cnv_1', 1500, 'assigned'), message: null, inbound: null }] },
      { api: fakeFront([]), store, targets: targets(fakeDestination()), settings: SETTINGS, warn: () => undefined },
    );
    expect(counts).toMatchObject({ unchanged: 1, updated: 0, created: 0 });
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version, frontUpdatedAt: 2000 });
    await store.close();
  });
});

describe('mapping outcomes', () => {
  // One conversation maps with a warning (unknown status), one cannot be mapped (no time at all).
  const odd = conversation('cnv_odd', 2500, 'snoozed-forever');
  const broken = conversation('cnv_broken', undefined, 'open');

  it('are reported and counted the same by an import run and by the listener', async () => {
    const runWarnings: string[] = [];
    const run = await runListing(openStore(':memory:'), fakeFront([odd, broken]), runWarnings);

    const listenWarnings: string[] = [];
    const listened = await importConversations({ fetch: ['cnv_odd', 'cnv_broken'], given: [] }, {
      api: fakeFront([], { cnv_odd: odd, cnv_broken: broken }),
      store: openStore(':memory:'),
      targets: targets(fakeDestination()),
      settings: SETTINGS,
      warn: (line) => listenWarnings.push(line),
    });

    expect(run.counts).toMatchObject({ created: 1, failed: 1, skipped: 0 });
    expect(listened).toMatchObject({ created: 1, failed: 1, skipped: 0 });
    expect(runWarnings).toEqual([
      'cnv_odd: unknown status "snoozed-forever"; shown as open',
      'cnv_broken: not imported: conversation has no usable created_at, updated_at or last message time',
    ]);
    expect(listenWarnings.sort()).toEqual([...runWarnings].sort());
  });
});
