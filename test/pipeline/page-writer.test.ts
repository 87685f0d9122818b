import { describe, expect, it } from 'vitest';
import { PageWriter } from '../../src/pipeline/page-writer.js';
import type { SourcePage } from '../../src/pipeline/source.js';
import { openStore } from '../../src/store/sqlite-store.js';
import type { UpsertOutcome } from '../../src/store/types.js';
import { item, manualClock } from '../store/helpers.js';

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
    saveCheckpoint: true,
    clock: clock.now,
    onUpsert: (id, outcome) => outcomes.push([id, outcome]),
    groupPages: 3,
    groupMs: 500,
  });
  const saved = () => store.getCheckpoint<{ at: number }>(RUN)?.at ?? null;
  const keptIds = () => store.eventMessages(RUN, null, 100).map((m) => m.conversationId);
  return { store, clock, writer, outcomes, saved, keptIds };
}

describe('PageWriter', () => {
  it('writes message-only pages in groups, each group with the checkpoint of its last page', () => {
    const { writer, saved, keptIds } = setup();
    writer.add(messagePage(1), [], { at: 1 });
    writer.add(messagePage(2), [], { at: 2 });
    expect(saved()).toBeNull();
    expect(keptIds()).toEqual([]);
    writer.add(messagePage(3), [], { at: 3 });
    expect(saved()).toBe(3);
    expect(keptIds()).toEqual(['cnv_1', 'cnv_2', 'cnv_3']);
  });

  it('does not hold a page longer than the group time', () => {
    const { writer, clock, saved } = setup();
    writer.add(messagePage(1), [], { at: 1 });
    clock.advance(600);
    writer.add(messagePage(2), [], { at: 2 });
    expect(saved()).toBe(2);
  });

  it('writes a page that imports conversations at once, after the pending ones, and forgets their kept messages', () => {
    const { writer, saved, keptIds, outcomes, store } = setup();
    writer.add(messagePage(1), [], { at: 1 });
    writer.add(messagePage(2), [], { at: 2 });
    const listed: SourcePage = {
      updates: [{ conversation: { id: 'cnv_1' }, message: null, inbox: null }],
      messages: [],
      resume: { stage: 'conversations', lane: 0, next: 'conversations:1' },
      progress: 0.9,
    };
    writer.add(listed, [item(1, 'a')], { at: 3 });
    expect(saved()).toBe(3);
    expect(outcomes).toEqual([['cnv_1', 'created']]);
    expect(store.getSnapshot('cnv_1')?.version).toBe('a');
    expect(keptIds()).toEqual(['cnv_2']);
  });

  it('flush writes whatever is pending, so a stopped run keeps the pages it read', () => {
    const { writer, saved } = setup();
    writer.flush();
    expect(saved()).toBeNull();
    writer.add(messagePage(1), [], { at: 1 });
    writer.flush();
    expect(saved()).toBe(1);
  });
});
