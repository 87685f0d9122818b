// A run that meets a conversation in an older state than the one stored (an event snapshot read
// again, a page served late) keeps the stored one: queuing the older state would send the
// destination an older state after a newer one.

import { describe, expect, it } from 'vitest';
import type { FrontConversation } from '../../src/front/types.ts';
import { mapHighlight } from '../../src/highlight/map.ts';
import { runImport, type ImportApi } from '../../src/pipeline/import-run.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';

const conversation = (updatedAt: number, status: string): FrontConversation => ({
  id: 'cnv_1', subject: 'Refund', status, created_at: 1000, updated_at: updatedAt, tags: [], assignee: null, recipient: null,
});

function listingOnly(pages: FrontConversation[][]): ImportApi {
  const unused = () => {
    throw new Error('not expected in this test');
  };
  return {
    inboxes: async () => [],
    events: unused,
    conversation: unused,
    message: unused,
    latestMessage: async () => null,
    async *conversations() {
      for (const [i, items] of pages.entries()) yield { items, next: i < pages.length - 1 ? `page-${i + 1}` : null };
    },
  } as unknown as ImportApi;
}

describe('older states', () => {
  it('a conversation older than the stored one is counted unchanged and leaves the stored state queued as it was', async () => {
    const store = openStore(':memory:');
    const stored = mapHighlight({ conversation: conversation(2000, 'archived'), lastMessage: null }, { maxTextLength: 4000, labelRules: [] });
    if (!stored.ok) throw new Error(stored.reason);
    await store.upsert({ highlight: stored.highlight, lastMessageId: null, frontUpdatedAt: 2000, lastMessage: null });

    const result = await runImport(
      // --limit selects the listing strategy.
      { checkpointKey: 'test', window: { since: 0, until: null }, startedAt: 3000, dryRun: false, limit: 10 },
      {
        api: listingOnly([[conversation(1500, 'assigned')]]),
        store,
        destination: null,
        settings: { scope: { inboxes: [], tags: [], excludeTags: [], statuses: [] }, labelRules: [], maxTextLength: 4000, textFrom: 'latest' },
        signal: new AbortController().signal,
        clock: () => 3_000_000,
        warn: () => undefined,
        debug: () => undefined,
        progress: () => undefined,
      },
    );
    expect(result.counts).toMatchObject({ seen: 1, unchanged: 1, updated: 0 });
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version: stored.highlight.version, frontUpdatedAt: 2000 });
    expect((await store.pending(10)).map((p) => p.highlight.status)).toEqual(['archived']);
    await store.close();
  });
});
