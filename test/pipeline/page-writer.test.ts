import { describe, expect, it } from 'vitest';
import { PageWriter } from '../../src/pipeline/run/page-writer.ts';
import type { SourcePage } from '../../src/pipeline/fetch/source.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { UpsertOutcome } from '../../src/store/types.ts';
import { item, manualClock } from '../store/helpers.ts';

const RUN = 'backfill:test';
const messagePage = (n: number): SourcePage => ({
  updates: [],
  messages: [{ conversationId: `cnv_${n}`, message: { id: `msg_${n}`, created_at: n }, inbox: null }],
  resume: { stage: 'messages', lane: 0, next: `events:${n + 1}` },
  progress: 0,
});

function setup() {
  const store = openStore(':memory:');
  const clock = manualClock();
  const outcomes: Array<[string, UpsertOutcome]> = [];
  const writer = new PageWriter({
    store,
    runKey: RUN,
    textFrom: 'latest',
    clock: clock.now,
    onUpsert: (id, outcome) => outcomes.push([id, outcome]),
    groupPages: 3,
    groupMs: 500,
  });
  const saved = async () => (await store.getCheckpoint<{ at: number }>(RUN))?.at ?? null;
  const keptIds = async () => (await store.eventMessagesAfter(RUN, null, 100)).map((m) => m.conversationId);
  return { store, clock, writer, outcomes, saved, keptIds };
}

describe('PageWriter', async () => {
  it('writes message-only pages in groups, each group with the checkpoint of its last page', async () => {
    const { writer, saved, keptIds } = setup();
    await writer.add(messagePage(1), [], { at: 1 });
    await writer.add(messagePage(2), [], { at: 2 });
    expect(await saved()).toBeNull();
    expect(await keptIds()).toEqual([]);
    await writer.add(messagePage(3), [], { at: 3 });
    expect(await saved()).toBe(3);
    expect(await keptIds()).toEqual(['cnv_1', 'cnv_2', 'cnv_3']);
  });

  it('does not hold a page longer than the group time', async () => {
    const { writer, clock, saved } = setup();
    await writer.add(messagePage(1), [], { at: 1 });
    clock.advance(600);
    await writer.add(messagePage(2), [], { at: 2 });
    expect(await saved()).toBe(2);
  });

  it('writes a page that imports conversations at once, after the pending ones, and forgets their kept messages', async () => {
    const { writer, saved, keptIds, outcomes, store } = setup();
    await writer.add(messagePage(1), [], { at: 1 });
    await writer.add(messagePage(2), [], { at: 2 });
    const listed: SourcePage = {
      updates: [{ conversation: { id: 'cnv_1' }, message: null, inbox: null }],
      messages: [],
      resume: { stage: 'conversations', lane: 0, next: 'conversations:1' },
      progress: 0.9,
    };
    await writer.add(listed, [item(1, 'a')], { at: 3 });
    expect(await saved()).toBe(3);
    expect(outcomes).toEqual([['cnv_1', 'created']]);
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')?.version).toBe('a');
    expect(await keptIds()).toEqual(['cnv_2']);
  });

  it('flush writes whatever is pending, so a stopped run keeps the pages it read', async () => {
    const { writer, saved } = setup();
    await writer.flush();
    expect(await saved()).toBeNull();
    await writer.add(messagePage(1), [], { at: 1 });
    await writer.flush();
    expect(await saved()).toBe(1);
  });
});
