// Every statement the PostgreSQL store runs for status, sync (pages, deliveries) and replay finds
// its rows in conversations and deliveries by an index: each one recorded while the store does that
// work is explained again, with its own parameters, with sequential scans priced out (on tables this
// small the planner would pick them anyway); a plan that still reads a whole table has no index to use.

import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { DESTINATION, highlight, item, manualClock } from './helpers.ts';

const GROWING = /\b(conversations|deliveries|outbox_payloads)\b/;

describe('PostgreSQL query plans', () => {
  it('no statement of a sync, a delivery, status or a replay (queued or straight to a file) scans conversations, deliveries or outbox_payloads', async () => {
    const url = await freshPgDatabase();
    const location = parseStoreLocation(url, 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
    const clock = manualClock();
    // Created (and migrated) before recording: the schema's own statements are not the point.
    await (await openPgStore(location, { clock: clock.now })).close();
    const query = vi.spyOn(pg.Client.prototype, 'query');
    const store = await openPgStore(location, { clock: clock.now });
    try {
      await store.persistPages({ runKey: 'sync:1', messages: [], items: [1, 2, 3].map((n) => item(n, 'a')), imported: ['cnv_1', 'cnv_2', 'cnv_3'], checkpoint: { at: 1 } });
      await store.snapshots(['cnv_1', 'cnv_2']);
      const outbox = store.outbox(DESTINATION);
      const batch = await outbox.pending(100);
      await outbox.saveBatch({ key: 'k1', highlights: batch.slice(0, 2) });
      await outbox.batchAccepted('k1', batch.slice(0, 2).map((h) => ({ id: h.id, version: h.version })));
      await outbox.saveBatch({ key: 'k2', highlights: [batch[2]!] });
      await outbox.recordAttempt([batch[2]!.id], 'HTTP 503');
      await outbox.batchRefused('k2', { id: batch[2]!.id, version: batch[2]!.version }, 'HTTP 422');
      await store.upsert(item(1, 'b'));
      await outbox.totals();
      await store.totals();
      await store.destinations();
      await outbox.pendingCount();
      await store.storedConversations(null, 500, null);
      await store.storedConversations('cnv_1', 500, 1_600_000_000);
      // A replay to a file: pages read with the file's delivery versions, then recorded sent.
      await store.storedRows(null, 500, null, DESTINATION);
      await outbox.sentDirectly([
        { id: 'front:cnv_1', version: 'c', prior: 'b' },
        { id: 'front:cnv_9', version: 'a', prior: null },
      ]);
      await outbox.enqueue([highlight(1, 'b'), highlight(2, 'a')], { resend: true });
      await outbox.retryRefused();
    } finally {
      await store.close();
    }
    const statements = query.mock.calls
      .map(([text, values]) => ({ text: typeof text === 'string' ? text : (text as { text: string }).text, values: Array.isArray(values) ? values : undefined }))
      .filter((s) => GROWING.test(s.text) && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(s.text));
    query.mockRestore();
    expect(statements.length).toBeGreaterThan(15);

    const client = new pg.Client({ connectionString: url.split('?')[0] });
    await client.connect();
    try {
      await client.query(`SET search_path = ${location.schema}`);
      await client.query('SET enable_seqscan = off');
      const scanning: string[] = [];
      for (const s of statements) {
        await client.query('BEGIN');
        try {
          const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${s.text}`, s.values);
          const scans = plan.rows.map((r) => r['QUERY PLAN']).filter((line) => /Seq Scan on (conversations|deliveries|outbox_payloads)\b/.test(line));
          if (scans.length > 0) scanning.push(`${s.text.replace(/\s+/g, ' ').slice(0, 160)} -> ${scans.join('; ')}`);
        } finally {
          await client.query('ROLLBACK');
        }
      }
      expect(scanning).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
