// The compact state (SQLite v7, PostgreSQL migration 5): a state written by the release before is
// migrated in place with nothing sent again and nothing lost, and what it stores rebuilds the very
// Highlights it held.

import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';
import { DESTINATION, highlight, item } from './helpers.ts';

const OTHER = '/srv/teams/billing.ndjson';

describe.each(storeBackends())('$name store: the compact state', (backend) => {
  it('a state of the release before migrates with nothing re-sent: delivered, pending, refused and a change back all as they were', async () => {
    // The last schema with whole Highlights in every delivery row: SQLite v6, PostgreSQL v4.
    const version = backend.name === 'SQLite' ? 6 : 4;
    const conversation = (n: number, v: string) =>
      `('cnv_${n}', 'front:cnv_${n}', '${v}', '${JSON.stringify(highlight(n, v))}', '{"frontStatus":"open","tags":[],"inboxes":[]}', 'msg_${n}', ` +
      `'{"id":"msg_${n}","createdAt":1700000000,"text":"hello ${n}"}', 1700000000, '2024-05-01T09:00:00.000Z', '2024-05-01T09:30:00.000Z')`;
    const delivery = (dest: string, n: number, v: string, delivered: string | null, refused: string | null, seq: number) =>
      `('${dest}', 'cnv_${n}', 'front:cnv_${n}', '${v}', '${JSON.stringify(highlight(n, v))}', ${text(delivered)}, ${text(refused)}, ` +
      `${refused ? "'HTTP 422: title too long'" : 'NULL'}, ${refused ? 1 : 0}, ${seq}, ${delivered ? "'2024-05-01T09:10:00.000Z'" : 'NULL'}, ` +
      `${refused ? "'2024-05-01T09:20:00.000Z'" : 'NULL'}, '2024-05-01T09:30:00.000Z')`;
    const state = await backend.olderState(
      version,
      `INSERT INTO conversations (conversation_id, id, version, payload, facts, last_message_id, last_message, front_updated_at, first_seen_at, updated_at)
       VALUES ${[conversation(1, 'a'), conversation(2, 'b'), conversation(3, 'a')].join(', ')};
       INSERT INTO deliveries (destination, conversation_id, id, version, payload, delivered_version, refused_version, last_error, attempts,
         pending_seq, delivered_at, refused_at, updated_at)
       VALUES ${[
         delivery(DESTINATION, 1, 'a', 'a', null, 1),
         delivery(DESTINATION, 2, 'b', 'a', null, 4),
         delivery(DESTINATION, 3, 'a', null, 'a', 3),
         delivery(OTHER, 1, 'a', 'a', null, 2),
       ].join(', ')};
       ${backend.name === 'SQLite' ? '' : "SELECT setval('deliveries_pending_seq', 4);"}`,
    );
    const store = await state.open();
    expect(await store.destinations()).toEqual([OTHER, DESTINATION].sort());
    expect(await store.totals()).toMatchObject({ conversations: 3, delivered: 2, pending: 1, failed: 1 });
    const outbox = store.outbox(DESTINATION);
    expect(await outbox.totals()).toMatchObject({
      highlights: 3,
      delivered: 1,
      pending: 1,
      refused: 1,
      lastDeliveryAt: '2024-05-01T09:10:00.000Z',
      refusals: [{ id: 'front:cnv_3', version: 'a', error: 'HTTP 422: title too long', attempts: 1, refusedAt: '2024-05-01T09:20:00.000Z' }],
    });
    // The pending item keeps its Highlight; the stored conversations give back the Highlights they held.
    expect(await outbox.pending(10)).toEqual([highlight(2, 'b')]);
    expect((await store.storedConversations(null, 10, null)).map((c) => c.highlight)).toEqual([highlight(1, 'a'), highlight(2, 'b'), highlight(3, 'a')]);
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version: 'a', lastMessageId: 'msg_1', status: 'open' });
    // The other destination has everything it had: nothing to send. A change back to what the
    // destination has (b -> a) leaves nothing to send either.
    expect(await store.outbox(OTHER).pendingCount()).toBe(0);
    expect(await store.upsert({ ...item(2, 'a'), frontUpdatedAt: 1_700_000_100 })).toBe('updated');
    expect(await outbox.pendingCount()).toBe(0);
    // New work queues after the old: a new conversation, pending behind nothing.
    expect(await store.upsert(item(4, 'a'))).toBe('created');
    expect((await outbox.pending(10)).map((h) => h.id)).toEqual(['front:cnv_4']);
    await store.close();
  });

  it('a delivered item keeps no Highlight, and replay rebuilds the same bytes from the conversation', async () => {
    const store = await backend.open();
    const stored = { ...item(1, 'a'), lastMessage: { id: 'msg_1_a', createdAt: 1_700_000_000, text: 'text of 1 at a and more', rules: 2 } };
    await store.upsert(stored);
    const outbox = store.outbox(DESTINATION);
    const [sent] = await outbox.pending(10);
    await outbox.saveBatch({ key: 'k', highlights: [sent!] });
    await outbox.batchAccepted('k', [{ id: sent!.id, version: sent!.version }]);
    expect(await outbox.pending(10)).toEqual([]);
    const [again] = await store.storedConversations(null, 10, null);
    expect(JSON.stringify(again!.highlight)).toBe(JSON.stringify(stored.highlight));
    expect(await outbox.enqueue([again!.highlight], { resend: true })).toBe(1);
    expect(JSON.stringify(await outbox.pending(10))).toBe(JSON.stringify([stored.highlight]));
    await store.close();
  });
});

function text(value: string | null): string {
  return value === null ? 'NULL' : `'${value}'`;
}
