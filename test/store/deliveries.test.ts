// Delivery state per destination: every (destination, conversation) pair on its own. Runs on every
// store backend.

import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/roles.ts';
import type { UpsertItem } from '../../src/store/types.ts';
import { storeBackends } from './backends.ts';
import { DESTINATION, highlight, item, manualClock } from './helpers.ts';

const OTHER = '/var/lib/teams/billing.ndjson';
const backends = storeBackends();

/** Conversation n at `version`, queued for both destinations, each with its own labels. */
function toBoth(n: number, version: string, frontUpdatedAt = 1_700_000_000): UpsertItem {
  const base = item(n, version, frontUpdatedAt);
  return {
    ...base,
    deliveries: [
      { destination: DESTINATION, highlight: { ...base.highlight, labels: ['support'], version: `${version}-s` } },
      { destination: OTHER, highlight: { ...base.highlight, labels: ['billing'], version: `${version}-b` } },
    ],
  };
}
const ids = async (store: Store, destination: string) => (await store.outbox(destination).pending(100)).map((h) => `${h.id}@${h.version}`);

describe.each(backends)('$name store: deliveries per destination', (backend) => {
  it('each destination has its own pending items, versions and labels; delivering one leaves the other pending', async () => {
    const store = await backend.open();
    await store.upsert(toBoth(1, 'a'));
    await store.upsert(toBoth(2, 'a'));
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_1@a-s', 'front:cnv_2@a-s']);
    expect((await store.outbox(OTHER).pending(1))[0]!.labels).toEqual(['billing']);
    await store.outbox(DESTINATION).saveBatch({ key: 'k', highlights: (await store.outbox(DESTINATION).pending(100)) });
    await store.outbox(DESTINATION).batchAccepted('k', [{ id: 'front:cnv_1', version: 'a-s' }, { id: 'front:cnv_2', version: 'a-s' }]);
    expect(await store.outbox(DESTINATION).pendingCount()).toBe(0);
    expect(await store.outbox(OTHER).pendingCount()).toBe(2);
    expect((await store.destinations()).sort()).toEqual([OTHER, DESTINATION].sort());
    expect(await store.totals()).toMatchObject({ conversations: 2, delivered: 2, pending: 2, failed: 0 });
    await store.close();
  });

  it('a batch of one destination never hides items of another, even with the same key', async () => {
    const store = await backend.open();
    await store.upsert(item(1, 'a'));
    await store.outbox(OTHER).enqueue([highlight(1, 'a')], { resend: false });
    await store.outbox(DESTINATION).saveBatch({ key: 'same', highlights: [highlight(1, 'a')] });
    expect(await ids(store, DESTINATION)).toEqual([]);
    expect(await ids(store, OTHER)).toEqual(['front:cnv_1@a']);
    await store.outbox(OTHER).saveBatch({ key: 'same', highlights: [highlight(1, 'a')] });
    expect((await store.outbox(OTHER).openBatches()).map((b) => b.key)).toEqual(['same']);
    await store.outbox(OTHER).batchAccepted('same', [{ id: 'front:cnv_1', version: 'a' }]);
    expect((await store.outbox(DESTINATION).openBatches()).map((b) => b.key)).toEqual(['same']);
    await store.close();
  });

  it('updated means a destination got a new version; a destination new to a conversation is not an update', async () => {
    const store = await backend.open();
    expect(await store.upsert(item(1, 'a'))).toBe('created');
    expect(await store.upsert(toBoth(1, 'a'))).toBe('updated');
    expect(await store.upsert(toBoth(1, 'a'))).toBe('unchanged');
    expect(await ids(store, OTHER)).toEqual(['front:cnv_1@a-b']);
    await store.close();
  });

  it('refused: kept with the message, listed per destination, pending again after retryRefused or a new version', async () => {
    const clock = manualClock();
    const store = await backend.open({ clock: clock.now });
    await store.upsert(toBoth(1, 'a'));
    await store.upsert(toBoth(2, 'a'));
    const outbox = store.outbox(DESTINATION);
    await outbox.saveBatch({ key: 'k1', highlights: [highlight(1, 'a-s')] });
    await outbox.batchRefused('k1', { id: 'front:cnv_1', version: 'a-s' }, 'title too long');
    clock.advance(1000);
    await outbox.saveBatch({ key: 'k2', highlights: [highlight(2, 'a-s')] });
    await outbox.batchRefused('k2', { id: 'front:cnv_2', version: 'a-s' }, 'bad requester');
    expect(await outbox.totals()).toMatchObject({
      destination: DESTINATION,
      highlights: 2,
      delivered: 0,
      pending: 0,
      refused: 2,
      refusals: [
        { id: 'front:cnv_2', version: 'a-s', error: 'bad requester', attempts: 1, refusedAt: '2024-05-01T10:00:01.000Z' },
        { id: 'front:cnv_1', version: 'a-s', error: 'title too long', attempts: 1, refusedAt: '2024-05-01T10:00:00.000Z' },
      ],
    });
    expect((await store.outbox(OTHER).totals()).refused).toBe(0);
    await store.upsert(toBoth(2, 'b'));
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_2@b-s']);
    expect(await outbox.retryRefused()).toBe(1);
    expect((await ids(store, DESTINATION)).sort()).toEqual(['front:cnv_1@a-s', 'front:cnv_2@b-s']);
    expect((await outbox.totals()).refused).toBe(0);
    await store.close();
  });

  it('enqueue adds what a destination lacks or holds at another version; resend queues delivered ones again', async () => {
    const store = await backend.open();
    await store.upsert(item(1, 'a'));
    await store.upsert(item(2, 'a'));
    const outbox = store.outbox(DESTINATION);
    await outbox.batchAccepted('x', [{ id: 'front:cnv_1', version: 'a' }, { id: 'front:cnv_2', version: 'a' }]);
    expect(await outbox.enqueue([highlight(1, 'a'), highlight(2, 'b'), highlight(3, 'a')], { resend: false })).toBe(2);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_2@b', 'front:cnv_3@a']);
    expect(await outbox.enqueue([highlight(1, 'a')], { resend: true })).toBe(1);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_2@b', 'front:cnv_3@a', 'front:cnv_1@a']);
    await store.close();
  });

  it('lists stored conversations page by page, in id order, since a time, with their facts', async () => {
    const store = await backend.open();
    for (const [n, at] of [[3, 300], [1, 100], [2, 200]] as const) await store.upsert(item(n, 'a', at));
    const page = await store.storedConversations(null, 2, null);
    expect(page.map((c) => c.highlight.conversationId)).toEqual(['cnv_1', 'cnv_2']);
    expect(page[0]!.facts).toEqual({ frontStatus: 'unassigned', tags: [], inboxes: [] });
    expect((await store.storedConversations('cnv_2', 2, null)).map((c) => c.highlight.conversationId)).toEqual(['cnv_3']);
    expect((await store.storedConversations(null, 10, 200)).map((c) => c.frontUpdatedAt)).toEqual([200, 300]);
    await store.close();
  });

  it('the single-destination state of an older file goes to the first destination that claims it, with its cursor', async () => {
    const store = await backend.open();
    await store.upsert({ ...item(1, 'a'), deliveries: [{ destination: '', highlight: highlight(1, 'a') }] });
    await store.commitRun({ cursors: [{ name: 'sync', value: 1234 }], clearCheckpoints: [] });
    expect(await store.claimLegacyDeliveries(DESTINATION, `sync@${DESTINATION}`)).toBe(true);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_1@a']);
    expect((await store.getCursor(`sync@${DESTINATION}`))?.value).toBe(1234);
    expect(await store.getCursor('sync')).toBeUndefined();
    expect(await store.claimLegacyDeliveries(OTHER, `sync@${OTHER}`)).toBe(false);
    expect(await store.destinations()).toEqual([DESTINATION]);
    await store.close();
  });

  it('a state from before per-destination delivery migrates whole, and its first destination re-sends nothing it had', async () => {
    // The last schema with delivery columns on the conversation row: SQLite v3, PostgreSQL v1.
    const version = backend.name === 'SQLite' ? 3 : 1;
    const row = (n: number, v: string, delivered: string | null, failed: string | null, seq: number) =>
      `('cnv_${n}', 'front:cnv_${n}', '${v}', '${JSON.stringify(highlight(n, v))}', ${sqlText(delivered)}, ${sqlText(failed)}, ` +
      `${failed ? "'HTTP 422: title too long'" : 'NULL'}, ${failed ? 1 : 0}, 'msg_${n}', NULL, 1700000000, '2024-05-01T09:00:00.000Z', '2024-05-01T09:30:00.000Z', ${seq})`;
    const batch = JSON.stringify([highlight(3, 'b')]);
    const state = await backend.olderState(
      version,
      `INSERT INTO conversations (conversation_id, id, version, payload, delivered_version, failed_version, last_error, attempts,
         last_message_id, last_message, front_updated_at, first_seen_at, updated_at, pending_seq)
       VALUES ${[row(1, 'a', 'a', null, 1), row(2, 'a', null, 'a', 2), row(3, 'b', 'a', null, 3)].join(', ')};
       INSERT INTO batches (key, highlights, created_at${backend.name === 'SQLite' ? '' : ', item_ids'})
       VALUES ('open-1', '${batch}', '2024-05-01T09:31:00.000Z'${backend.name === 'SQLite' ? '' : ", '{front:cnv_3}'"});
       INSERT INTO cursors (name, value, updated_at) VALUES ('sync', 1699999000, '2024-05-01T09:30:00.000Z');
       ${backend.name === 'SQLite' ? '' : "SELECT setval('conversations_pending_seq', 3);"}`,
    );
    const store = await state.open();
    expect(await store.destinations()).toEqual([]);
    expect(await store.claimLegacyDeliveries(DESTINATION, `sync@${DESTINATION}`)).toBe(true);
    const outbox = store.outbox(DESTINATION);
    expect(await outbox.totals()).toMatchObject({
      highlights: 3,
      delivered: 1,
      refused: 1,
      pending: 1,
      refusals: [{ id: 'front:cnv_2', version: 'a', error: 'HTTP 422: title too long', attempts: 1, refusedAt: '2024-05-01T09:30:00.000Z' }],
    });
    expect((await outbox.openBatches()).map((b) => b.highlights.map((h) => `${h.id}@${h.version}`))).toEqual([['front:cnv_3@b']]);
    expect((await store.getCursor(`sync@${DESTINATION}`))?.value).toBe(1699999000);
    expect((await store.snapshots(['cnv_1'])).get('cnv_1')).toMatchObject({ version: 'a', inboxes: null });
    // The delivered version stored again is nothing new; a new conversation queues after the old ones.
    expect(await store.upsert(item(1, 'a'))).toBe('unchanged');
    expect(await store.upsert(item(4, 'a'))).toBe('created');
    await outbox.batchAccepted('open-1', []);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_3@b', 'front:cnv_4@a']);
    expect(await store.claimLegacyDeliveries(OTHER, `sync@${OTHER}`)).toBe(false);
    await store.close();
  });

  it("a destination's whole delivery state moves to a new identity (unless that one has its own) and is forgotten whole", async () => {
    const store = await backend.open();
    await store.upsert({ ...item(1, 'a'), deliveries: [{ destination: OTHER, highlight: highlight(1, 'a') }] });
    await store.upsert({ ...item(2, 'a'), deliveries: [{ destination: OTHER, highlight: highlight(2, 'a') }] });
    await store.outbox(OTHER).saveBatch({ key: 'k1', highlights: [highlight(2, 'a')] });
    await store.commitRun({ cursors: [{ name: `sync@${OTHER}`, value: 42 }], clearCheckpoints: [] });
    expect(await store.moveDestination(OTHER, DESTINATION, { from: `sync@${OTHER}`, to: `sync@${DESTINATION}` })).toBe(true);
    expect(await store.destinations()).toEqual([DESTINATION]);
    expect((await store.getCursor(`sync@${DESTINATION}`))?.value).toBe(42);
    expect((await store.outbox(DESTINATION).openBatches()).map((b) => b.key)).toEqual(['k1']);
    // A destination with state of its own keeps it: nothing merges into it.
    await store.upsert({ ...item(3, 'a'), deliveries: [{ destination: OTHER, highlight: highlight(3, 'a') }] });
    expect(await store.moveDestination(OTHER, DESTINATION, { from: `sync@${OTHER}`, to: `sync@${DESTINATION}` })).toBe(false);

    await store.outbox(DESTINATION).batchAccepted('k1', [{ id: 'front:cnv_2', version: 'a' }]);
    expect(await store.forgetDestination(DESTINATION, `sync@${DESTINATION}`)).toEqual({ delivered: 1, pending: 1, refused: 0, batches: 0, cursor: true });
    expect(await store.destinations()).toEqual([OTHER]);
    expect(await store.getCursor(`sync@${DESTINATION}`)).toBeUndefined();
    expect((await store.totals()).pending).toBe(1);
    expect(await store.forgetDestination(DESTINATION, `sync@${DESTINATION}`)).toEqual({ delivered: 0, pending: 0, refused: 0, batches: 0, cursor: false });
    await store.close();
  });

  it('a move carries what the compact state keeps by destination number (counters, last delivery, Highlights waiting); a forgotten destination counts nothing and starts again', async () => {
    const store = await backend.open();
    for (const n of [1, 2, 3]) await store.upsert({ ...item(n, 'a'), deliveries: [{ destination: OTHER, highlight: highlight(n, 'a') }] });
    const other = store.outbox(OTHER);
    await other.saveBatch({ key: 'k1', highlights: [highlight(1, 'a')] });
    await other.batchAccepted('k1', [{ id: 'front:cnv_1', version: 'a' }]);
    await other.saveBatch({ key: 'k2', highlights: [highlight(2, 'a')] });
    await other.batchRefused('k2', { id: 'front:cnv_2', version: 'a' }, 'HTTP 422: title too long');
    const before = await other.totals();
    expect(before).toMatchObject({ highlights: 3, delivered: 1, pending: 1, refused: 1 });
    expect(before.lastDeliveryAt).not.toBeNull();

    expect(await store.moveDestination(OTHER, DESTINATION, { from: `sync@${OTHER}`, to: `sync@${DESTINATION}` })).toBe(true);
    const moved = store.outbox(DESTINATION);
    expect(await moved.totals()).toEqual({ ...before, destination: DESTINATION });
    expect(await other.totals()).toMatchObject({ highlights: 0, delivered: 0, pending: 0, refused: 0, lastDeliveryAt: null });
    expect(await store.totals()).toMatchObject({ delivered: 1, pending: 1, failed: 1 });
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_3@a']);
    await moved.saveBatch({ key: 'k3', highlights: [highlight(3, 'a')] });
    await moved.batchAccepted('k3', [{ id: 'front:cnv_3', version: 'a' }]);
    expect(await moved.totals()).toMatchObject({ highlights: 3, delivered: 2, pending: 0, refused: 1 });
    // The former identity holds nothing any more: a destination by that name starts from nothing.
    expect(await other.enqueue([highlight(1, 'a')], { resend: false })).toBe(1);
    expect(await ids(store, OTHER)).toEqual(['front:cnv_1@a']);

    expect(await store.forgetDestination(DESTINATION, `sync@${DESTINATION}`)).toEqual({ delivered: 2, pending: 0, refused: 1, batches: 0, cursor: false });
    expect(await moved.totals()).toMatchObject({ highlights: 0, delivered: 0, pending: 0, refused: 0, refusals: [], lastDeliveryAt: null });
    expect(await store.totals()).toMatchObject({ delivered: 0, pending: 1, failed: 0, failures: [] });
    expect(await store.destinations()).toEqual([OTHER]);
    // Forgotten means never sent: everything is new to it again, and a move into it is allowed.
    expect(await moved.enqueue([highlight(1, 'a'), highlight(2, 'a')], { resend: false })).toBe(2);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_1@a', 'front:cnv_2@a']);
    expect(await moved.totals()).toMatchObject({ highlights: 2, pending: 2 });
    expect(await store.forgetDestination(DESTINATION, `sync@${DESTINATION}`)).toMatchObject({ pending: 2 });
    expect(await store.moveDestination(OTHER, DESTINATION, { from: `sync@${OTHER}`, to: `sync@${DESTINATION}` })).toBe(true);
    expect(await ids(store, DESTINATION)).toEqual(['front:cnv_1@a']);
    expect(await store.totals()).toMatchObject({ delivered: 0, pending: 1, failed: 0 });
    await store.close();
  });

  it('a run commit saves meta with its cursors', async () => {
    const store = await backend.open();
    await store.commitRun({ cursors: [{ name: 'c', value: 1 }], clearCheckpoints: [], meta: [{ key: 'fetchCoverage', value: { since: 1 } }] });
    expect(await store.getMeta('fetchCoverage')).toEqual({ since: 1 });
    await store.close();
  });
});

function sqlText(value: string | null): string {
  return value === null ? 'NULL' : `'${value}'`;
}
