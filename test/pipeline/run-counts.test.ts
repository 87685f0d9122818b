// An import run counts conversations, not page appearances: the listing of several inbox lanes, a
// listing that moves while it is read and the events strategy's leftovers show one conversation on
// several pages. Whatever each appearance came to, it counts once, in one of created, updated,
// unchanged, skipped or failed, so those add up to `seen`.

import { describe, expect, it } from 'vitest';
import { FrontRequestError } from '../../src/errors.ts';
import type { FrontConversation } from '../../src/front/types.ts';
import { PoisonedConversations, runImport, type ImportApi, type ImportCounts, type ImportSettings } from '../../src/pipeline/index.ts';
import { POISONED_META_KEY, type PoisonedConversation } from '../../src/store/keys.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { runDeps } from './run-deps.ts';

const INBOXES = [
  { id: 'inb_1', name: 'Support' },
  { id: 'inb_2', name: 'Sales' },
  { id: 'inb_3', name: 'Billing' },
];
// Scoped to three inboxes: the run walks one listing lane per inbox, and a conversation in all
// three is on a page of each.
const SETTINGS: ImportSettings = {
  targets: [{ name: 'default', key: 'https://next.example/in', scope: { inboxes: INBOXES.map((i) => i.name), tags: [], excludeTags: [], statuses: [] }, labelRules: [] }],
  maxTextLength: 4000,
  textFrom: 'latest',
};

const conversation = (id: string, status: string, updatedAt = 2000): FrontConversation => ({
  id, subject: 'Refund', status, created_at: 1000, updated_at: updatedAt, tags: [], assignee: null, recipient: null,
});

/** A Front whose inboxes list these pages, one per inbox in order; message requests answer `latestMessage`. */
function listingFront(pages: FrontConversation[][], latestMessage: (id: string) => Promise<null> = async () => null): ImportApi {
  const unused = () => {
    throw new Error('not expected in this test');
  };
  return {
    inboxes: async () => INBOXES,
    events: unused,
    conversation: unused,
    message: unused,
    latestMessage,
    async *conversations(q: { inboxId?: string }) {
      yield { items: pages[INBOXES.findIndex((i) => i.id === q.inboxId)] ?? [], next: null };
    },
  } as unknown as ImportApi;
}

async function countsOf(api: ImportApi, warnings: string[] = [], unreadable: PoisonedConversation[] = []): Promise<ImportCounts> {
  const store = openStore(':memory:');
  try {
    const result = await runImport(
      { checkpointKey: 'counts', window: { since: 0, until: null }, startedAt: 3000, strategy: 'listing' },
      runDeps({ api, store, settings: SETTINGS, warn: (line) => warnings.push(line), poisoned: new PoisonedConversations(store, () => 3_000_000) }),
    );
    unreadable.push(...((await store.getMeta<PoisonedConversation[]>(POISONED_META_KEY)) ?? []));
    return result.counts;
  } finally {
    await store.close();
  }
}

const outcomes = (c: ImportCounts) => c.created + c.updated + c.unchanged + c.skipped + c.failed;

describe('an import run counts each conversation once', () => {
  it('out of every scope on three pages: one seen, one skipped', async () => {
    const spam = conversation('cnv_spam', 'spam');
    const counts = await countsOf(listingFront([[spam, conversation('cnv_a', 'open')], [spam], [spam]]));
    expect(counts).toMatchObject({ seen: 2, created: 1, skipped: 1, failed: 0 });
    expect(outcomes(counts)).toBe(counts.seen);
  });

  it('that cannot be mapped on three pages: one failed', async () => {
    // No time at all: it cannot be mapped (and the listing does not tell it from one in the window).
    const broken: FrontConversation = { ...conversation('cnv_broken', 'open'), created_at: undefined, updated_at: undefined };
    const counts = await countsOf(listingFront([[broken], [broken], [broken]]));
    expect(counts).toMatchObject({ seen: 1, failed: 1, created: 0 });
  });

  it('whose messages Front will not serve, on three pages: one skipped, recorded as one attempt', async () => {
    const gone = conversation('cnv_unreadable', 'open');
    const warnings: string[] = [];
    const unreadable: PoisonedConversation[] = [];
    const counts = await countsOf(
      listingFront([[gone], [gone], [gone]], async () => {
        throw new FrontRequestError('Front answered 404 for the messages', 404);
      }),
      warnings,
      unreadable,
    );
    expect(counts).toMatchObject({ seen: 1, skipped: 1, created: 0 });
    expect(unreadable).toEqual([expect.objectContaining({ id: 'cnv_unreadable', attempts: 1 })]);
    expect(warnings.filter((w) => w.startsWith('cnv_unreadable: Front cannot serve its messages'))).not.toEqual([]);
  });

  it('skipped on one page and imported on a later one: created, not also skipped', async () => {
    const counts = await countsOf(listingFront([[conversation('cnv_x', 'spam', 1500)], [conversation('cnv_x', 'open', 2500)]]));
    expect(counts).toMatchObject({ seen: 1, created: 1, skipped: 0 });
  });

  it('imported on one page and the same again on two more: created, not also unchanged', async () => {
    const same = conversation('cnv_y', 'open', 1500);
    const counts = await countsOf(listingFront([[same], [same], [same]]));
    expect(counts).toMatchObject({ seen: 1, created: 1, unchanged: 0 });
    expect(outcomes(counts)).toBe(counts.seen);
  });
});
