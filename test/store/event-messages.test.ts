import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite-store.ts';
import type { EventMessage } from '../../src/store/types.ts';
import { useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();
const freshStore = () => openStore(join(tempDir(), 'state.db'));
const kept = (conversationId: string, id: string, createdAt: number, inbox: EventMessage['inbox'] = null): EventMessage => ({
  conversationId,
  message: { id, created_at: createdAt, body: `<p>${id}</p>` },
  inbox,
});

describe('messages kept from the event stream', () => {
  it('keeps the newest message per conversation; an imported older one arriving later does not replace it', () => {
    const store = freshStore();
    store.rememberEventMessages('backfill:a', [kept('cnv_1', 'msg_1', 100), kept('cnv_2', 'msg_2', 100)]);
    store.rememberEventMessages('backfill:a', [kept('cnv_1', 'msg_3', 200)]);
    store.rememberEventMessages('backfill:a', [kept('cnv_1', 'msg_old', 50)]);
    expect(store.eventMessage('backfill:a', 'cnv_1')?.id).toBe('msg_3');
    expect(store.eventMessage('backfill:a', 'cnv_2')?.id).toBe('msg_2');
    expect(store.eventMessage('backfill:a', 'cnv_9')).toBeUndefined();
    store.close();
  });

  it('keeps each run apart, lists in conversation id order after a given id, forgets and clears per run', () => {
    const store = freshStore();
    const inbox = { id: 'inb_1', name: 'Support' };
    store.rememberEventMessages('sync', ['cnv_c', 'cnv_a', 'cnv_d', 'cnv_b'].map((id) => kept(id, `msg_${id}`, 1, inbox)));
    store.rememberEventMessages('backfill:x', [kept('cnv_a', 'msg_other', 1)]);
    expect(store.eventMessage('sync', 'cnv_a')?.id).toBe('msg_cnv_a');

    const first = store.eventMessages('sync', null, 2);
    expect(first.map((m) => m.conversationId)).toEqual(['cnv_a', 'cnv_b']);
    expect(first[0]).toEqual(kept('cnv_a', 'msg_cnv_a', 1, inbox));
    expect(store.eventMessages('sync', 'cnv_b', 2).map((m) => m.conversationId)).toEqual(['cnv_c', 'cnv_d']);

    store.forgetEventMessages('sync', ['cnv_b', 'cnv_c']);
    expect(store.eventMessages('sync', null, 10).map((m) => m.conversationId)).toEqual(['cnv_a', 'cnv_d']);
    store.clearEventMessages('sync');
    expect(store.eventMessages('sync', null, 10)).toEqual([]);
    expect(store.eventMessages('backfill:x', null, 10).map((m) => m.message.id)).toEqual(['msg_other']);
    store.close();
  });

  it('a redoable transaction is all or nothing, and what it committed is there after reopening', () => {
    const path = join(tempDir(), 'state.db');
    const store = openStore(path);
    expect(() =>
      store.transaction(
        () => {
          store.rememberEventMessages('sync', [kept('cnv_1', 'msg_1', 1)]);
          throw new Error('page failed half way');
        },
        { redoable: true },
      ),
    ).toThrow('page failed half way');
    expect(store.eventMessage('sync', 'cnv_1')).toBeUndefined();
    store.transaction(() => store.rememberEventMessages('sync', [kept('cnv_2', 'msg_2', 1)]), { redoable: true });
    store.transaction(() => store.setCheckpoint('sync', { at: 2 }));
    store.close();
    const reopened = openStore(path);
    expect(reopened.eventMessage('sync', 'cnv_2')?.id).toBe('msg_2');
    expect(reopened.getCheckpoint('sync')).toEqual({ at: 2 });
    reopened.close();
  });
});
